// A Restore given the volume (not an item) through the engine: pinned at create to the newest backup,
// recorded in its outputs, never re-resolved (a day later, with a newer backup, `up` and `refresh` change
// nothing and restore nothing), and moved only by its own inputs (`notAfter` replaces, the old volume stays).
import assert from "node:assert/strict";
import type { ScheduledBackupClient } from "../../../provider/api";
import type { CheckpointItem } from "../../../provider/api/types";
import {
  apiRequests,
  assertOk,
  engine,
  fixtureDir,
  seedNightlyBackups,
  startHarness,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { EmulatorState, Harness } from "../fixture";

const cwd = fixtureDir("restore");
const stack = "restore-pinned";
const [db] = VOLUMES;

describe("Restore pinned by volume (engine stand-in + emulator)", function () {
  this.timeout(120_000);
  let h: Harness;
  let client: ScheduledBackupClient;
  const options = (config: Record<string, string> = {}) =>
    h.options(cwd, stack, {
      "restorefixture:volumeName": db.name,
      "restorefixture:restoreName": "db-pinned",
      "restorefixture:pin": "true",
      ...config,
    });
  const availableItems = async (): Promise<CheckpointItem[]> => {
    const items: CheckpointItem[] = [];
    for await (const c of client.checkpoints({ volumeName: db.name }))
      items.push(...c.checkpoint_items.filter((i) => i.status === "available"));
    return items.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  };
  const restoredVolumes = async () =>
    (await h.admin<EmulatorState>("GET", "state")).volumes.filter((v) => v.name === "db-pinned");

  before(async () => {
    h = await startHarness({ startTime: new Date("2026-01-05T00:00:00Z") });
    h.useStack(cwd, stack);
    client = h.client();
    await seedNightlyBackups(h);
  });
  after(async () => {
    await engine.destroy(options()).catch(() => undefined);
    await h.close();
  });

  it("resolves the newest backup at create and records item, checkpoint and backup time", async () => {
    const newest = (await availableItems()).at(-1);
    assert.ok(newest);
    const result = await engine.up(options());
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["create restored"]);
    const restore = result.outputs["restore"] as Record<string, unknown>;
    assert.equal(restore["checkpointItemId"], newest.id);
    assert.equal(restore["checkpointId"], newest.checkpoint_id);
    assert.equal(restore["backupCreatedAt"], newest.created_at);
    assert.equal(restore["status"], "success");
    assert.equal((await restoredVolumes()).length, 1);
  });

  it("a day later, with a newer backup, `up` and `refresh` change nothing: one restored volume", async () => {
    await h.admin("POST", "clock/advance", { seconds: 86_400 });
    const items = await availableItems();
    const before = h.requests.length;
    const result = await engine.up(options());
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["same restored"]);
    const pinned = (result.outputs["restore"] as Record<string, unknown>)["checkpointItemId"];
    assert.notEqual(pinned, items.at(-1)?.id, "a newer backup exists");
    assert.equal(pinned, items.at(-2)?.id, "the restore stays on the backup it was pinned to");
    assertOk(await engine.refresh(options()));
    assert.deepEqual(stepSummary(await engine.up(options())), ["same restored"]);
    assert.deepEqual(
      apiRequests(h.requests.slice(before)).filter((l) => l.startsWith("POST ")),
      [],
    );
    assert.equal((await restoredVolumes()).length, 1);
  });

  it("changing notAfter replaces: the newest backup not after it is restored, the old volume stays", async () => {
    const items = await availableItems();
    const first = items[0];
    assert.ok(first);
    const notAfter = new Date(Date.parse(first.created_at) + 60_000).toISOString();
    const result = await engine.up(options({ "restorefixture:notAfter": notAfter }));
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["replace restored"]);
    assert.deepEqual(result.steps.find((s) => s.name === "restored")?.diffs, ["notAfter"]);
    assert.equal((result.outputs["restore"] as Record<string, unknown>)["checkpointItemId"], first.id);
    assert.equal((await restoredVolumes()).length, 2);
  });

  it("a notAfter before every backup fails at create, naming the volume and the time", async () => {
    const result = await engine.up(
      options({ "restorefixture:notAfter": "2025-12-31T00:00:00Z", "restorefixture:restoreName": "db-too-early" }),
    );
    assert.equal(result.ok, false);
    const text = result.diagnostics.map((d) => d.message).join("\n");
    assert.match(text, /no available backup of volume "db-data" taken at or before 2025-12-31T00:00:00Z/);
  });
});
