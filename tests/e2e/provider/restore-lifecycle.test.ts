// Restore through the engine: from the newest restore point once the plan has run (the emulator's clock is
// advanced), a no-op second up, a new restore point means a new restore (replace), a bad item fails with
// the API's reason, and destroy only forgets: the restored volumes stay.
import assert from "node:assert/strict";
import type { ScheduledBackupClient } from "../../../provider/api";
import {
  apiRequests,
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  freshStack,
  restoreRecords,
  seedNightlyBackups,
  startHarness,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { EmulatorState, Harness } from "../fixture";

const cwd = fixtureDir("restore");
const stack = "restore";
const [db] = VOLUMES;

describe("Restore (engine stand-in + emulator)", function () {
  this.timeout(120_000);
  let h: Harness;
  let client: ScheduledBackupClient;
  const run = (command: "up" | "destroy", config: Record<string, string> = {}) =>
    engine[command](
      h.options(cwd, stack, {
        "restorefixture:volumeName": db.name,
        "restorefixture:restoreName": "db-restored",
        ...config,
      }),
    );
  const newestItem = async (): Promise<string> => {
    const checkpoints = [];
    for await (const c of client.checkpoints({ planName: "db-nightly" })) checkpoints.push(c);
    const items = checkpoints.flatMap((c) => c.checkpoint_items).filter((i) => i.status === "available");
    items.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
    const last = items.at(-1);
    assert.ok(last, "the plan has made backups");
    return last.id;
  };

  before(async () => {
    h = await startHarness({ startTime: new Date("2026-01-05T00:00:00Z") });
    h.useStack(cwd, stack);
    client = h.client();
    await seedNightlyBackups(h);
  });
  after(async () => {
    await run("destroy").catch(() => undefined);
    await h.close();
  });

  it("restores the newest available backup of the volume into a new volume", async () => {
    const expected = await newestItem();
    const result = await run("up");
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["create restored"]);
    const restore = result.outputs["restore"] as Record<string, unknown>;
    assert.equal(restore["checkpointItemId"], expected);
    assert.equal(restore["status"], "success");
    assert.equal(restore["resourceType"], "OS::Cinder::Volume");
    assert.equal(restore["isInstance"], true);
    const state = await h.admin<EmulatorState>("GET", "state");
    assert.equal(state.restores.length, 1);
    assert.equal(state.restores[0]?.resource_id, restore["resourceId"]);
    assert.equal(state.restores[0]?.id, restore["id"]);
    const latest = result.outputs["latestPoint"] as {
      checkpointItemId: string;
      resource: { id: string; name: string };
    };
    assert.deepEqual([latest.checkpointItemId, latest.resource.id, latest.resource.name], [expected, db.id, db.name]);
  });

  it("a second up is `same` and restores nothing again", async () => {
    const before = h.requests.length;
    const result = await run("up");
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["same restored"]);
    assert.deepEqual(
      apiRequests(h.requests.slice(before)).filter((l) => l.startsWith("POST ")),
      [],
    );
  });

  it("a newer restore point after the plan ran again means a new restore (replace); the old volume stays", async () => {
    const first = restoreRecords(cwd, stack)[0]?.outputs?.["resourceId"];
    await h.admin("POST", "clock/advance", { seconds: 86_400 });
    const expected = await newestItem();
    const result = await run("up");
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["replace restored"]);
    assert.equal(result.steps.find((s) => s.name === "restored")?.diffs?.[0], "checkpointItemId");
    assert.equal((result.outputs["restore"] as Record<string, unknown>)["checkpointItemId"], expected);
    const state = await h.admin<EmulatorState>("GET", "state");
    assert.equal(state.restores.length, 2);
    assert.ok(
      state.volumes.some((v) => v.id === first),
      "the first restored volume is kept",
    );
  });

  it("an unknown checkpoint item fails with the API's reason, naming the restore", async () => {
    // Its own stack: this test is about the provider's message, not the engine's handling of a failed replacement.
    const bad = h.options(cwd, "restore-bad", {
      "restorefixture:volumeName": db.name,
      "restorefixture:restoreName": "db-restored",
      "restorefixture:checkpointItemId": "00000000-0000-4000-8000-000000000000",
    });
    freshStack(cwd, "restore-bad");
    try {
      const result = await engine.up(bad);
      assert.equal(result.ok, false);
      const message = errorMessages(result).find((m) => m.includes('Restore "db-restored"'));
      assert.ok(message, errorMessages(result).join("\n"));
      assert.match(
        message,
        /restoring checkpoint item 00000000-0000-4000-8000-000000000000 failed: .*404.*checkpoint item 00000000-0000-4000-8000-000000000000 does not exist/,
      );
      assert.deepEqual(restoreRecords(cwd, "restore-bad"), []);
    } finally {
      freshStack(cwd, "restore-bad");
    }
  });

  it(
    "a plan on the restored volume: " + "preview passes with its id still unknown, up creates it with the real id",
    async () => {
      const other = {
        ...h.options(cwd, "restore-unknowns", {
          "restorefixture:volumeName": db.name,
          "restorefixture:restoreName": "db-copy",
          "restorefixture:protectRestored": "true",
        }),
      };
      freshStack(cwd, "restore-unknowns");
      try {
        const preview = await engine.preview(other);
        assertOk(preview);
        assert.deepEqual(stepSummary(preview).sort(), ["create protect-restored", "create restored"]);
        const result = await engine.up(other);
        assertOk(result);
        const restoredVolume = (result.outputs["restore"] as Record<string, unknown>)["resourceId"];
        const plan = (await h.plans()).find((p) => p.name === "db-copy-nightly");
        assert.deepEqual(
          plan?.resources.map((r) => r.id),
          [restoredVolume],
        );
        assertOk(await engine.destroy(other));
      } finally {
        freshStack(cwd, "restore-unknowns");
      }
    },
  );

  it("destroy forgets the record and leaves the restored volume alone", async () => {
    const volumesBefore = (await h.admin<EmulatorState>("GET", "state")).volumes.length;
    const result = await run("destroy");
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["delete restored"]);
    assert.deepEqual(restoreRecords(cwd, stack), []);
    assert.equal((await h.admin<EmulatorState>("GET", "state")).volumes.length, volumesBefore);
  });
});
