// The runtime entry point called directly (as the plugin calls it) against the emulator: settings from the
// captured stack config and the environment read at call time, errors that name what to fix and never
// carry a credential, per-resource placement, and Restore's delete that only forgets.
import assert from "node:assert/strict";
import { backupPlan, captureConfig, restore } from "../../provider/runtime";
import type { RawConfig } from "../../provider/runtime";
import { checkBackupPlan } from "../../provider/resources/planCheck";
import type { BackupPlanInputs } from "../../provider/types";
import { startHarness, VOLUMES } from "../e2e/fixture";
import type { Harness } from "../e2e/fixture";

const [db] = VOLUMES;

/** What `check` hands to create: the inputs with the defaults applied. */
function planInputs(name: string, overrides: Record<string, unknown> = {}): BackupPlanInputs {
  const checked = checkBackupPlan({
    name,
    maxBackups: 7,
    schedulePattern: "0 2 * * *",
    resources: [{ id: db.id, name: db.name }],
    ...overrides,
  });
  assert.deepEqual(checked.failures, []);
  return checked.inputs;
}

describe("runtime entry point (direct calls against the emulator)", function () {
  this.timeout(60_000);
  let h: Harness;
  let config: RawConfig;
  const savedEnv = { ...process.env };

  before(async () => {
    h = await startHarness();
    const stack: Record<string, string> = {
      "scheduledbackup:endpoint": h.emulator.endpoint,
      "scheduledbackup:projectId": h.emulator.projectId,
      "scheduledbackup:token": h.emulator.token,
    };
    config = captureConfig({ get: (key) => stack[key] });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });
  after(() => h.close());

  it("create, read, update and delete a plan with the captured config", async () => {
    const created = await backupPlan.create(config, planInputs("runtime-plan"));
    assert.equal(created.outs["status"], "started");
    const read = await backupPlan.read(config, created.id, created.outs);
    assert.equal(read.id, created.id);
    // The project it lives in is recorded, though the inputs left it to the stack config.
    assert.deepEqual(read.inputs, { ...planInputs("runtime-plan"), projectId: h.emulator.projectId });
    assert.equal(created.outs["projectId"], h.emulator.projectId);
    const updated = await backupPlan.update(
      config,
      created.id,
      created.outs,
      planInputs("runtime-plan", { maxBackups: 9 }),
    );
    assert.equal(updated.outs["maxBackups"], 9);
    await backupPlan.delete(config, created.id, updated.outs);
    assert.deepEqual(await backupPlan.read(config, created.id, updated.outs), { id: "" });
    await backupPlan.delete(config, created.id, updated.outs);
  });

  it("diff: making the default project explicit is no change; another stack default moves the plan", async () => {
    const created = await backupPlan.create(config, planInputs("placed-plan"));
    const explicit = await backupPlan.diff(config, created.id, created.outs, {
      ...planInputs("placed-plan"),
      projectId: h.emulator.projectId,
    });
    assert.deepEqual(explicit, { changes: false, replaces: [], deleteBeforeReplace: false });
    const moved = captureConfig({
      get: (key) =>
        ({
          "scheduledbackup:endpoint": h.emulator.endpoint,
          "scheduledbackup:token": h.emulator.token,
          "scheduledbackup:projectId": "0b9e8d7c-6f5e-4d3c-8b2a-1f0e9d8c7b6a",
        })[key],
    });
    assert.deepEqual((await backupPlan.diff(moved, created.id, created.outs, planInputs("placed-plan"))).replaces, [
      "projectId",
    ]);
    await backupPlan.delete(moved, created.id, created.outs);
    assert.deepEqual(
      await backupPlan.read(config, created.id, created.outs),
      { id: "" },
      "delete went to the recorded project",
    );
  });

  it("falls back to the environment, read at call time", async () => {
    const noToken = captureConfig({
      get: (key) =>
        ({ "scheduledbackup:endpoint": h.emulator.endpoint, "scheduledbackup:projectId": h.emulator.projectId })[key],
    });
    process.env["SCHEDULED_BACKUP_TOKEN"] = h.emulator.token;
    const created = await backupPlan.create(noToken, planInputs("env-plan"));
    await backupPlan.delete(noToken, created.id, created.outs);
  });

  it("a missing credential names both ways to set it, and nothing is sent", async () => {
    for (const key of [
      "SCHEDULED_BACKUP_TOKEN",
      "OS_AUTH_TOKEN",
      "SCHEDULED_BACKUP_PASSWORD",
      "OS_PASSWORD",
      "OS_AUTH_URL",
      "SCHEDULED_BACKUP_AUTH_URL",
    ])
      delete process.env[key];
    const before = h.requests.length;
    const bare = captureConfig({ get: (key) => ({ "scheduledbackup:endpoint": h.emulator.endpoint })[key] });
    await assert.rejects(backupPlan.create(bare, planInputs("no-creds")), (err: unknown) => {
      const message = (err as Error).message;
      assert.match(message, /^BackupPlan "no-creds": creating the plan failed: No credentials/);
      assert.match(message, /pulumi config set --secret scheduledbackup:token/);
      assert.match(message, /SCHEDULED_BACKUP_TOKEN/);
      return true;
    });
    assert.equal(h.requests.length, before);
  });

  it("a refused token says what to set, and the error never carries the token", async () => {
    const secret = "wrong-token-0123456789";
    const bad = captureConfig({
      get: (key) =>
        ({
          "scheduledbackup:endpoint": h.emulator.endpoint,
          "scheduledbackup:projectId": h.emulator.projectId,
          "scheduledbackup:token": secret,
        })[key],
    });
    await assert.rejects(backupPlan.create(bad, planInputs("bad-token")), (err: unknown) => {
      const text = `${(err as Error).message}\n${(err as Error).stack ?? ""}`;
      assert.match(text, /HTTP 401/);
      assert.match(text, /scheduledbackup:token/);
      assert.ok(!text.includes(secret));
      return true;
    });
  });

  it("a resource's own projectId overrides the stack's, and a foreign project is explained", async () => {
    const other = "0b9e8d7c-6f5e-4d3c-8b2a-1f0e9d8c7b6a";
    await assert.rejects(backupPlan.create(config, planInputs("elsewhere", { projectId: other })), (err: unknown) => {
      const message = (err as Error).message;
      assert.match(message, new RegExp(`may not act in project ${other} \\(HTTP 403\\)`));
      assert.match(message, /projectId/);
      return true;
    });
  });

  it("a resource's own endpoint overrides the stack's; when unreachable, the error names the resource", async () => {
    process.env["SCHEDULED_BACKUP_MAX_RETRIES"] = "0";
    const before = h.requests.length;
    await assert.rejects(
      backupPlan.create(config, planInputs("nowhere", { endpoint: "http://127.0.0.1:9/data-protect/v2" })),
      // The first call to an endpoint detects its path layout; the error still names the operation it was for
      // (the lookup by name that comes before every create).
      /^Error: BackupPlan "nowhere": creating the plan failed: listPlans \(detecting the path layout\) failed: network error before the request was sent/,
    );
    assert.equal(h.requests.length, before, "nothing went to the stack's endpoint");
  });

  it("Restore's delete only forgets, and says the volume stays", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    try {
      await restore.delete(config, "restore-1", { resourceId: "vol-9", restoreName: "db-restored" });
    } finally {
      console.log = original;
    }
    assert.deepEqual(lines, [
      'Restore restore-1: forgetting the record only; the restored volume vol-9 ("db-restored") is kept. ' +
        "Delete the volume yourself if you no longer need it.",
    ]);
  });

  it("Restore diff: any input change replaces; nothing changed is an explicit no", async () => {
    const olds = { checkpointItemId: "a", restoreName: "r", resourceId: "v", status: "success", __provider: "x" };
    // The host passes the checked inputs with the serialized provider beside them.
    const same = { checkpointItemId: "a", restoreName: "r", __provider: "y" };
    assert.deepEqual(await restore.diff(config, "id", olds, same), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual((await restore.diff(config, "id", olds, { checkpointItemId: "b", restoreName: "r2" })).replaces, [
      "checkpointItemId",
      "restoreName",
    ]);
  });

  it("Restore check names missing inputs and unknown keys", async () => {
    const { failures } = await restore.check(config, {}, { restoreName: "", itemId: "x" });
    assert.deepEqual(failures.map((f) => f.property).sort(), ["checkpointItemId", "itemId", "restoreName"]);
    assert.match(
      failures.find((f) => f.property === "checkpointItemId")?.reason ?? "",
      /say what to restore: volumeName \(or volumeId\) .*pinned at create, or a checkpointItemId/,
    );
  });
});
