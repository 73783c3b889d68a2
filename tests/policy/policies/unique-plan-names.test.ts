import assert from "node:assert/strict";
import { UnknownValueError } from "@pulumi/policy";
import { uniquePlanNames } from "../../../policy/policies/unique-plan-names";
import { planEntry, runStackPolicy, UNKNOWN } from "../harness";
import { assertClean, assertViolations, stackPolicy } from "./helpers";

describe("policy unique-plan-names", () => {
  const policy = stackPolicy(uniquePlanNames);

  it("is mandatory and accepts distinct names", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assertClean(await runStackPolicy(policy, [planEntry("a"), planEntry("b")]));
  });

  it("reports every plan sharing a name, on its own URN", async () => {
    const outcome = await runStackPolicy(policy, [
      planEntry("one", { name: "db-nightly" }),
      planEntry("two", { name: "db-nightly" }),
      planEntry("three"),
    ]);
    const texts = assertViolations(outcome, 2);
    assert.match(
      texts[0]!,
      /plan name `db-nightly` is used by 2 plans in this stack \(resources `one` and `two`\); the provider finds a plan by name after an interrupted create/,
    );
    assert.deepEqual(
      outcome.violations.map((v) => v.urn?.split("::").pop()),
      ["one", "two"],
    );
  });

  it("optionally ignores case", async () => {
    const stack = [planEntry("one", { name: "DB" }), planEntry("two", { name: "db" })];
    assertClean(await runStackPolicy(policy, stack));
    assertViolations(await runStackPolicy(policy, stack, { config: { ignoreCase: true } }), 2);
  });

  it("cannot run in preview while a name is unknown", async () => {
    await assert.rejects(
      runStackPolicy(policy, [planEntry("one", { name: UNKNOWN }), planEntry("two")]),
      UnknownValueError,
    );
  });
});
