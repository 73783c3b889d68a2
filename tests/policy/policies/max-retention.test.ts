import assert from "node:assert/strict";
import { maxRetention } from "../../../policy/policies/max-retention";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy max-retention", () => {
  const policy = resourcePolicy(maxRetention);

  it("is advisory with 400 days by default and accepts the baseline", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assert.equal(maxRetention.defaults.maxRetentionDays, 400);
    assertClean(await runResourcePolicy(policy, compliantPlan()));
  });

  it("flags a weekly plan keeping 90 backups (89 weeks) and suggests the largest count within the limit", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 3 * * 0", maxBackups: 90 })),
      1,
    );
    assert.match(
      text!,
      /plan `db-nightly` keeps 90 full backups of a schedule that runs .*, reaching back 623 days; the limit is 400 days: lower `maxBackups` to 58 or fewer/,
    );
  });

  it("accepts a look-back exactly at the limit", async () => {
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * *", maxBackups: 11 }), {
        config: { maxRetentionDays: 10 },
      }),
    );
    assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * *", maxBackups: 12 }), {
        config: { maxRetentionDays: 10 },
      }),
      1,
    );
  });
});
