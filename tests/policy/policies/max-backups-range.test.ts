import assert from "node:assert/strict";
import { maxBackupsRange } from "../../../policy/policies/max-backups-range";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy max-backups-range", () => {
  const policy = resourcePolicy(maxBackupsRange);

  it("is mandatory and accepts the service's bounds in both modes", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    for (const [backupMode, maxBackups] of [
      ["full", 1],
      ["full", 90],
      ["frequency", 1],
      ["frequency", 14],
    ] as const) {
      assertClean(await runResourcePolicy(policy, compliantPlan({ backupMode, maxBackups })));
    }
  });

  it("rejects values past the service's limits, naming the camelCase input", async () => {
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ maxBackups: 91 })), 1)[0]!,
      /plan `db-nightly` has an invalid `maxBackups`: maxBackups is 91; backupMode `full` allows at most 90: set maxBackups between 1 and 90/,
    );
    assert.match(
      assertViolations(
        await runResourcePolicy(policy, compliantPlan({ backupMode: "frequency", maxBackups: 15 })),
        1,
      )[0]!,
      /at most 14/,
    );
    assertViolations(await runResourcePolicy(policy, compliantPlan({ maxBackups: 0 })), 1);
    assertViolations(await runResourcePolicy(policy, compliantPlan({ maxBackups: 2.5 })), 1);
  });

  it("rejects a backup mode the service does not have", async () => {
    const [text] = assertViolations(await runResourcePolicy(policy, compliantPlan({ backupMode: "incremental" })), 1);
    assert.match(
      text!,
      /plan `db-nightly` has an invalid `backupMode`: backupMode `incremental` is not supported: use `full`/,
    );
  });

  it("applies tighter configured limits per mode", async () => {
    const config = { maxFullBackups: 30, maxFrequencyChains: 4 };
    assertClean(await runResourcePolicy(policy, compliantPlan({ maxBackups: 30 }), { config }));
    const [text] = assertViolations(await runResourcePolicy(policy, compliantPlan({ maxBackups: 31 }), { config }), 1);
    assert.match(
      text!,
      /keeps 31 full backups \(`maxBackups`\); this pack allows at most 30 in full mode \(`maxFullBackups`\): set `maxBackups` to 30 or fewer/,
    );
    assertViolations(
      await runResourcePolicy(policy, compliantPlan({ backupMode: "frequency", maxBackups: 5 }), { config }),
      1,
    );
  });

  it("refuses a configured limit looser than the service's", async () => {
    await assert.rejects(
      runResourcePolicy(policy, compliantPlan(), { config: { maxFullBackups: 120 } }),
      /max-backups-range[\s\S]*maxFullBackups/,
    );
  });
});
