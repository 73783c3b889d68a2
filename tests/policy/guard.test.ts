import assert from "node:assert/strict";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { backupGuard, describePolicies, policyRegistry, PolicyConfigError } from "../../policy/guard";
import { compliantPlan, runResourcePolicy } from "./harness";

const ISSUE_DEFAULTS: Record<string, string> = {
  "schedule-valid": "mandatory",
  "min-interval": "mandatory",
  "max-rpo": "mandatory",
  "min-retention": "mandatory",
  "max-retention": "advisory",
  "max-backups-range": "mandatory",
  "frequency-chains": "advisory",
  "resources-valid": "mandatory",
  "plan-started": "mandatory",
  naming: "advisory",
  "backup-window": "advisory",
  "volume-coverage": "mandatory",
  "volume-tier": "mandatory",
  "duplicate-coverage": "advisory",
  "unique-plan-names": "mandatory",
  "schedule-spread": "advisory",
};

function byName(name: string, policies = backupGuard()) {
  const policy = policies.find((p) => p.name === name);
  assert.ok(policy, name);
  return policy;
}

describe("backupGuard and the policy registry", () => {
  it("returns every policy at the level the issue sets", () => {
    const levels = Object.fromEntries(backupGuard().map((p) => [p.name, p.enforcementLevel]));
    assert.deepEqual(levels, ISSUE_DEFAULTS);
  });

  it("describes each policy fully: kebab-case name, severity, remediation, a configSchema the CLI accepts", () => {
    const described = describePolicies();
    assert.equal(described.length, 16);
    assert.equal(new Set(described.map((p) => p.name)).size, 16);
    for (const policy of described) {
      assert.match(policy.name, /^[a-z]+(-[a-z]+)*$/);
      assert.match(policy.key, /^[a-z][A-Za-z]+$/);
      assert.ok(policy.description.length > 30 && policy.remediationSteps.length > 30, policy.name);
      assert.ok(["low", "medium", "high", "critical"].includes(policy.severity));
      assert.ok(
        !("enforcementLevel" in policy.configSchema.properties),
        "the analyzer refuses enforcementLevel in properties",
      );
      assert.ok(!("$schema" in policy.configSchema));
      assert.equal(
        policy.configSchema.required,
        undefined,
        `${policy.name}: every option has a default or is optional`,
      );
      for (const [key, schema] of Object.entries(policy.configSchema.properties)) {
        assert.ok(
          typeof schema === "object" && typeof schema.description === "string",
          `${policy.name}.${key} is documented`,
        );
      }
    }
    assert.equal(policyRegistry.maxRpo.configSchema.properties["maxRpoHours"]?.default, 24);
  });

  it("sets every level with `all` and lets a policy's own setting win", () => {
    const policies = backupGuard({ all: "advisory", maxRpo: "mandatory", naming: { enforcementLevel: "disabled" } });
    assert.equal(byName("schedule-valid", policies).enforcementLevel, "advisory");
    assert.equal(byName("max-rpo", policies).enforcementLevel, "mandatory");
    assert.equal(byName("naming", policies).enforcementLevel, "disabled");
    assert.equal(policies.length, 16, "disabled policies stay listed so a config file can turn them on");
  });

  it("bakes options in: used by validation and published as schema defaults for the CLI", async () => {
    const policies = backupGuard({ maxRpo: { maxRpoHours: 73 } });
    const policy = byName("max-rpo", policies) as ResourceValidationPolicy;
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.equal(policy.configSchema?.properties["maxRpoHours"]?.default, 73);
    const weekdays = compliantPlan({ schedulePattern: "0 2 * * 1-5" });
    assert.deepEqual((await runResourcePolicy(policy, weekdays)).violations, []);
    const fromCli = (await runResourcePolicy(policy, weekdays, { config: { maxRpoHours: 24 } })).violations;
    assert.equal(fromCli.length, 1, "a --policy-pack-config value overrides the baked option");
  });

  it("refuses unknown keys and bad options when the pack loads, naming them", () => {
    assert.throws(() => backupGuard({ maxRPO: "mandatory" } as never), /unknown option `maxRPO`/);
    assert.throws(
      () => backupGuard({ maxRpo: { maxRpoHours: -1 } }),
      (err: unknown) => err instanceof PolicyConfigError && /max-rpo[\s\S]*maxRpoHours/.test(err.message),
    );
    assert.throws(() => backupGuard({ all: "strict" as never }), /enforcement level `strict`/);
  });

  it("types options per policy", () => {
    // Compile-time checks: these lines only build if the option types are per policy.
    backupGuard({ volumeTier: { tiers: { gold: { maxRpoHours: 2, minRetentionDays: 30 } }, defaultTier: "gold" } });
    backupGuard({ backupWindow: { enforcementLevel: "mandatory", allowedWindows: ["22:00-04:00"] } });
    assert.throws(
      // @ts-expect-error maxRpoHours belongs to maxRpo, not naming
      () => backupGuard({ naming: { maxRpoHours: 3 } }),
      /unknown option `maxRpoHours` \(options: nameRegex/,
    );
  });
});
