// How a policy is declared once and turned into @pulumi/policy objects. Each policy file states its
// metadata, a zod schema of its options (defaults sound for production) and a pure check; this module
// adds the plumbing every policy needs the same way: the configSchema the CLI shows and validates, the
// merge of options baked in by `backupGuard` with the `--policy-pack-config` values, and type matching.
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import { BACKUP_PLAN_TYPE } from "../../provider/tokens";
import { closestName } from "../../provider/values";
import { PlanView } from "./plan";

export type BackupPolicy = ResourceValidationPolicy | StackValidationPolicy;
type OptionsSchema = z.ZodObject;

/** What a person reads about a policy: in the CLI, in the README table, and in the registry. */
export interface PolicyMetadata {
  /** camelCase key of the policy in `backupGuard({ ... })`. */
  readonly key: string;
  /** kebab-case policy name, the key in `--policy-pack-config` files. */
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  readonly remediationSteps: string;
  readonly defaultLevel: EnforcementLevel;
  readonly kind: "resource" | "stack";
}

/** Options a user may bake into one policy: a level, or a level plus any of its config keys. */
export type PolicySetting<Config> = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Partial<Config>);

export interface PolicyDefinition<S extends OptionsSchema = OptionsSchema> extends PolicyMetadata {
  readonly schema: S;
  /** JSON schema of the options as the Pulumi CLI wants it (`z.toJSONSchema(schema, { io: "input" })`). */
  readonly configSchema: PolicyConfigSchema;
  /** Defaults of every option, parsed from an empty object. */
  readonly defaults: z.output<S>;
  /** A @pulumi/policy policy object with the given level and options baked in. */
  create(setting?: PolicySetting<z.input<S>>, fallbackLevel?: EnforcementLevel): BackupPolicy;
}

/**
 * A policy's options (from `backupGuard` or `--policy-pack-config`) do not fit its schema. The message is
 * the whole story: @pulumi/policy prints an error's `stack` for every resource it was validating, so the
 * stack is the message alone, without frames that only point into this package.
 */
export class PolicyConfigError extends Error {
  constructor(
    readonly policyName: string,
    readonly details: string,
    repeat = false,
  ) {
    super(
      repeat
        ? `policy \`${policyName}\` has invalid options (explained in the first error of this run)`
        : `policy \`${policyName}\` has invalid options:\n${details}\nfix the \`${policyName}\` ` +
            `entry of the policy pack config (or the backupGuard options); see policy/README.md for every option`,
    );
    this.name = "PolicyConfigError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** zod's own wording for every problem, except unknown keys: those get the known options and a guess. */
function describeOptionsError(schema: OptionsSchema, error: z.ZodError): string {
  const known = Object.keys(schema.shape);
  const lines: string[] = [];
  const others = error.issues.filter((issue) => {
    if (issue.code !== "unrecognized_keys") return true;
    for (const key of issue.keys) {
      const guess = closestName(key, known);
      lines.push(
        `✖ unknown option \`${key}\`${guess === undefined ? "" : `: did you mean \`${guess}\`?`} (options: ` +
          `${known.join(", ")}, and enforcementLevel)`,
      );
    }
    return false;
  });
  if (others.length > 0) lines.push(z.prettifyError(new z.ZodError(others)));
  return lines.join("\n");
}

type PlanReport = (message: string, level?: "advisory" | "mandatory") => void;

/**
 * @pulumi/policy's reportViolation also takes a violation object whose own `enforcementLevel` wins over
 * the policy's (`makeReportViolationFun` in its server); its typings only declare the string form, and
 * the object form's message is not prefixed with the description, so this adds it as the string form does.
 */
function reporterFor(description: string, report: ReportViolation): PlanReport {
  return (message, level) => {
    if (level === undefined) {
      report(message);
      return;
    }
    const violation = { message: `${description}\n${message}`, enforcementLevel: level };
    (report as unknown as (violation: { message: string; enforcementLevel: string }) => void)(violation);
  };
}

interface ResourcePolicySpec<S extends OptionsSchema> extends Omit<PolicyMetadata, "kind"> {
  readonly schema: S;
  /** `report(message)` uses the policy's level; `report(message, level)` sets this violation's own level. */
  validate(plan: PlanView, config: z.output<S>, report: PlanReport, args: ResourceValidationArgs): void;
  /** Optional remediation of one plan's inputs; returns the new inputs, or undefined to leave them. */
  remediate?(plan: PlanView, config: z.output<S>, args: ResourceValidationArgs): Record<string, unknown> | undefined;
}

interface StackPolicySpec<S extends OptionsSchema> extends Omit<PolicyMetadata, "kind"> {
  readonly schema: S;
  validate(
    resources: readonly PolicyResource[],
    config: z.output<S>,
    report: ReportViolation,
    args: StackValidationArgs,
  ): void;
  /** Stack policies cannot remediate in @pulumi/policy; this per-plan remediation runs at level `remediate`. */
  remediate?(plan: PlanView, config: z.output<S>, args: ResourceValidationArgs): Record<string, unknown> | undefined;
}

export const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function toConfigSchema(schema: OptionsSchema): PolicyConfigSchema {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as {
    properties?: PolicyConfigSchema["properties"];
    required?: string[];
  };
  const result: PolicyConfigSchema = { properties: json.properties ?? {} };
  if (json.required !== undefined && json.required.length > 0) result.required = json.required;
  return result;
}

function splitSetting<C>(setting: PolicySetting<C> | undefined): {
  level?: EnforcementLevel;
  options: Record<string, unknown>;
} {
  if (setting === undefined) return { options: {} };
  if (typeof setting === "string") return { level: setting, options: {} };
  const { enforcementLevel, ...options } = setting;
  return enforcementLevel === undefined ? { options } : { level: enforcementLevel, options };
}

/**
 * Parses options once per distinct config: the analyzer hands every resource the same config, so the
 * zod parse runs once per policy, not once per resource.
 */
function makeConfigResolver<S extends OptionsSchema>(
  name: string,
  schema: S,
  baked: Record<string, unknown>,
): (fromPack: object) => z.output<S> {
  const cache = new Map<string, z.output<S>>();
  // Invalid configs already explained: every later resource still fails, with one short line.
  const explained = new Set<string>();
  return (fromPack) => {
    const merged = { ...baked, ...fromPack };
    const key = JSON.stringify(merged);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (explained.has(key)) throw new PolicyConfigError(name, "", true);
    const parsed = schema.safeParse(merged);
    if (!parsed.success) {
      explained.add(key);
      throw new PolicyConfigError(name, describeOptionsError(schema, parsed.error));
    }
    if (cache.size > 32) cache.clear();
    cache.set(key, parsed.data);
    return parsed.data;
  };
}

function bakedSchema(base: PolicyConfigSchema, options: Record<string, unknown>): PolicyConfigSchema {
  // The CLI fills missing options from the schema defaults before it configures the pack; baking the
  // user's options in as defaults keeps `backupGuard({...})` values in force under the CLI as well.
  const properties: PolicyConfigSchema["properties"] = {};
  for (const [key, property] of Object.entries(base.properties)) {
    properties[key] = key in options ? { ...property, default: options[key] as never } : property;
  }
  return base.required === undefined ? { properties } : { properties, required: base.required };
}

function checkedLevel(name: string, level: EnforcementLevel | undefined): EnforcementLevel | undefined {
  if (level !== undefined && !LEVELS.includes(level)) {
    throw new PolicyConfigError(name, `✖ enforcement level \`${String(level)}\` is not one of ${LEVELS.join(", ")}`);
  }
  return level;
}

function metadataOf(spec: Omit<PolicyMetadata, "kind">, kind: PolicyMetadata["kind"]): PolicyMetadata {
  return {
    key: spec.key,
    name: spec.name,
    description: spec.description,
    severity: spec.severity,
    remediationSteps: spec.remediationSteps,
    defaultLevel: spec.defaultLevel,
    kind,
  };
}

function commonFields(meta: PolicyMetadata, level: EnforcementLevel, configSchema: PolicyConfigSchema) {
  return {
    name: meta.name,
    description: meta.description,
    enforcementLevel: level,
    severity: meta.severity,
    remediationSteps: meta.remediationSteps,
    tags: ["backup", "resilience"],
    configSchema,
  };
}

function parseDefaults<S extends OptionsSchema>(name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse({});
  if (!parsed.success) throw new PolicyConfigError(name, describeOptionsError(schema, parsed.error));
  return parsed.data;
}

/** Marks a validation function with the type it applies to, so the analyzer skips other types cheaply. */
function forBackupPlans<F extends object>(fn: F): F {
  return Object.assign(fn, { __pulumiType: BACKUP_PLAN_TYPE });
}

function remediation<S extends OptionsSchema>(
  spec: { remediate?: ResourcePolicySpec<S>["remediate"] },
  resolve: (fromPack: object) => z.output<S>,
): ResourceValidationPolicy["remediateResource"] {
  const remediate = spec.remediate;
  if (remediate === undefined) return undefined;
  return forBackupPlans((args: ResourceValidationArgs) => {
    if (args.type !== BACKUP_PLAN_TYPE) return undefined;
    return remediate(new PlanView(args.props, args.name, args.urn), resolve(args.getConfig()), args);
  });
}

interface Prepared<S extends OptionsSchema> {
  /** The config a validation runs with: baked options, then the pack config on top, parsed once per value. */
  resolve: (fromPack: object) => z.output<S>;
  /** Metadata, level and schema shared by resource and stack policies. */
  fields: ReturnType<typeof commonFields>;
  remediateResource: ResourceValidationPolicy["remediateResource"];
}

/** What both kinds of policy do on `create`: split the setting, check it now, bake it into the schema. */
function prepare<S extends OptionsSchema>(
  spec: { name: string; schema: S; remediate?: ResourcePolicySpec<S>["remediate"] },
  meta: PolicyMetadata,
  configSchema: PolicyConfigSchema,
  setting: PolicySetting<z.input<S>> | undefined,
  fallbackLevel: EnforcementLevel | undefined,
): Prepared<S> {
  const { level, options } = splitSetting(setting);
  const resolve = makeConfigResolver(spec.name, spec.schema, options);
  resolve({}); // fail when the pack loads, not at the first resource, when baked options are wrong
  const enforcementLevel =
    checkedLevel(spec.name, level) ?? checkedLevel(spec.name, fallbackLevel) ?? meta.defaultLevel;
  return {
    resolve,
    fields: commonFields(meta, enforcementLevel, bakedSchema(configSchema, options)),
    remediateResource: remediation(spec, resolve),
  };
}

function definition<S extends OptionsSchema>(
  spec: { name: string; schema: S },
  meta: PolicyMetadata,
  configSchema: PolicyConfigSchema,
  create: PolicyDefinition<S>["create"],
): PolicyDefinition<S> {
  return { ...meta, schema: spec.schema, configSchema, defaults: parseDefaults(spec.name, spec.schema), create };
}

export function defineResourcePolicy<S extends OptionsSchema>(spec: ResourcePolicySpec<S>): PolicyDefinition<S> {
  const meta = metadataOf(spec, "resource");
  const configSchema = toConfigSchema(spec.schema);
  return definition(spec, meta, configSchema, (setting, fallbackLevel) => {
    const { resolve, fields, remediateResource } = prepare(spec, meta, configSchema, setting, fallbackLevel);
    const policy: ResourceValidationPolicy = {
      ...fields,
      validateResource: forBackupPlans((args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== BACKUP_PLAN_TYPE) return;
        spec.validate(
          new PlanView(args.props, args.name, args.urn),
          resolve(args.getConfig()),
          reporterFor(meta.description, report),
          args,
        );
      }),
    };
    if (remediateResource !== undefined) policy.remediateResource = remediateResource;
    return policy;
  });
}

export function defineStackPolicy<S extends OptionsSchema>(spec: StackPolicySpec<S>): PolicyDefinition<S> {
  const meta = metadataOf(spec, "stack");
  const configSchema = toConfigSchema(spec.schema);
  return definition(spec, meta, configSchema, (setting, fallbackLevel) => {
    const { resolve, fields, remediateResource } = prepare(spec, meta, configSchema, setting, fallbackLevel);
    const policy: StackValidationPolicy & Pick<ResourceValidationPolicy, "remediateResource"> = {
      ...fields,
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        spec.validate(args.resources, resolve(args.getConfig()), report, args);
      },
    };
    if (remediateResource !== undefined) policy.remediateResource = remediateResource;
    return policy;
  });
}
