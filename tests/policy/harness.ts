// Runs one policy through @pulumi/policy's own Analyze and AnalyzeStack handlers, in-process (./analyzer.ts):
// the library deserializes the properties, wraps them in its unknown-checking proxy, builds the arguments
// (options, isType/asType, notApplicable), formats the violations, downgrades an unknown value to its
// "can't run during preview" diagnostic and skips a typed validation for other types. Tests mutate a
// compliant baseline (the compliance-policies habit) and look at what comes out.
//
// Only two things come from here: the policy's config and the stack tags. The library keeps them in module
// state that its Configure and ConfigureStack handlers set, and those are not exported (only `serve`, which
// starts a gRPC server, registers them); so each validation sees `getConfig` and `stackTags` replaced, and
// nothing else. What a validation throws is passed on to the test once the handler has dealt with it.
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { BACKUP_PLAN_TYPE } from "../../provider/tokens";
import { InProcessAnalyzer } from "./analyzer";
import type { AnalyzedResource, AnalyzeResult } from "./analyzer";

/** The engine's placeholder for a value not known during preview (every kind uses this string). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const VOLUME_TYPE = "openstack:blockstorage/volume:Volume";
export const PROVIDER_TEXT = "exports.handler = () => ({ token: 'sk-live-very-secret' })";

export const VOLUME_IDS = [
  "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6",
  "7b1d2c3e-4f50-4a6b-9c7d-8e9f0a1b2c3d",
  "c2e4f6a8-1357-4b9d-8f2e-0a1c3e5f7b9d",
] as const;

export type Props = Record<string, unknown>;

/** A plan every policy accepts with its defaults: twice a day (02:17, 14:17), 30 full backups, one volume, started. */
export function compliantPlan(overrides: Props = {}): Props {
  return {
    name: "db-nightly",
    description: "Nightly backup of the orders database volume",
    backupMode: "full",
    maxBackups: 30,
    scheduleType: "crontab",
    schedulePattern: "17 2,14 * * *",
    resources: [{ id: VOLUME_IDS[0], name: "db-data", type: "OS::Cinder::Volume" }],
    status: "started",
    __provider: PROVIDER_TEXT,
    ...overrides,
  };
}

export interface Violation {
  message: string;
  urn?: string;
  enforcementLevel: string;
}
export interface Outcome {
  violations: Violation[];
  notApplicable?: string | undefined;
}

export interface ResourceRunOptions {
  config?: Props;
  stackTags?: Record<string, string>;
  stack?: string;
  name?: string;
  type?: string;
}

export function urnOf(type: string, name: string, stack = "dev"): string {
  return `urn:pulumi:${stack}::backups::${type}::${name}`;
}

/** What the engine would send: no `undefined` anywhere (the SDK drops such properties when it serializes). */
function onTheWire<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : onTheWire(item))) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return Object.fromEntries(entries.map(([key, item]) => [key, onTheWire(item)])) as T;
}

interface Settings {
  config: Props;
  stackTags: Record<string, string>;
  /** What the validations threw, in order; the handler reports or wraps it, the test wants the original. */
  thrown: unknown[];
}

/** The validation as the handler calls it, with `getConfig` and `stackTags` from the test and what it throws kept. */
function settled<A extends ResourceValidationArgs | StackValidationArgs>(
  validate: (args: A, report: ReportViolation) => Promise<void> | void,
  settings: Settings,
): (args: A, report: ReportViolation) => Promise<void> {
  const stackTags = new Map(Object.entries(settings.stackTags));
  const getConfig = <C extends object>(): C => ({ ...settings.config }) as C;
  const run = async (args: A, report: ReportViolation): Promise<void> => {
    try {
      await validate({ ...args, stackTags, getConfig }, report);
    } catch (err) {
      settings.thrown.push(err);
      throw err;
    }
  };
  // Keeps the library's fast path: a validation typed with validateResourceOfType (and friends) carries its
  // type, so the handler skips resources of other types without calling it.
  const pulumiType = (validate as { __pulumiType?: string }).__pulumiType;
  if (pulumiType !== undefined) Object.assign(run, { __pulumiType: pulumiType });
  return run;
}

function outcomeOf(policyName: string, result: AnalyzeResult, settings: Settings): Outcome {
  const unknown = settings.thrown.find((err) => err instanceof UnknownValueError);
  if (unknown !== undefined) {
    // The library turns it into an advisory "can't run ... during preview"; the tests look at the cause.
    const reported = result.diagnostics.some(
      (d) => d.policy === policyName && d.level === "advisory" && d.message.includes("during preview"),
    );
    if (!reported) throw new Error(`${policyName}: an unknown value escaped but no preview diagnostic was reported`);
    throw unknown;
  }
  const reason = result.notApplicableReasons[policyName];
  return {
    violations: result.diagnostics.map((d) => ({
      message: d.message,
      enforcementLevel: d.level,
      ...(d.urn === "" ? {} : { urn: d.urn }),
    })),
    ...(result.notApplicable.includes(policyName) ? { notApplicable: reason } : {}),
  };
}

/** The library's handler failed: the error the validation threw (a config error, a bug), not its gRPC wrapper. */
function cause(err: unknown, settings: Settings): unknown {
  return settings.thrown.at(-1) ?? err;
}

/** Validates one resource through the library's Analyze handler. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  props: Props,
  opts: ResourceRunOptions = {},
): Promise<Outcome> {
  const settings: Settings = { config: opts.config ?? {}, stackTags: opts.stackTags ?? {}, thrown: [] };
  const validateResource =
    policy.validateResource === undefined
      ? undefined
      : Array.isArray(policy.validateResource)
        ? policy.validateResource.map((v) => settled(v, settings))
        : settled(policy.validateResource, settings);
  const type = opts.type ?? BACKUP_PLAN_TYPE;
  const name = opts.name ?? "plan";
  const resource: AnalyzedResource = { type, name, urn: urnOf(type, name, opts.stack), properties: onTheWire(props) };
  const analyzer = new InProcessAnalyzer([{ ...policy, validateResource }]);
  const result = await analyzer.analyze(resource).catch((err: unknown) => {
    throw cause(err, settings);
  });
  return outcomeOf(policy.name, result, settings);
}

export interface StackEntry {
  type: string;
  name: string;
  props: Props;
  /** Names of the resources the `resources` property depends on (a plan's volumes). */
  resourcesDependOn?: string[];
}

export function planEntry(name: string, overrides: Props = {}, resourcesDependOn?: string[]): StackEntry {
  return {
    type: BACKUP_PLAN_TYPE,
    name,
    props: compliantPlan({ name, ...overrides }),
    ...(resourcesDependOn === undefined ? {} : { resourcesDependOn }),
  };
}

export function volumeEntry(name: string, props: Props = {}): StackEntry {
  return { type: VOLUME_TYPE, name, props: { name, size: 10, ...props } };
}

function stackResources(entries: readonly StackEntry[], stack = "dev"): AnalyzedResource[] {
  const urns = new Map(entries.map((entry) => [entry.name, urnOf(entry.type, entry.name, stack)]));
  return entries.map((entry) => ({
    type: entry.type,
    name: entry.name,
    urn: urns.get(entry.name)!,
    properties: onTheWire(entry.props),
    ...(entry.resourcesDependOn === undefined
      ? {}
      : {
          propertyDependencies: {
            resources: entry.resourcesDependOn.map((name) => {
              const urn = urns.get(name);
              if (urn === undefined) throw new Error(`test stack: no resource named ${name}`);
              return urn;
            }),
          },
        }),
  }));
}

/** Validates a stack through the library's AnalyzeStack handler. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  entries: readonly StackEntry[],
  opts: { config?: Props; stackTags?: Record<string, string> } = {},
): Promise<Outcome> {
  const settings: Settings = { config: opts.config ?? {}, stackTags: opts.stackTags ?? {}, thrown: [] };
  const analyzer = new InProcessAnalyzer([{ ...policy, validateStack: settled(policy.validateStack, settings) }]);
  const result = await analyzer.analyzeStack(stackResources(entries)).catch((err: unknown) => {
    throw cause(err, settings);
  });
  return outcomeOf(policy.name, result, settings);
}
