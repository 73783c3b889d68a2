import assert from "node:assert/strict";
import { spreadMinute } from "../../../policy/core/format";
import { scheduleSpread, spreadPattern } from "../../../policy/policies/schedule-spread";
import { BACKUP_PLAN_TYPE } from "../../../provider/tokens";
import { InProcessAnalyzer } from "../analyzer";
import { compliantPlan, planEntry, runStackPolicy, urnOf } from "../harness";
import { assertClean, assertViolations, stackPolicy } from "./helpers";

describe("policy schedule-spread", () => {
  const policy = stackPolicy(scheduleSpread);
  const at = (name: string, schedulePattern: string, overrides: Record<string, unknown> = {}) =>
    planEntry(name, { schedulePattern, ...overrides });

  it("is advisory and accepts plans spread over the hour", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assertClean(await runStackPolicy(policy, [at("a", "5 2 * * *"), at("b", "20 2 * * *"), at("c", "35 2 * * *")]));
  });

  it("reports three plans starting in one 15-minute bucket, with moves that spread them", async () => {
    const outcome = await runStackPolicy(policy, [
      at("a", "0 2 * * *"),
      at("b", "5 2 * * *"),
      at("c", "0 2 * * *"),
      at("d", "20 2 * * *"),
    ]);
    const [text] = assertViolations(outcome, 1);
    assert.match(
      text!,
      /^3 plans start between 02:00 and 02:15 UTC on the same day \(`a`, `b` and `c`\); at most 2 may start in one 15-minute bucket: move some to other minutes, e.g. `c` to `\d+ 2 \* \* \*`$/m,
    );
  });

  it("counts only plans that run on the same day and are started", async () => {
    assertClean(
      await runStackPolicy(policy, [
        at("a", "0 2 * * 1"),
        at("b", "2 2 * * 2"),
        at("c", "4 2 * * 3"),
        at("d", "30 5 * * *"),
      ]),
    );
    assertClean(
      await runStackPolicy(policy, [
        at("a", "0 2 * * *"),
        at("b", "2 2 * * *"),
        at("c", "4 2 * * *", { status: "suspended" }),
        at("d", "30 5 * * *"),
      ]),
    );
  });

  it("reports when every plan starts on minute 0", async () => {
    const [text] = assertViolations(await runStackPolicy(policy, [at("a", "0 2 * * *"), at("b", "0 4 * * *")]), 1);
    assert.match(text!, /all 2 started plans start on minute 0/);
    assertClean(
      await runStackPolicy(policy, [at("a", "0 2 * * *"), at("b", "0 4 * * *")], {
        config: { flagAllOnMinuteZero: false },
      }),
    );
  });

  it("follows a configured bucket and crowd size", async () => {
    const stack = [at("a", "0 2 * * *"), at("b", "10 2 * * *"), at("c", "25 2 * * *")];
    assertClean(await runStackPolicy(policy, stack));
    assertViolations(await runStackPolicy(policy, stack, { config: { bucketMinutes: 30 } }), 1);
    assertClean(await runStackPolicy(policy, stack, { config: { bucketMinutes: 30, maxConcurrentPlans: 3 } }));
  });

  it(
    "remediates a plan on minute 0 by moving it to a minute derived from its name, " + "keeping every other input",
    async () => {
      // Through @pulumi/policy's own Remediate handler: `remediateResource` answers the props it was given,
      // still wrapped in the library's unknown-checking proxies, and the handler serializes them to the plain
      // values the engine receives. Compare those (Node >= 22.16 compares the proxies' constructors too).
      const analyzer = new InProcessAnalyzer([scheduleSpread.create("remediate")]);
      const remediate = (props: Record<string, unknown>) =>
        analyzer.remediate({
          type: BACKUP_PLAN_TYPE,
          name: "db-nightly",
          urn: urnOf(BACKUP_PLAN_TYPE, "db-nightly"),
          properties: props,
        });
      const props = compliantPlan({ name: "db-nightly", schedulePattern: "0 2 * * 1-5" });
      const [remediation, ...rest] = await remediate(props);
      assert.deepEqual(rest, []);
      assert.equal(remediation?.policy, "schedule-spread");
      assert.deepEqual(remediation.properties, {
        ...props,
        schedulePattern: `${spreadMinute("db-nightly")} 2 * * 1-5`,
      });
      assert.deepEqual(await remediate(compliantPlan({ schedulePattern: "17 2 * * *" })), []);
    },
  );

  it("rewrites only a minute field that is exactly 0", () => {
    assert.equal(spreadPattern("0 2 * * *", 37), "37 2 * * *");
    assert.equal(spreadPattern("0,30 2 * * *", 37), undefined);
    assert.equal(spreadPattern("15 2 * * *", 37), undefined);
    assert.ok(spreadMinute("db-nightly") >= 0 && spreadMinute("db-nightly") < 60);
    assert.equal(spreadMinute("db-nightly"), spreadMinute("db-nightly"));
  });
});
