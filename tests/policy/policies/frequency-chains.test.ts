import assert from "node:assert/strict";
import { frequencyChains } from "../../../policy/policies/frequency-chains";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy frequency-chains", () => {
  const policy = resourcePolicy(frequencyChains);
  const frequency = (maxBackups: number) => compliantPlan({ backupMode: "frequency", maxBackups });

  it("is advisory and does not apply to full mode", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assert.match((await runResourcePolicy(policy, compliantPlan())).notApplicable ?? "", /not in frequency mode/);
  });

  it("flags a single chain and accepts two", async () => {
    const [text] = assertViolations(await runResourcePolicy(policy, frequency(1)), 1);
    assert.match(
      text!,
      /plan `db-nightly` keeps 1 incremental chain in frequency mode; .* the minimum is 2 chains: set `maxBackups` to 2 or more/,
    );
    assertClean(await runResourcePolicy(policy, frequency(2)));
  });

  it("follows a configured minimum", async () => {
    assertViolations(await runResourcePolicy(policy, frequency(3), { config: { minChains: 4 } }), 1);
    assertClean(await runResourcePolicy(policy, frequency(4), { config: { minChains: 4 } }));
  });
});
