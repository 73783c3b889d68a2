import assert from "node:assert/strict";
import { planStarted } from "../../../policy/policies/plan-started";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy plan-started", () => {
  const policy = resourcePolicy(planStarted);
  const suspended = (description = "Nightly backup of the orders database volume") =>
    compliantPlan({ status: "suspended", description });

  it("accepts started plans everywhere, and a plan without a status (the provider starts it)", async () => {
    assertClean(await runResourcePolicy(policy, compliantPlan(), { stack: "prod" }));
    const props = compliantPlan();
    delete props["status"];
    assertClean(await runResourcePolicy(policy, props, { stack: "prod" }));
  });

  it("is mandatory on a stack named as production", async () => {
    for (const stack of ["prod", "eu-production", "app.prod"]) {
      const [violation] = (await runResourcePolicy(policy, suspended("suspended: migration"), { stack })).violations;
      assert.equal(violation?.enforcementLevel, "mandatory", stack);
      assert.match(violation.message, /plan `db-nightly` is `suspended` on a production stack, so it takes no backups/);
    }
  });

  it("is mandatory on a stack tagged as production, whatever its name", async () => {
    const [violation] = (
      await runResourcePolicy(policy, suspended(), { stack: "blue", stackTags: { environment: "Production" } })
    ).violations;
    assert.equal(violation?.enforcementLevel, "mandatory");
  });

  it("is advisory elsewhere, and satisfied there by a reason in the description", async () => {
    const outcome = await runResourcePolicy(policy, suspended(), { stack: "dev" });
    assertViolations(outcome, 1);
    assert.equal(outcome.violations[0]!.enforcementLevel, "advisory");
    assert.match(
      outcome.violations[0]!.message,
      /^A backup plan must be `started`[^\n]*\nplan `db-nightly` is `suspended`, so it takes no backups, and its description gives no reason/,
    );
    assertClean(
      await runResourcePolicy(policy, suspended("Orders DB. Suspended: volume migration until 2026-12-01"), {
        stack: "dev",
      }),
    );
    assertClean(
      await runResourcePolicy(policy, suspended("suspended because the volume is being rebuilt"), { stack: "staging" }),
    );
  });

  it("can be made mandatory outside production", async () => {
    const outcome = await runResourcePolicy(policy, suspended(), {
      stack: "dev",
      config: { nonProductionLevel: "mandatory" },
    });
    assert.equal(outcome.violations[0]?.enforcementLevel, "mandatory");
  });

  it("takes custom production markers", async () => {
    const config = { productionStackPattern: "^live$", productionTagKeys: ["tier"], productionTagValues: ["critical"] };
    assert.equal(
      (await runResourcePolicy(policy, suspended(), { stack: "live", config })).violations[0]?.enforcementLevel,
      "mandatory",
    );
    assert.equal(
      (await runResourcePolicy(policy, suspended(), { stack: "prod", config })).violations[0]?.enforcementLevel,
      "advisory",
    );
    assert.equal(
      (await runResourcePolicy(policy, suspended(), { stack: "x", stackTags: { tier: "critical" }, config }))
        .violations[0]?.enforcementLevel,
      "mandatory",
    );
  });

  it("rejects a production pattern that is not a regular expression", async () => {
    await assert.rejects(
      runResourcePolicy(policy, suspended(), { config: { productionStackPattern: "(" } }),
      /productionStackPattern must be a valid JavaScript regular expression/,
    );
  });
});
