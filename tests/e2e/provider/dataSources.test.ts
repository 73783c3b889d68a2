// Data sources inside a real program: each returns what the emulator holds, in camelCase, all pages, with
// the filters applied; a lookup that must find one thing says clearly when it finds nothing.
import assert from "node:assert/strict";
import { collect } from "../../../provider/api";
import type { Checkpoint, Plan } from "../../../provider/api/types";
import { assertOk, engine, fixtureDir, startHarness, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("datasources");
const stack = "datasources";
const [db, web] = VOLUMES;

type Json = Record<string, unknown>;

describe("data sources (in a program, against the emulator)", function () {
  this.timeout(120_000);
  let h: Harness;
  let outputs: Json;
  let nightly: Plan;
  let weekly: Plan;
  let checkpoints: Checkpoint[];

  before(async () => {
    h = await startHarness({ startTime: new Date("2026-01-05T00:00:00Z") });
    h.useStack(cwd, stack);
    const client = h.client();
    const base = { description: "", backup_mode: "full" as const, max_backups: 5, schedule_type: "crontab" as const };
    nightly = await client.createPlan({
      ...base,
      name: "db-nightly",
      schedule_pattern: "0 2 * * *",
      resources: [
        { ...db, type: "OS::Cinder::Volume" },
        { ...web, type: "OS::Cinder::Volume" },
      ],
    });
    weekly = await client.createPlan({
      ...base,
      name: "web-weekly",
      schedule_pattern: "0 4 * * 0",
      resources: [{ ...web, type: "OS::Cinder::Volume" }],
    });
    await h.admin("POST", "clock/advance", { seconds: 4 * 86_400 });
    await client.updatePlan(weekly.id, { status: "suspended" });
    checkpoints = await collect(client.checkpoints());

    const result = await engine.up(
      h.options(cwd, stack, {
        "datasourcesfixture:planId": nightly.id,
        "datasourcesfixture:planName": nightly.name,
        "datasourcesfixture:volumeName": db.name,
        "datasourcesfixture:volumeId": web.id,
        "datasourcesfixture:checkpointId": checkpoints[0]?.id ?? "",
      }),
    );
    assertOk(result);
    outputs = result.outputs;
  });
  after(async () => {
    await h.close();
  });

  const names = (value: unknown): string[] =>
    ((value as { plans: { name: string }[] }).plans ?? []).map((p) => p.name).sort();

  it("getBackupPlans lists every plan, and filters by name, volume and status", () => {
    assert.deepEqual(names(outputs["allPlans"]), ["db-nightly", "web-weekly"]);
    assert.deepEqual(names(outputs["plansByName"]), ["db-nightly"]);
    assert.deepEqual(names(outputs["plansByVolume"]), ["db-nightly"]);
    assert.deepEqual(names(outputs["suspendedPlans"]), ["web-weekly"]);
  });

  it("getBackupPlan (and its Output form) returns the plan in camelCase", () => {
    const expected = {
      id: nightly.id,
      name: "db-nightly",
      description: "",
      backupMode: "full",
      maxBackups: 5,
      scheduleType: "crontab",
      schedulePattern: "0 2 * * *",
      resources: [
        { ...db, type: "OS::Cinder::Volume" },
        { ...web, type: "OS::Cinder::Volume" },
      ],
      status: "started",
      createdAt: nightly.created_at,
    };
    assert.deepEqual(outputs["plan"], expected);
    assert.deepEqual(outputs["planViaOutput"], expected);
  });

  it("getBackupPlan of an unknown id fails clearly", () => {
    assert.match(
      String((outputs["missingPlan"] as Json)["error"]),
      /getBackupPlan: the lookup failed: no plan with id 00000000-0000-4000-8000-000000000000/,
    );
  });

  it("getCheckpoints returns all checkpoints of a plan, and filters by volume and status", () => {
    const ofPlan = (outputs["checkpointsOfPlan"] as { checkpoints: Json[] }).checkpoints;
    const expected = checkpoints.filter((c) => c.plan_id === nightly.id);
    assert.deepEqual(
      ofPlan.map((c) => c["id"]),
      expected.map((c) => c.id),
    );
    assert.equal(ofPlan.length, 4);
    const first = ofPlan[0] as { planId: string; items: Json[] };
    assert.equal(first.planId, nightly.id);
    assert.deepEqual(
      Object.keys(first.items[0] ?? {}).sort(),
      [
        "backupCreatedAt",
        "backupId",
        "chainId",
        "checkpointId",
        "createdAt",
        "id",
        "isIncremental",
        "resource",
        "status",
      ].sort(),
    );
    const available = (outputs["availableOfVolume"] as { checkpoints: Json[] }).checkpoints;
    assert.ok(available.length > 0 && available.every((c) => c["status"] === "available"));
  });

  it("getCheckpoint returns one checkpoint with its items", () => {
    const one = outputs["checkpoint"] as { id: string; items: { resource: { name: string } }[] };
    assert.equal(one.id, checkpoints[0]?.id);
    assert.deepEqual(one.items.map((i) => i.resource.name).sort(), ["db-data", "web-data"]);
  });

  it("getLatestRestorePoint finds the newest available item of a volume, by name or by id within a plan", () => {
    const items = checkpoints
      .flatMap((c) => c.checkpoint_items.map((i) => ({ ...i, plan_id: c.plan_id })))
      .filter((i) => i.status === "available");
    const newest = (pred: (i: (typeof items)[number]) => boolean) =>
      items.filter(pred).sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
    const byName = outputs["latestByName"] as Json;
    assert.equal(byName["checkpointItemId"], newest((i) => i.resource.name === db.name)?.id);
    assert.equal(byName["planId"], nightly.id);
    const byId = outputs["latestById"] as Json;
    assert.equal(byId["checkpointItemId"], newest((i) => i.resource.id === web.id && i.plan_id === nightly.id)?.id);
  });

  it("getLatestRestorePoint of a volume without backups says so", () => {
    assert.match(
      String((outputs["latestOfUnknownVolume"] as Json)["error"]),
      /no available backup of volume "no-such-volume"/,
    );
  });
});
