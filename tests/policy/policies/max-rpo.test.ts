import assert from "node:assert/strict";
import { UnknownValueError } from "@pulumi/policy";
import { maxRpo } from "../../../policy/policies/max-rpo";
import { compliantPlan, runResourcePolicy, UNKNOWN } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy max-rpo", () => {
  const policy = resourcePolicy(maxRpo);

  it("is mandatory, 24 h with the execution window opt-in (0) by default, and accepts the baseline", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.deepEqual(maxRpo.defaults, { maxRpoHours: 24, executionWindowMinutes: 0 });
    assertClean(await runResourcePolicy(policy, compliantPlan()));
  });

  it("at the defaults a nightly plan passes and a weekday-only plan (72 h) fails", async () => {
    assertClean(await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * *" })));
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * 1-5" })),
      1,
    );
    assert.equal(
      text!.split("\n")[1],
      "plan `db-nightly` runs at most every 72 h (weekday-only schedule), " +
        "so up to 72 h of data can be lost; the limit is 24 h: add Saturday and Sunday or use `0 2 * * *`",
    );
  });

  it(
    "explains a weekday-only plan with the execution window counted: " + "measured gap, why, limit and the fix",
    async () => {
      const config = { maxRpoHours: 25, executionWindowMinutes: 30 };
      const [text] = assertViolations(
        await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * 1-5" }), { config }),
        1,
      );
      assert.equal(
        text!.split("\n")[1],
        "plan `db-nightly` runs at most every 72 h (weekday-only schedule), " +
          "so up to 72.5 h of data can be lost with the 30 min execution window; the limit is 25 h: " +
          "add Saturday and Sunday or use `0 2 * * *`",
      );
    },
  );

  it("counts an opted-in execution window: a daily plan then meets 24.5 h but not 24 h", async () => {
    const daily = compliantPlan({ schedulePattern: "0 2 * * *" });
    const window = { executionWindowMinutes: 30 };
    assertClean(await runResourcePolicy(policy, daily, { config: { ...window, maxRpoHours: 24.5 } }));
    const [text] = assertViolations(await runResourcePolicy(policy, daily, { config: window }), 1);
    assert.match(
      text!,
      /runs at most every 24 h \(daily at 02:00 UTC\), so up to 24.5 h .*; the limit is 24 h: use `0 2,14 \* \* \*` or allow 24.5 h \(`maxRpoHours: 24.5`\) to accept this schedule as it is$/m,
    );
  });

  it(
    "a misspelled option: one clean message with a guess, " + "no stack frames, a short line for later resources",
    async () => {
      const config = { maxRpoHour: 12 };
      const first = await runResourcePolicy(policy, compliantPlan(), { config }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      assert.ok(first instanceof Error);
      assert.match(
        first.message,
        /^policy `max-rpo` has invalid options:\n✖ unknown option `maxRpoHour`: did you mean `maxRpoHours`\? \(options: maxRpoHours, executionWindowMinutes, and enforcementLevel\)\nfix the `max-rpo` entry/,
      );
      assert.doesNotMatch(first.stack ?? "", /\n\s+at /, "no stack frames");
      await assert.rejects(
        runResourcePolicy(policy, compliantPlan({ name: "other" }), { config }),
        (err: unknown) =>
          err instanceof Error &&
          err.message === "policy `max-rpo` has invalid options (explained in the first error of this run)",
      );
    },
  );

  it("fails a 48 h plan under the default limit", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 * * 1,3,5" })),
      1,
    );
    assert.match(text!, /runs at most every 72 h \(no runs on Tuesday, Thursday, Saturday and Sunday\)/);
  });

  it("says when no schedule the service allows can meet the limit", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 * * * *" }), {
        config: { maxRpoHours: 1, executionWindowMinutes: 30 },
      }),
      1,
    );
    assert.match(
      text!,
      /the limit is 1 h: no schedule the service allows \(at most hourly\) fits 1 h with the 30 min execution window; allow 1.5 h \(`maxRpoHours: 1.5`\)/,
    );
  });

  it("reports a yearly plan as an unbounded recovery point", async () => {
    const [text] = assertViolations(
      await runResourcePolicy(policy, compliantPlan({ schedulePattern: "0 2 29 2 *" })),
      1,
    );
    assert.match(text!, /fires fewer than twice|runs at most every/);
  });

  it("cannot run in preview while the schedule type is unknown", async () => {
    await assert.rejects(runResourcePolicy(policy, compliantPlan({ scheduleType: UNKNOWN })), UnknownValueError);
  });
});
