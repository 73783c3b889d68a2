import assert from "node:assert/strict";
import { duplicateCoverage } from "../../../policy/policies/duplicate-coverage";
import { planEntry, runStackPolicy, UNKNOWN, volumeEntry } from "../harness";
import { assertClean, assertViolations, stackPolicy } from "./helpers";

describe("policy duplicate-coverage", () => {
  const policy = stackPolicy(duplicateCoverage);
  const plan = (name: string, schedulePattern: string) =>
    planEntry(name, { schedulePattern, resources: [{ id: UNKNOWN, name: "db-data" }] }, ["db-data"]);

  it("is advisory and accepts different schedules on one volume", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assertClean(
      await runStackPolicy(policy, [volumeEntry("db-data"), plan("hourly", "5 * * * *"), plan("daily", "20 2 * * *")]),
    );
  });

  it("flags the same schedule twice, however it is spaced", async () => {
    const outcome = await runStackPolicy(policy, [
      volumeEntry("db-data"),
      plan("a", "20 2 * * *"),
      plan("b", "20  2 * * *"),
    ]);
    assert.match(
      assertViolations(outcome, 1)[0]!,
      /volume `db-data` is in 2 plans with the same schedule `20 2 \* \* \*` \(`a` and `b`\); at most 1 is useful/,
    );
  });

  it("allows more when configured", async () => {
    assertClean(
      await runStackPolicy(policy, [volumeEntry("db-data"), plan("a", "20 2 * * *"), plan("b", "20 2 * * *")], {
        config: { maxPlansPerVolume: 2 },
      }),
    );
  });
});
