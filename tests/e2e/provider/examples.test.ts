// The examples users copy, run as they are through the engine stand-in: quickstart, then restore from what
// its plans produced, then adopt. Each example is a Pulumi program with its own Pulumi.yaml and no
// package.json/node_modules: `pulumi-scheduled-backup` and `@pulumi/pulumi` resolve from the repo root.
import assert from "node:assert/strict";
import path from "node:path";
import type { ScheduledBackupClient } from "../../../provider/api";
import { assertOk, engine, REPO_ROOT, startHarness, stepSummary, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const stack = "examples";
/**
 * Each example program is type-checked by ts-node on one of its runs, as the language host does; its
 * other runs opt out the way users can (type checking is the slow part of a run).
 */
const CHECKED = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
const [db, web, logs] = VOLUMES;

/** The example's own directory: its Pulumi.yaml says `main: index.ts`, as a real `pulumi up` reads it. */
function exampleDir(example: string): string {
  return path.join(REPO_ROOT, "examples", example);
}

describe("examples (quickstart, restore, adopt)", function () {
  this.timeout(180_000);
  let h: Harness;
  let client: ScheduledBackupClient;
  const dirs: Record<string, string> = {};
  const config: Record<string, Record<string, string>> = {};

  before(async () => {
    h = await startHarness({ startTime: new Date("2026-02-02T00:00:00Z") });
    client = h.client();
    for (const name of ["quickstart", "restore", "adopt"]) {
      dirs[name] = exampleDir(name);
      h.useStack(exampleDir(name), stack);
    }
    config["quickstart"] = { "quickstart:volumes": JSON.stringify([db, web]) };
    // An older plan of the same name, with a backup, deleted before the quickstart: not the quickstart's.
    const older = await client.createPlan({
      name: "db-data-nightly",
      description: "",
      backup_mode: "full",
      max_backups: 3,
      schedule_type: "crontab",
      schedule_pattern: "0 2 * * *",
      resources: [{ ...db, type: "OS::Cinder::Volume" }],
    });
    await h.admin("POST", "clock/advance", { seconds: 86_400 });
    await client.deletePlan(older.id);
    config["restore"] = { "restore:volumeName": db.name, "restore:restoreName": "db-data-restored" };
  });
  after(async () => {
    for (const name of ["adopt", "restore", "quickstart"]) {
      const dir = dirs[name];
      if (dir !== undefined) await engine.destroy(h.options(dir, stack, config[name])).catch(() => undefined);
    }
    await h.close();
  });

  it("the repository root's Pulumi.yaml runs the quickstart", async () => {
    const result = await engine.preview(h.options(REPO_ROOT, stack, config["quickstart"], CHECKED));
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create db-nightly", "create web-daily"]);
  });

  it(
    "quickstart creates a full and a frequency plan and " + "exports their facts (its checkpoints by plan id)",
    async () => {
      const result = await engine.up(h.options(dirs["quickstart"] ?? "", stack, config["quickstart"]));
      assertOk(result);
      assert.deepEqual(stepSummary(result).sort(), ["create db-nightly", "create web-daily"]);
      const live = await h.plans();
      assert.deepEqual(live.map((p) => `${p.name} ${p.backup_mode}`).sort(), [
        "db-data-nightly full",
        "web-data-daily frequency",
      ]);
      const plans = result.outputs["plans"] as Record<
        string,
        { rpoHours: number; restoresReachDays: number; nextRuns: string[] }
      >;
      assert.equal(plans[db.name]?.rpoHours, 24);
      assert.equal(plans[web.name]?.rpoHours, 24);
      assert.equal(plans[db.name]?.nextRuns.length, 5);
      assert.deepEqual(result.outputs["checkpoints"], { [db.name]: [], [web.name]: [] });
    },
  );

  it("quickstart again is a no-op, and lists the checkpoints once the plans have run", async () => {
    await h.admin("POST", "clock/advance", { seconds: 3 * 86_400 });
    const result = await engine.up(h.options(dirs["quickstart"] ?? "", stack, config["quickstart"], CHECKED));
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same db-nightly", "same web-daily"]);
    const checkpoints = result.outputs["checkpoints"] as Record<string, { volumes: string[] }[]>;
    assert.equal(checkpoints[db.name]?.length, 3);
    assert.ok((checkpoints[web.name]?.length ?? 0) >= 2);
    assert.deepEqual(checkpoints[db.name]?.[0]?.volumes, [db.name]);
  });

  it("restore restores the newest backup of the volume into a new volume", async () => {
    const result = await engine.up(h.options(dirs["restore"] ?? "", stack, config["restore"]));
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["create restored"]);
    assert.equal(result.outputs["restoreStatus"], "success");
    const volumes = await h.admin<{ volumes: { id: string; name: string }[] }>("GET", "volumes");
    const created = volumes.volumes.find((v) => v.name === "db-data-restored");
    assert.equal(created?.id, result.outputs["newVolumeId"]);
  });

  it("adopt takes an existing plan under management and references another read-only", async () => {
    const existing = await client.createPlan({
      name: "logs-legacy",
      description: "made by hand",
      backup_mode: "full",
      max_backups: 3,
      schedule_type: "crontab",
      schedule_pattern: "0 5 * * *",
      resources: [{ ...logs, type: "OS::Cinder::Volume" }],
    });
    const reference = (await h.plans()).find((p) => p.name === "db-data-nightly");
    assert.ok(reference);
    config["adopt"] = {
      "adopt:existingPlanId": existing.id,
      "adopt:volume": JSON.stringify(logs),
      "adopt:referencePlanId": reference.id,
    };
    const result = await engine.up(h.options(dirs["adopt"] ?? "", stack, config["adopt"]));
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create adopted", "read reference"]);
    const adopted = (await h.plans()).find((p) => p.id === existing.id);
    assert.equal(adopted?.name, "logs-nightly");
    assert.equal(adopted?.max_backups, 30);
    assert.deepEqual(result.outputs["referencePlan"], {
      id: reference.id,
      name: "db-data-nightly",
      schedulePattern: "0 2 * * *",
      rpoHours: 24,
    });
  });

  it("destroying the three stacks removes the managed plans only", async () => {
    for (const name of ["adopt", "restore", "quickstart"]) {
      assertOk(await engine.destroy(h.options(dirs[name] ?? "", stack, config[name])));
    }
    assert.deepEqual(await h.plans(), []);
    const volumes = await h.admin<{ volumes: { name: string }[] }>("GET", "volumes");
    assert.ok(
      volumes.volumes.some((v) => v.name === "db-data-restored"),
      "the restored volume is the user's",
    );
  });
});
