import assert from "node:assert/strict";
import { naming } from "../../../policy/policies/naming";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy naming", () => {
  const policy = resourcePolicy(naming);

  it("is advisory and accepts the baseline", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assertClean(await runResourcePolicy(policy, compliantPlan()));
  });

  it("flags a name off the convention with a suggestion", async () => {
    const [text] = assertViolations(await runResourcePolicy(policy, compliantPlan({ name: "DB Nightly" })), 1);
    assert.match(
      text!,
      /plan `DB Nightly` has a `name` that does not match `\^\[a-z\]\[a-z0-9-\]\{2,62\}\$`: rename it, e.g. `db-nightly`/,
    );
  });

  it("flags a missing or short description without echoing it, at the 10-character boundary", async () => {
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ description: "" })), 1)[0]!,
      /has no `description`/,
    );
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ description: "123456789" })), 1)[0]!,
      /has a 9-character `description`; at least 10 characters/,
    );
    assertClean(await runResourcePolicy(policy, compliantPlan({ description: "1234567890" })));
  });

  it("follows configured rules", async () => {
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ name: "DB_Nightly", description: "" }), {
        config: { nameRegex: "^[A-Za-z_]+$", requireDescription: false },
      }),
    );
  });
});
