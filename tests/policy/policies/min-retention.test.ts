import assert from "node:assert/strict";
import { minRetention } from "../../../policy/policies/min-retention";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy min-retention", () => {
  const policy = resourcePolicy(minRetention);
  const daily = (maxBackups: number, extra: Record<string, unknown> = {}) =>
    compliantPlan({ schedulePattern: "0 2 * * *", maxBackups, ...extra });

  it("is mandatory, 7 days and 3 restore points by default, and accepts the baseline", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.deepEqual(minRetention.defaults, { minRetentionDays: 7, minRestorePoints: 3 });
    assertClean(await runResourcePolicy(policy, compliantPlan()));
  });

  it("counts N daily backups as N-1 days: 7 fall short of 7 days, 8 meet it", async () => {
    const [text] = assertViolations(await runResourcePolicy(policy, daily(7)), 1);
    assert.match(
      text!,
      /plan `db-nightly` keeps 7 full backups of a schedule that runs daily at 02:00 UTC, so restores are guaranteed to reach back only 6 days \(7 backups cover 6 gaps\); the minimum is 7 days: set `maxBackups` to 8 or more/,
    );
    assertClean(await runResourcePolicy(policy, daily(8)));
  });

  it("reports too few restore points separately", async () => {
    const texts = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * 0", maxBackups: 2 }), {
        config: { minRetentionDays: 1 },
      }),
      1,
    );
    assert.match(
      texts[0]!,
      /only 2 restore points are guaranteed right after pruning; the minimum is 3: set `maxBackups` to 3 or more/,
    );
  });

  it("uses chains in frequency mode: 1 chain guarantees one run, 2 chains a week", async () => {
    const [text] = assertViolations(await runResourcePolicy(policy, daily(1, { backupMode: "frequency" })), 2).filter(
      (t) => t.includes("reach back"),
    );
    assert.match(
      text!,
      /keeps 1 incremental chain .* right after the oldest chain is rotated out; the minimum is 7 days: set `maxBackups` to 2 or more/,
    );
    assertClean(await runResourcePolicy(policy, daily(2, { backupMode: "frequency" })));
  });

  it("honours a stricter configured minimum and says when even the service's maximum falls short", async () => {
    assertViolations(await runResourcePolicy(policy, daily(30), { config: { minRetentionDays: 35 } }), 1);
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 * * * *", maxBackups: 90 }), {
        config: { minRetentionDays: 35 },
      }),
      1,
    );
    assert.match(text!, /even the service's maximum of 90 full backups falls short: run the plan more often/);
  });

  it("leaves invalid modes and counts to max-backups-range", async () => {
    assert.match(
      (await runResourcePolicy(policy, compliantPlan({ maxBackups: 0 }))).notApplicable ?? "",
      /max-backups-range/,
    );
    assert.match(
      (await runResourcePolicy(policy, compliantPlan({ backupMode: "incremental" }))).notApplicable ?? "",
      /max-backups-range/,
    );
  });
});
