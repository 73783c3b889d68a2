import assert from "node:assert/strict";
import { volumeTier } from "../../../policy/policies/volume-tier";
import { planEntry, runStackPolicy, UNKNOWN, volumeEntry } from "../harness";
import { assertClean, assertViolations, stackPolicy } from "./helpers";

describe("policy volume-tier", () => {
  const policy = stackPolicy(volumeTier);
  const plan = (name: string, volumes: string[], overrides: Record<string, unknown> = {}) =>
    planEntry(name, { resources: volumes.map((v) => ({ id: UNKNOWN, name: v })), ...overrides }, volumes);
  const tiered = (name: string, tier: string) => volumeEntry(name, { metadata: { "backup:tier": tier } });

  it("is mandatory and not applicable while no volume names a tier", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.match(
      (await runStackPolicy(policy, [volumeEntry("db-data"), plan("db-nightly", ["db-data"])])).notApplicable ?? "",
      /no volume names a tier/,
    );
  });

  it("accepts a silver volume on the twice-daily baseline (12 h, 29 backups = 14.5 days)", async () => {
    assertClean(await runStackPolicy(policy, [tiered("db-data", "silver"), plan("db-nightly", ["db-data"])]));
  });

  it("reports a gold volume on a twice-daily plan: RPO and retention, with fixes", async () => {
    const outcome = await runStackPolicy(policy, [tiered("db-data", "gold"), plan("db-nightly", ["db-data"])]);
    const texts = assertViolations(outcome, 2);
    assert.match(
      texts[0]!,
      /volume `db-data` \(tier `gold`: 4 h RPO, 35 days retention\) gets a 12 h recovery point from `db-nightly` \(longest gap\); the tier allows 4 h: run a plan covering it at least as often as `0 \*\/4 \* \* \*`, or lower the volume's tier/,
    );
    assert.match(texts[1]!, /can be restored only 14.5 days back with `db-nightly`; the tier needs 35 days/);
  });

  it("combines plans: an hourly short-term plan and a daily long-term plan together meet gold", async () => {
    const stack = [
      tiered("db-data", "gold"),
      plan("db-hourly", ["db-data"], { schedulePattern: "5 * * * *", maxBackups: 48 }),
      plan("db-daily", ["db-data"], { schedulePattern: "20 2 * * *", maxBackups: 40 }),
    ];
    assertClean(await runStackPolicy(policy, stack));
  });

  it("a nightly plan meets silver at the defaults; an opted-in execution window is added to the gap", async () => {
    const stack = [
      tiered("db-data", "silver"),
      plan("db-nightly", ["db-data"], { schedulePattern: "0 2 * * *", maxBackups: 20 }),
    ];
    assertClean(await runStackPolicy(policy, stack));
    const [text] = assertViolations(await runStackPolicy(policy, stack, { config: { executionWindowMinutes: 30 } }), 1);
    assert.match(
      text!,
      /gets a 24.5 h recovery point from `db-nightly` \(longest gap plus the 30 min execution window\); the tier allows 24 h/,
    );
  });

  it("merges schedules: two plans 12 h apart each, offset by 6 h, give a 6 h recovery point", async () => {
    const stack = [
      tiered("db-data", "gold"),
      plan("a", ["db-data"], { schedulePattern: "0 0,12 * * *", maxBackups: 90 }),
      plan("b", ["db-data"], { schedulePattern: "0 6,18 * * *", maxBackups: 90 }),
    ];
    const [text] = assertViolations(await runStackPolicy(policy, stack), 1);
    assert.match(text!, /gets a 6 h recovery point from `a` and `b`/);
    assertClean(
      await runStackPolicy(policy, stack, { config: { tiers: { gold: { maxRpoHours: 6, minRetentionDays: 35 } } } }),
    );
  });

  it("reports a tier that is not configured, and applies a default tier when one is set", async () => {
    assert.match(
      assertViolations(await runStackPolicy(policy, [tiered("db-data", "platinum"), plan("p", ["db-data"])]), 1)[0]!,
      /names tier `platinum` .* use one of `gold`, `silver` and `bronze`/,
    );
    assertViolations(
      await runStackPolicy(policy, [volumeEntry("db-data"), plan("p", ["db-data"])], {
        config: { defaultTier: "gold" },
      }),
      2,
    );
    await assert.rejects(
      runStackPolicy(policy, [volumeEntry("db-data")], { config: { defaultTier: "tin" } }),
      /defaultTier `tin` is not one of the configured tiers/,
    );
  });
});
