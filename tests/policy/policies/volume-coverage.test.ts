import assert from "node:assert/strict";
import { UnknownValueError } from "@pulumi/policy";
import { volumeCoverage } from "../../../policy/policies/volume-coverage";
import { planEntry, runStackPolicy, UNKNOWN, VOLUME_IDS, volumeEntry } from "../harness";
import { assertClean, assertViolations, stackPolicy } from "./helpers";

describe("policy volume-coverage", () => {
  const policy = stackPolicy(volumeCoverage);
  const plan = (name: string, volumes: string[], overrides: Record<string, unknown> = {}) =>
    planEntry(name, { resources: volumes.map((v) => ({ id: UNKNOWN, name: v })), ...overrides }, volumes);

  it("is mandatory and not applicable to a stack without volumes", async () => {
    assert.equal(policy.enforcementLevel, "mandatory");
    assert.match((await runStackPolicy(policy, [planEntry("db-nightly")])).notApplicable ?? "", /no block volumes/);
  });

  it("matches plans to volumes through propertyDependencies, with ids still unknown (preview)", async () => {
    assertClean(
      await runStackPolicy(policy, [
        volumeEntry("db-data", { id: UNKNOWN }),
        volumeEntry("logs", { id: UNKNOWN }),
        plan("db-nightly", ["db-data", "logs"]),
      ]),
    );
  });

  it("reports an uncovered volume on the volume's URN with the fix", async () => {
    const outcome = await runStackPolicy(policy, [
      volumeEntry("db-data"),
      volumeEntry("scratch"),
      plan("db-nightly", ["db-data"]),
    ]);
    const [text] = assertViolations(outcome, 1);
    assert.match(
      text!,
      /volume `scratch` is not in any backup plan: add it to a started plan's `resources` .* or set its metadata `backup:exempt` to the reason/,
    );
    assert.equal(outcome.violations[0]!.urn, "urn:pulumi:dev::backups::openstack:blockstorage/volume:Volume::scratch");
  });

  it("knows in preview that a new volume no plan depends on is uncovered", async () => {
    const stack = [
      volumeEntry("db-data", { id: UNKNOWN }),
      volumeEntry("scratch", { id: UNKNOWN }),
      plan("db-nightly", ["db-data"]),
    ];
    assert.match(
      assertViolations(await runStackPolicy(policy, stack), 1)[0]!,
      /volume `scratch` is not in any backup plan/,
    );
  });

  it("falls back to id equality when the plan does not depend on the volume", async () => {
    const stack = [
      volumeEntry("db-data", { id: VOLUME_IDS[0] }),
      planEntry("db-nightly", { resources: [{ id: VOLUME_IDS[0], name: "db-data" }] }),
    ];
    assertClean(await runStackPolicy(policy, stack));
  });

  it("cannot decide in preview when an unexplained plan entry id is unknown", async () => {
    const stack = [
      volumeEntry("db-data", { id: VOLUME_IDS[0] }),
      planEntry("db-nightly", { resources: [{ id: UNKNOWN, name: "db-data" }] }),
    ];
    await assert.rejects(runStackPolicy(policy, stack), UnknownValueError);
  });

  it("does not count suspended plans unless configured", async () => {
    const stack = [
      volumeEntry("db-data"),
      plan("db-nightly", ["db-data"], { status: "suspended" }),
      plan("db-weekly", ["db-data"], { status: "suspended" }),
    ];
    assert.match(
      assertViolations(await runStackPolicy(policy, stack), 1)[0]!,
      /volume `db-data` is only in suspended plans `db-nightly` and `db-weekly`, so nothing backs it up/,
    );
    assertClean(await runStackPolicy(policy, stack, { config: { countSuspended: true } }));
  });

  it("exempts a volume whose metadata gives a reason, but not a bare flag", async () => {
    assertClean(
      await runStackPolicy(policy, [
        volumeEntry("scratch", { metadata: { "backup:exempt": "scratch space, rebuilt from images" } }),
      ]),
    );
    assert.match(
      assertViolations(
        await runStackPolicy(policy, [volumeEntry("scratch", { metadata: { "backup:exempt": "true" } })]),
        1,
      )[0]!,
      /sets `backup:exempt` without a reason/,
    );
  });

  it("counts configured volume types only", async () => {
    const stack = [{ type: "custom:storage:Disk", name: "disk", props: { name: "disk" } }];
    assert.match((await runStackPolicy(policy, stack)).notApplicable ?? "", /no block volumes/);
    assertViolations(await runStackPolicy(policy, stack, { config: { volumeTypes: ["custom:storage:Disk"] } }), 1);
  });
});
