import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import type { Restore } from "../../provider/api";
import {
  admin,
  advanceClock,
  clientFor,
  createPlan,
  emulatorEnv,
  parseJson,
  runMain,
  startTestEmulator,
} from "./helpers";

describe("scheduled-backup restore", () => {
  let emulator: EmulatorHandle;
  let itemId: string;

  before(async () => {
    emulator = await startTestEmulator();
    await createPlan(emulator);
    await advanceClock(emulator, 86_400);
    const { checkpoints } = await clientFor(emulator).listCheckpoints();
    const item = checkpoints[0]?.checkpoint_items[0];
    assert.ok(item !== undefined);
    itemId = item.id;
  });
  after(async () => emulator.close());

  it("restores an item into a new volume (table and --json)", async () => {
    const table = await runMain(["restore", itemId, "--name", "db-restored"], emulatorEnv(emulator));
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^status:\s+success$/m);
    assert.match(table.stdout, /^new volume:\s+\S+ \(db-restored, OS::Cinder::Volume\)$/m);
    const json = await runMain(["restore", itemId, "--name", "db-restored-2", "--json"], emulatorEnv(emulator));
    assert.equal(json.code, 0, json.stderr);
    const restore = parseJson<Restore>(json.stdout);
    assert.equal(restore.checkpoint_item_id, itemId);
    assert.equal(restore.status, "success");
    const state = (await admin(emulator, "GET", "/state")) as { volumes: { name: string }[] };
    assert.ok(
      state.volumes.some((v) => v.name === "db-restored-2"),
      "the emulator holds the new volume",
    );
  });

  it("needs --name (exit 2) and exits 3 for an unknown item", async () => {
    const noName = await runMain(["restore", itemId], emulatorEnv(emulator));
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /--name is required/);
    const unknown = await runMain(
      ["restore", "6f0c1a2b-0000-4000-8000-000000000000", "--name", "x"],
      emulatorEnv(emulator),
    );
    assert.equal(unknown.code, 3);
    const unknownWait = await runMain(
      ["restore", "6f0c1a2b-0000-4000-8000-000000000000", "--name", "x", "--wait"],
      emulatorEnv(emulator),
    );
    assert.equal(unknownWait.code, 3);
  });

  it("with --wait, waits for a backup still protecting, then restores", async () => {
    await advanceClock(emulator, 2 * 3_600 + 60); // to 02:01: the 02:00 backup is still protecting (10 min)
    const { checkpoints } = await clientFor(emulator).listCheckpoints();
    const protecting = checkpoints.flatMap((c) => c.checkpoint_items).find((i) => i.status === "protecting");
    assert.ok(protecting !== undefined, "a backup is still being taken");
    const refused = await runMain(["restore", protecting.id, "--name", "too-early"], emulatorEnv(emulator));
    assert.equal(refused.code, 1, "the API refuses a restore of a protecting item");
    // The backup may finish only once the CLI is waiting: a fixed pause lost that race on a loaded machine.
    let sawWaiting = (): void => undefined;
    const waitingSaid = new Promise<void>((resolve) => (sawWaiting = resolve));
    const waiting = runMain(
      ["restore", protecting.id, "--name", "patient", "--wait", "--timeout", "30", "--json"],
      emulatorEnv(emulator),
      "",
      (stderr) => {
        if (/waiting for checkpoint item/.test(stderr)) sawWaiting();
      },
    );
    await Promise.race([waitingSaid, waiting]);
    await advanceClock(emulator, 3_600);
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /waiting for checkpoint item .* \(protecting\) to become available/);
    assert.equal(parseJson<Restore>(result.stdout).checkpoint_item_id, protecting.id);
  });
});
