import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import type { Checkpoint } from "../../provider/api";
import {
  VOLUMES,
  advanceClock,
  clientFor,
  createPlan,
  emulatorEnv,
  parseJson,
  runInProcess,
  runMain,
  startTestEmulator,
} from "./helpers";

describe("scheduled-backup checkpoints and chains", () => {
  let emulator: EmulatorHandle;

  before(async () => {
    emulator = await startTestEmulator();
    await createPlan(emulator); // db-nightly: full, daily at 02:00
    await createPlan(emulator, {
      name: "web-frequent",
      backup_mode: "frequency",
      max_backups: 2,
      schedule_pattern: "0 3 * * *",
      resources: [{ id: VOLUMES[1].id, name: VOLUMES[1].name, type: "OS::Cinder::Volume" }],
    });
    await advanceClock(emulator, 3 * 86_400);
  });
  after(async () => emulator.close());

  const all = async (): Promise<Checkpoint[]> => {
    const result = await runMain(["checkpoints", "list", "--json"], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.stderr);
    return parseJson<Checkpoint[]>(result.stdout);
  };

  it("lists one row per volume backup with plan name, kind and chain", async () => {
    const result = await runMain(["checkpoints", "list"], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^CREATED\s+PLAN\s+VOLUME\s+KIND\s+STATUS\s+CHECKPOINT\s+ITEM\s+CHAIN$/);
    assert.equal(lines.length, 1 + 6, "3 runs of each plan, one volume each");
    assert.equal(lines.filter((l) => /db-nightly\s+db-data\s+full\s+available/.test(l)).length, 3);
    assert.equal(lines.filter((l) => /web-frequent\s+web-data\s+full\s/.test(l)).length, 1);
    assert.equal(lines.filter((l) => /web-frequent\s+web-data\s+incremental\s/.test(l)).length, 2);
  });

  it("prints API checkpoints with --json and filters by plan, volume and status", async () => {
    const checkpoints = await all();
    assert.equal(checkpoints.length, 6);
    for (const checkpoint of checkpoints) {
      assert.equal(typeof checkpoint.id, "string");
      assert.equal(typeof checkpoint.plan_id, "string");
      assert.equal(checkpoint.checkpoint_items.length, 1);
    }
    const byPlan = parseJson<Checkpoint[]>(
      (await runMain(["checkpoints", "list", "--plan", "web-frequent", "--json"], emulatorEnv(emulator))).stdout,
    );
    assert.equal(byPlan.length, 3);
    assert.ok(byPlan.every((c) => c.checkpoint_items[0]?.resource.name === "web-data"));
    const byVolume = parseJson<Checkpoint[]>(
      (await runMain(["checkpoints", "list", "--volume", "db-data", "--json"], emulatorEnv(emulator))).stdout,
    );
    assert.equal(byVolume.length, 3);
    const protecting = await runMain(["checkpoints", "list", "--status", "protecting"], emulatorEnv(emulator));
    assert.equal(protecting.stdout, "No checkpoints found.\n");
  });

  it("draws a progress line on a terminal and erases it before the result", async () => {
    const result = await runInProcess(["checkpoints", "list", "--json"], {
      env: emulatorEnv(emulator),
      stderrIsTTY: true,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /fetched \d+ checkpoints…/);
    assert.ok(result.stderr.endsWith("\r\x1b[2K"), "the line is cleared at the end");
    assert.equal(parseJson<Checkpoint[]>(result.stdout).length, 6);
  });

  it("gets one checkpoint, and exits 3 for an unknown one", async () => {
    const [first] = await all();
    assert.ok(first !== undefined);
    const table = await runMain(["checkpoints", "get", first.id], emulatorEnv(emulator));
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^id:\\s+${first.id}$`, "m"));
    assert.match(table.stdout, /^CREATED\s+VOLUME\s+KIND\s+STATUS\s+ITEM\s+CHAIN$/m);
    const json = parseJson<Checkpoint>(
      (await runMain(["checkpoints", "get", first.id, "--json"], emulatorEnv(emulator))).stdout,
    );
    assert.deepEqual(json, first);
    const missing = await runMain(
      ["checkpoints", "get", "6f0c1a2b-0000-4000-8000-000000000000"],
      emulatorEnv(emulator),
    );
    assert.equal(missing.code, 3);
  });

  it("deletes a full-mode checkpoint, and exits 1 when the API refuses (an incremental depends on it)", async () => {
    const checkpoints = await all();
    const nightly = checkpoints.find((c) => c.checkpoint_items[0]?.resource.name === "db-data");
    assert.ok(nightly !== undefined);
    const deleted = await runMain(["checkpoints", "delete", nightly.id, "--json"], emulatorEnv(emulator));
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(parseJson<{ id: string; status: string }>(deleted.stdout), { id: nightly.id, status: "deleting" });

    const chainStart = checkpoints.find(
      (c) => c.checkpoint_items[0]?.resource.name === "web-data" && c.checkpoint_items[0]?.is_incremental === false,
    );
    assert.ok(chainStart !== undefined);
    const refused = await runMain(["checkpoints", "delete", chainStart.id], emulatorEnv(emulator));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: .*400/m);
  });

  describe("chains delete", () => {
    const webChain = async (): Promise<string> => {
      const item = (await all()).flatMap((c) => c.checkpoint_items).find((i) => i.resource.name === "web-data");
      assert.ok(item !== undefined, "the frequency plan made a chain");
      return item.chain_id;
    };

    it("refuses without --yes when stdin is not a terminal, before sending anything", async () => {
      const chain = await webChain();
      const result = await runMain(["chains", "delete", chain], emulatorEnv(emulator));
      assert.equal(result.code, 2);
      assert.match(result.stderr, /stdin is not a terminal/);
      assert.match(result.stderr, /--yes/);
      assert.equal((await all()).filter((c) => c.checkpoint_items.some((i) => i.chain_id === chain)).length, 3);
    });

    it("asks on a terminal, and a no deletes nothing (exit 1)", async () => {
      const chain = await webChain();
      const result = await runInProcess(["chains", "delete", chain], {
        env: emulatorEnv(emulator),
        stdinIsTTY: true,
        input: "n\n",
      });
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(`Chain ${chain} holds 3 backup\\(s\\) of volume web-data \\(plan web-frequent\\)`),
      );
      assert.match(result.stderr, /Delete them\? This cannot be undone\. \[y\/N\]/);
      assert.match(result.stderr, /nothing was deleted/);
      assert.equal((await clientFor(emulator).listCheckpoints({ volume_name: "web-data" })).total, 3);
    });

    it("deletes after a yes on a terminal", async () => {
      const chain = await webChain();
      const result = await runInProcess(["chains", "delete", chain], {
        env: emulatorEnv(emulator),
        stdinIsTTY: true,
        input: "yes\n",
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^chain ${chain}: 3 checkpoint\\(s\\) affected$`, "m"));
    });

    it("deletes with --yes from a script and answers JSON; exits 3 for an unknown chain", async () => {
      await advanceClock(emulator, 86_400); // a new chain starts on web-data
      const chain = await webChain();
      const result = await runMain(["chains", "delete", chain, "--yes", "--json"], emulatorEnv(emulator));
      assert.equal(result.code, 0, result.stderr);
      const answer = parseJson<{ deleted: Checkpoint[] }>(result.stdout);
      assert.ok(answer.deleted.length >= 1);
      const unknown = await runMain(
        ["chains", "delete", "6f0c1a2b-0000-4000-8000-000000000000", "--yes"],
        emulatorEnv(emulator),
      );
      assert.equal(unknown.code, 3);
      const unknownAsked = await runInProcess(["chains", "delete", "6f0c1a2b-0000-4000-8000-000000000000"], {
        env: emulatorEnv(emulator),
        stdinIsTTY: true,
        input: "y\n",
      });
      assert.equal(unknownAsked.code, 3);
    });
  });
});
