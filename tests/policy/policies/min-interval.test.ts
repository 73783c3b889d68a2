import assert from "node:assert/strict";
import { everyHoursPattern, minInterval } from "../../../policy/policies/min-interval";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy min-interval", () => {
  const policy = resourcePolicy(minInterval);

  it("is mandatory with a 60 min default and accepts the baseline and an hourly plan", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.equal(minInterval.defaults.minIntervalMinutes, 60);
    assertClean(await runResourcePolicy(policy, compliantPlan()));
    assertClean(await runResourcePolicy(policy, compliantPlan({ schedulePattern: "5 * * * *" })));
  });

  it("reports the closest two runs against a tighter limit, with a pattern that fits", async () => {
    const config = { minIntervalMinutes: 240 };
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "17 1,3 * * *" }), { config }),
      1,
    );
    assert.match(
      text!,
      /plan `db-nightly` runs twice within 2 h \(Mon 2024-01-01 01:17 UTC and Mon 2024-01-01 03:17 UTC\); the minimum interval is 4 h: .*`17 1-23\/4 \* \* \*`/,
    );
  });

  it("accepts a gap exactly at the limit and rejects one a minute under it", async () => {
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 */4 * * *" }), {
        config: { minIntervalMinutes: 240 },
      }),
    );
    assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 */4 * * *" }), {
        config: { minIntervalMinutes: 241 },
      }),
      1,
    );
  });

  it("leaves invalid schedules to schedule-valid", async () => {
    const outcome = await runResourcePolicy(policy, compliantPlan({ schedulePattern: "*/10 * * * *" }));
    assert.match(outcome.notApplicable ?? "", /schedule-valid/);
    assertViolations(outcome, 0);
  });

  it("rejects options that do not fit the schema, naming the policy and the key", async () => {
    await assert.rejects(
      runResourcePolicy(policy, compliantPlan(), { config: { minIntervalMinutes: "an hour" } }),
      /policy `min-interval` has invalid options:[\s\S]*minIntervalMinutes/,
    );
    await assert.rejects(
      runResourcePolicy(policy, compliantPlan(), { config: { minIntervalMinute: 30 } }),
      /unknown option `minIntervalMinute`: did you mean `minIntervalMinutes`\?/,
    );
  });

  it("builds even patterns that keep the plan's minute and hour", () => {
    assert.equal(everyHoursPattern(17, 24, 2), "17 2 * * *");
    assert.equal(everyHoursPattern(17, 12, 2), "17 2,14 * * *");
    assert.equal(everyHoursPattern(0, 4, 1), "0 1-23/4 * * *");
    assert.equal(everyHoursPattern(5, 1), "5 * * * *");
  });
});
