import assert from "node:assert/strict";
import { UnknownValueError } from "@pulumi/policy";
import { resourcesValid } from "../../../policy/policies/resources-valid";
import { compliantPlan, runResourcePolicy, UNKNOWN, VOLUME_IDS } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy resources-valid", () => {
  const policy = resourcePolicy(resourcesValid);

  it("is mandatory, accepts the baseline and entries without a type (the provider fills it in)", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assertClean(await runResourcePolicy(policy, compliantPlan()));
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ resources: [{ id: VOLUME_IDS[0], name: "db-data" }] })),
    );
  });

  it("rejects an empty list", async () => {
    assert.match(
      assertViolations(await runResourcePolicy(policy, compliantPlan({ resources: [] })), 1)[0]!,
      /invalid `resources`: resources is empty/,
    );
  });

  it("rejects a name where an id belongs, a foreign type and a repeated volume, each at its path", async () => {
    const texts = assertViolations(
      await runResourcePolicy(
        policy,
        compliantPlan({
          resources: [
            { id: "db-data", name: "db-data" },
            { id: VOLUME_IDS[1], name: "logs", type: "OS::Nova::Server" },
            { id: VOLUME_IDS[1], name: "logs-again" },
          ],
        }),
      ),
      3,
    );
    assert.match(texts[0]!, /`resources\[0\]\.id`: .*not a GUID/);
    assert.match(texts[1]!, /`resources\[1\]\.type`/);
    assert.match(texts[2]!, /`resources\[2\]\.id`: .*repeats resources\[1\]\.id/);
  });

  it("accepts non-GUID ids when configured to", async () => {
    assertClean(
      await runResourcePolicy(policy, compliantPlan({ resources: [{ id: "vol-1", name: "db-data" }] }), {
        config: { requireGuidIds: false },
      }),
    );
  });

  it("cannot run in preview while a volume id is unknown", async () => {
    await assert.rejects(
      runResourcePolicy(policy, compliantPlan({ resources: [{ id: UNKNOWN, name: "db-data" }] })),
      UnknownValueError,
    );
  });
});
