// Runs policies the way @pulumi/policy's analyzer does (server.ts): props wrapped in the
// unknown-checking proxy, reportViolation accepting both of its forms, notApplicable throwing. Tests
// mutate a compliant baseline (the compliance-policies habit) and look at what comes out.
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { BACKUP_PLAN_TYPE } from "../../provider/tokens";

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

export class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
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

function reporter(policy: { description: string; enforcementLevel?: string }, into: Violation[]): ReportViolation {
  const level = policy.enforcementLevel ?? "advisory";
  return (message: string | { message: string; enforcementLevel?: string }, urn?: string) => {
    if (typeof message === "object") {
      into.push({ message: message.message, enforcementLevel: message.enforcementLevel ?? level });
      return;
    }
    into.push({
      message: `${policy.description}\n${message}`,
      enforcementLevel: level,
      ...(urn === undefined ? {} : { urn }),
    });
  };
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
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

export function resourceArgs(props: Props, opts: ResourceRunOptions = {}): ResourceValidationArgs {
  const type = opts.type ?? BACKUP_PLAN_TYPE;
  const name = opts.name ?? "plan";
  const config = opts.config ?? {};
  return {
    type,
    props: unknownCheckingProxy(props),
    urn: urnOf(type, name, opts.stack),
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(Object.entries(opts.stackTags ?? {})),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({ ...config }) as T,
    notApplicable: throwNotApplicable,
  };
}

/** Validates one resource; UnknownValueError escapes, as it does into the analyzer. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  props: Props,
  opts: ResourceRunOptions = {},
): Promise<Outcome> {
  const violations: Violation[] = [];
  const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
  try {
    for (const validate of validations) await validate(resourceArgs(props, opts), reporter(policy, violations));
  } catch (err) {
    if (err instanceof NotApplicable) return { violations, notApplicable: err.reason };
    throw err;
  }
  return { violations };
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

export function stackResources(entries: readonly StackEntry[], stack = "dev"): PolicyResource[] {
  const byName = new Map<string, PolicyResource>();
  const resources = entries.map((entry) => {
    const resource: PolicyResource = {
      type: entry.type,
      name: entry.name,
      urn: urnOf(entry.type, entry.name, stack),
      props: unknownCheckingProxy(entry.props),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byName.set(entry.name, resource);
    return resource;
  });
  entries.forEach((entry, i) => {
    if (entry.resourcesDependOn === undefined) return;
    const dependencies = entry.resourcesDependOn.map((name) => {
      const found = byName.get(name);
      if (found === undefined) throw new Error(`test stack: no resource named ${name}`);
      return found;
    });
    resources[i]!.propertyDependencies = { resources: dependencies };
    resources[i]!.dependencies = dependencies;
  });
  return resources;
}

export async function runStackPolicy(
  policy: StackValidationPolicy,
  entries: readonly StackEntry[],
  opts: { config?: Props; stackTags?: Record<string, string> } = {},
): Promise<Outcome> {
  const violations: Violation[] = [];
  const config = opts.config ?? {};
  const args: StackValidationArgs = {
    resources: stackResources(entries),
    stackTags: new Map(Object.entries(opts.stackTags ?? {})),
    getConfig: <T extends object>() => ({ ...config }) as T,
    notApplicable: throwNotApplicable,
  };
  try {
    await policy.validateStack(args, reporter(policy, violations));
  } catch (err) {
    if (err instanceof NotApplicable) return { violations, notApplicable: err.reason };
    throw err;
  }
  return { violations };
}
