// The policies of the scheduled-backup guard, exported as `pulumi-scheduled-backup/policy` so teams can
// compose their own pack. `backupGuard(options)` returns the policy list in the AWSGuard style:
//
//   new PolicyPack("my-pack", { policies: backupGuard({ all: "advisory", maxRpo: { maxRpoHours: 4 } }) });
//
// Policy names (kebab-case) are also the keys of `--policy-pack-config` files; option keys are camelCase.
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import type { z } from "zod";
import { checkPolicyPackConfig } from "./core/configCheck";
import type { BackupPolicy, PolicyDefinition, PolicyMetadata, PolicySetting } from "./core/definition";
import { backupWindow } from "./policies/backup-window";
import { duplicateCoverage } from "./policies/duplicate-coverage";
import { frequencyChains } from "./policies/frequency-chains";
import { maxBackupsRange } from "./policies/max-backups-range";
import { maxRetention } from "./policies/max-retention";
import { maxRpo } from "./policies/max-rpo";
import { minInterval } from "./policies/min-interval";
import { minRetention } from "./policies/min-retention";
import { naming } from "./policies/naming";
import { planStarted } from "./policies/plan-started";
import { resourcesValid } from "./policies/resources-valid";
import { scheduleSpread } from "./policies/schedule-spread";
import { scheduleValid } from "./policies/schedule-valid";
import { uniquePlanNames } from "./policies/unique-plan-names";
import { volumeCoverage } from "./policies/volume-coverage";
import { volumeTier } from "./policies/volume-tier";

export { BACKUP_PLAN_TYPE } from "../provider/tokens";
export { isBackupPlan, PlanView } from "./core/plan";
export { Coverage, DEFAULT_VOLUME_TYPES, plansOf, volumesOf } from "./core/stack";
export { PolicyConfigError } from "./core/definition";
export type { BackupPolicy, PolicyDefinition, PolicyMetadata, PolicySetting } from "./core/definition";
export {
  backupWindow,
  duplicateCoverage,
  frequencyChains,
  maxBackupsRange,
  maxRetention,
  maxRpo,
  minInterval,
  minRetention,
  naming,
  planStarted,
  resourcesValid,
  scheduleSpread,
  scheduleValid,
  uniquePlanNames,
  volumeCoverage,
  volumeTier,
};

/** Every policy of the pack, in the order they are reported: resource policies, then stack policies. */
export const policyRegistry = {
  scheduleValid,
  minInterval,
  maxRpo,
  minRetention,
  maxRetention,
  maxBackupsRange,
  frequencyChains,
  resourcesValid,
  planStarted,
  naming,
  backupWindow,
  volumeCoverage,
  volumeTier,
  duplicateCoverage,
  uniquePlanNames,
  scheduleSpread,
} as const;

type Registry = typeof policyRegistry;
export type PolicyKey = keyof Registry;
export type PolicyName = Registry[PolicyKey]["name"];

/** The options one policy takes (its config keys, all optional, with the documented defaults). */
export type PolicyOptions<K extends PolicyKey> = z.input<Registry[K]["schema"]>;

/** Typed options of `backupGuard`: a level for every policy, then per policy a level or level + options. */
export type BackupGuardOptions = { all?: EnforcementLevel } & { [K in PolicyKey]?: PolicySetting<PolicyOptions<K>> };

/** Metadata of every policy, for docs and tooling (no validation functions). */
export function describePolicies(): (PolicyMetadata & { configSchema: PolicyDefinition["configSchema"] })[] {
  return Object.values(policyRegistry).map((definition: PolicyDefinition) => ({
    key: definition.key,
    name: definition.name,
    description: definition.description,
    severity: definition.severity,
    remediationSteps: definition.remediationSteps,
    defaultLevel: definition.defaultLevel,
    kind: definition.kind,
    configSchema: definition.configSchema,
  }));
}

/**
 * Problems of a `--policy-pack-config` object for this pack (unknown policy names with a "did you mean",
 * bad levels, options that do not fit a policy's schema); empty when it is fine. Pulumi itself keeps unknown
 * names silently, so run this (`scheduled-backup policy check-config FILE`) before `pulumi preview`.
 */
export function checkPolicyConfig(config: unknown): string[] {
  return checkPolicyPackConfig(config, Object.values(policyRegistry));
}

/** The policy list: every policy of the pack, with the given levels and options baked in. */
export function backupGuard(options: BackupGuardOptions = {}): Policies {
  const known = new Set<string>(["all", ...Object.keys(policyRegistry)]);
  const unknownKeys = Object.keys(options).filter((key) => !known.has(key));
  if (unknownKeys.length > 0) {
    throw new TypeError(
      `backupGuard: unknown option ${unknownKeys.map((key) => `\`${key}\``).join(", ")}; ` +
        `the options are \`all\` and the policy keys ${Object.keys(policyRegistry).join(", ")}`,
    );
  }
  const policies: BackupPolicy[] = [];
  for (const key of Object.keys(policyRegistry) as PolicyKey[]) {
    const definition: PolicyDefinition = policyRegistry[key];
    const setting = options[key];
    policies.push(definition.create(setting, options.all));
  }
  return policies;
}
