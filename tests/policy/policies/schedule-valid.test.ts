import assert from "node:assert/strict";
import { UnknownValueError } from "@pulumi/policy";
import { scheduleValid } from "../../../policy/policies/schedule-valid";
import { compliantPlan, runResourcePolicy, UNKNOWN, VOLUME_TYPE } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy schedule-valid", () => {
  const policy = resourcePolicy(scheduleValid);

  it("is mandatory and accepts the compliant baseline", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assertClean(await runResourcePolicy(policy, compliantPlan()));
  });

  it("names the plan, the field and the fix for an out-of-range minute", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "61 2 * * *" })),
      1,
    );
    assert.match(text!, /^A backup plan's schedule must be valid/);
    assert.match(text!, /plan `db-nightly` has an invalid `schedulePattern`: .*61.*: /);
  });

  it("rejects a calendar pattern outside the weekly form and accepts one inside it", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ scheduleType: "calendar", schedulePattern: "0 2 1 * *" })),
      1,
    );
    assert.match(text!, /`schedulePattern`/);
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ scheduleType: "calendar", schedulePattern: "30 2 * * 1,3,5" })),
    );
  });

  it("rejects a pattern that never fires and a schedule type the service does not know", async () => {
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 0 30 2 *" })), 1)[0]!,
      /invalid `schedulePattern`/,
    );
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ scheduleType: "weekly" })), 1)[0]!,
      /invalid `scheduleType`/,
    );
  });

  it("reports a missing schedule pattern", async () => {
    const props = compliantPlan();
    delete props["schedulePattern"];
    assert.match(
      assertViolations(await runResourcePolicy(policy, props), 1)[0]!,
      /no `schedulePattern`: set a five-field UTC cron expression/,
    );
  });

  it("uses the resource name when the plan has no name input", async () => {
    const props = compliantPlan({ schedulePattern: "61 2 * * *" });
    delete props["name"];
    assert.match(
      assertViolations(await runResourcePolicy(policy, props, { name: "nightly" }), 1)[0]!,
      /plan `nightly`/,
    );
  });

  it("cannot run in preview while the pattern is unknown", async () => {
    await assert.rejects(runResourcePolicy(policy, compliantPlan({ schedulePattern: UNKNOWN })), UnknownValueError);
  });

  it("ignores resources of other types", async () => {
    assertClean(await runResourcePolicy(policy, { schedulePattern: "nonsense" }, { type: VOLUME_TYPE }));
  });
});
