import assert from "node:assert/strict";
import {
  advance,
  allCheckpoints,
  call,
  createPlan,
  DAY,
  items,
  list,
  obj,
  useEmulator,
  VOLUME_A,
  VOLUME_B,
} from "./helpers";

describe("emulator: scheduler on the virtual clock", () => {
  const ctx = useEmulator();
  const token = (): string => ctx.emu().token;
  const checkpointsOf = (planName: string): Promise<Record<string, unknown>[]> =>
    allCheckpoints(ctx.checkpoints(), token(), `?plan_name=${planName}`);

  it("full mode: one checkpoint per run with one full item per volume, newest max_backups kept", async () => {
    await createPlan(ctx.plans(), token(), { name: "full", max_backups: 3, resources: [VOLUME_A, VOLUME_B] });
    const result = await advance(ctx.emu().admin, 5 * DAY);
    assert.equal(result.runs, 5);
    assert.equal(result.now, "2026-01-10T00:00:00Z");
    const kept = await checkpointsOf("full");
    assert.deepEqual(
      kept.map((c) => c.created_at),
      ["2026-01-07T02:00:00Z", "2026-01-08T02:00:00Z", "2026-01-09T02:00:00Z"],
    );
    const chains = new Set<unknown>();
    for (const checkpoint of kept) {
      assert.equal(checkpoint.status, "available");
      const its = items(checkpoint);
      assert.deepEqual(
        its.map((i) => obj(i.resource).name),
        ["db-data", "db-logs"],
      );
      for (const item of its) {
        assert.equal(item.is_incremental, false);
        assert.equal(item.checkpoint_id, checkpoint.id);
        chains.add(item.chain_id);
      }
    }
    assert.equal(chains.size, 6, "every full item starts its own chain");
  });

  it(
    "frequency mode: backups 1, 8, 15 of each volume are full and start chains; " + "newest max_backups chains kept",
    async () => {
      await createPlan(ctx.plans(), token(), {
        name: "freq",
        backup_mode: "frequency",
        max_backups: 2,
        resources: [VOLUME_A, VOLUME_B],
      });
      await advance(ctx.emu().admin, 16 * DAY);
      const kept = await checkpointsOf("freq");
      // Runs 1-7 (the oldest chain) fall outside; runs 8-16 remain: chain of 8..14 and the chain being built, 15..16.
      assert.equal(kept.length, 9);
      assert.equal(kept[0]?.created_at, "2026-01-12T02:00:00Z"); // run 8
      for (const volume of ["db-data", "db-logs"]) {
        const series = kept.map(
          (c) => items(c).find((i) => obj(i.resource).name === volume) as Record<string, unknown>,
        );
        assert.deepEqual(
          series.map((i) => i.is_incremental),
          [false, true, true, true, true, true, true, false, true],
        );
        const chainIds = series.map((i) => i.chain_id);
        assert.equal(new Set(chainIds.slice(0, 7)).size, 1);
        assert.equal(new Set(chainIds.slice(7)).size, 1);
        assert.notEqual(chainIds[0], chainIds[7]);
      }
      const [first] = kept;
      const [a, b] = items(first);
      assert.notEqual(a?.chain_id, b?.chain_id, "volumes have chains of their own");
    },
  );

  it("frequency mode with one chain kept: 7 checkpoints after 7 runs, 1 after the 8th starts a new chain", async () => {
    await createPlan(ctx.plans(), token(), { name: "one", backup_mode: "frequency", max_backups: 1 });
    await advance(ctx.emu().admin, 7 * DAY);
    assert.equal((await checkpointsOf("one")).length, 7);
    await advance(ctx.emu().admin, DAY);
    const kept = await checkpointsOf("one");
    assert.equal(kept.length, 1);
    assert.equal(items(kept[0] as Record<string, unknown>)[0]?.is_incremental, false);
  });

  it("backups stay protecting for protectingSeconds of virtual time, then become available", async () => {
    await call("PUT", `${ctx.emu().admin}/faults`, { body: { protectingSeconds: 600 } });
    await createPlan(ctx.plans(), token(), { name: "p" });
    await advance(ctx.emu().admin, 2 * 3600);
    let [checkpoint] = await checkpointsOf("p");
    assert.equal(checkpoint?.status, "protecting");
    assert.equal(items(checkpoint)[0]?.status, "protecting");
    assert.equal(items(checkpoint)[0]?.backup_created_at, null);
    await advance(ctx.emu().admin, 599);
    [checkpoint] = await checkpointsOf("p");
    assert.equal(checkpoint?.status, "protecting");
    await advance(ctx.emu().admin, 1);
    [checkpoint] = await checkpointsOf("p");
    assert.equal(checkpoint?.status, "available");
    assert.equal(items(checkpoint)[0]?.backup_created_at, "2026-01-05T02:00:00Z");
  });

  it("runs every due schedule in time order across plans", async () => {
    await createPlan(ctx.plans(), token(), { name: "late", schedule_pattern: "0 3 * * *", max_backups: 90 });
    await createPlan(ctx.plans(), token(), { name: "early", schedule_pattern: "0 1 * * *", max_backups: 90 });
    const result = await advance(ctx.emu().admin, 2 * DAY);
    assert.equal(result.runs, 4);
    const all = await allCheckpoints(ctx.checkpoints(), token());
    assert.deepEqual(
      all.map((c) => c.created_at),
      ["2026-01-05T01:00:00Z", "2026-01-05T03:00:00Z", "2026-01-06T01:00:00Z", "2026-01-06T03:00:00Z"],
    );
  });

  it("suspended plans take no checkpoints; deleted plans keep theirs", async () => {
    const plan = await createPlan(ctx.plans(), token(), { name: "pause" });
    await call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { status: "suspended" } });
    await advance(ctx.emu().admin, 3 * DAY);
    assert.equal((await checkpointsOf("pause")).length, 0);
    await call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { status: "started" } });
    await advance(ctx.emu().admin, DAY);
    assert.equal((await checkpointsOf("pause")).length, 1, "missed runs are not made up");
    assert.equal((await call("DELETE", ctx.plans(String(plan.id)), { token: token() })).status, 204);
    assert.equal((await call("GET", ctx.plans(String(plan.id)), { token: token() })).status, 404);
    await advance(ctx.emu().admin, DAY);
    const left = await checkpointsOf("pause");
    assert.equal(left.length, 1);
    assert.equal(left[0]?.plan_id, plan.id);
    // An orphaned checkpoint can still be restored and deleted.
    const item = items(left[0] as Record<string, unknown>)[0] as Record<string, unknown>;
    const restored = await call("POST", ctx.restores(), {
      token: token(),
      body: { checkpoint_item_id: item.id, restore_name: "from-orphan" },
    });
    assert.equal(restored.status, 201);
    assert.equal((await call("DELETE", ctx.checkpoints(String(left[0]?.id)), { token: token() })).status, 200);
    assert.equal((await checkpointsOf("pause")).length, 0);
  });

  describe("deleting checkpoints", () => {
    it("refuses a protecting checkpoint", async () => {
      await createPlan(ctx.plans(), token(), { name: "busy" });
      await advance(ctx.emu().admin, 2 * 3600);
      const [checkpoint] = await checkpointsOf("busy");
      const reply = await call("DELETE", ctx.checkpoints(String(checkpoint?.id)), { token: token() });
      assert.equal(reply.status, 400);
      assert.equal(obj(reply.body).error_key, "checkpoint.protecting");
    });

    it("refuses a checkpoint whose item a later kept item of its chain depends on; the newest goes first", async () => {
      await createPlan(ctx.plans(), token(), { name: "chain", backup_mode: "frequency", max_backups: 2 });
      await advance(ctx.emu().admin, 3 * DAY);
      const [full, middle, newest] = await checkpointsOf("chain");
      for (const blocked of [full, middle]) {
        const reply = await call("DELETE", ctx.checkpoints(String(blocked?.id)), { token: token() });
        assert.equal(reply.status, 400);
        assert.equal(obj(reply.body).error_key, "checkpoint.has_dependents");
        assert.match(String(obj(reply.body).message), /chain_id=/);
      }
      const accepted = await call("DELETE", ctx.checkpoints(String(newest?.id)), { token: token() });
      assert.equal(accepted.status, 200);
      assert.deepEqual(accepted.body, { id: newest?.id, status: "deleting" });
      assert.equal((await call("GET", ctx.checkpoints(String(newest?.id)), { token: token() })).status, 404);
      assert.equal((await call("DELETE", ctx.checkpoints(String(middle?.id)), { token: token() })).status, 200);
      assert.equal((await call("DELETE", ctx.checkpoints(String(full?.id)), { token: token() })).status, 200);
      assert.equal((await checkpointsOf("chain")).length, 0);
    });

    it("deletes any full-mode checkpoint once available, and answers 404 for an unknown one", async () => {
      await createPlan(ctx.plans(), token(), { name: "fulls" });
      await advance(ctx.emu().admin, 3 * DAY);
      const [oldest] = await checkpointsOf("fulls");
      assert.equal((await call("DELETE", ctx.checkpoints(String(oldest?.id)), { token: token() })).status, 200);
      const missing = await call("DELETE", ctx.checkpoints("00000000-0000-4000-8000-000000000000"), { token: token() });
      assert.equal(missing.status, 404);
      assert.equal(obj(missing.body).error_key, "checkpoint.not_found");
    });
  });

  describe("deleting a chain", () => {
    it("deletes the chain's items, drops checkpoints left empty and answers the affected checkpoints", async () => {
      await createPlan(ctx.plans(), token(), {
        name: "two",
        backup_mode: "frequency",
        max_backups: 3,
        resources: [VOLUME_A, VOLUME_B],
      });
      await advance(ctx.emu().admin, 3 * DAY);
      const before = await checkpointsOf("two");
      assert.equal(before.length, 3);
      const chainOf = (volume: string): string =>
        String(items(before[0] as Record<string, unknown>).find((i) => obj(i.resource).name === volume)?.chain_id);

      const first = await call("DELETE", `${ctx.checkpoints()}?chain_id=${chainOf("db-data")}`, { token: token() });
      assert.equal(first.status, 200);
      const deleted = list(obj(first.body).deleted);
      assert.deepEqual(
        deleted.map((c) => c.id),
        before.map((c) => c.id),
      );
      for (const checkpoint of deleted) {
        assert.deepEqual(
          items(checkpoint).map((i) => [obj(i.resource).name, i.status]),
          [["db-data", "deleting"]],
        );
      }
      const remaining = await checkpointsOf("two");
      assert.equal(remaining.length, 3, "checkpoints still hold the other volume's items");
      assert.ok(remaining.every((c) => items(c).length === 1 && obj(items(c)[0]?.resource).name === "db-logs"));
      assert.equal((await allCheckpoints(ctx.checkpoints(), token(), "?volume_name=db-data")).length, 0);

      const second = await call("DELETE", `${ctx.checkpoints()}?chain_id=${chainOf("db-logs")}`, { token: token() });
      assert.equal(second.status, 200);
      assert.ok(list(obj(second.body).deleted).every((c) => c.status === "deleting"));
      assert.equal((await checkpointsOf("two")).length, 0);

      // The chains are gone, so the next backup of each volume is a full one.
      await advance(ctx.emu().admin, DAY);
      const [next] = await checkpointsOf("two");
      assert.ok(items(next as Record<string, unknown>).every((i) => i.is_incremental === false));
    });

    it("answers 400 without a UUID chain_id and 404 for an unknown chain", async () => {
      assert.equal((await call("DELETE", ctx.checkpoints(), { token: token() })).status, 400);
      assert.equal((await call("DELETE", `${ctx.checkpoints()}?chain_id=abc`, { token: token() })).status, 400);
      const unknown = await call("DELETE", `${ctx.checkpoints()}?chain_id=00000000-0000-4000-8000-000000000000`, {
        token: token(),
      });
      assert.equal(unknown.status, 404);
      assert.equal(obj(unknown.body).error_key, "chain.not_found");
    });
  });

  describe("restores", () => {
    it("creates a volume named restore_name from an available item", async () => {
      await createPlan(ctx.plans(), token(), { name: "r" });
      await advance(ctx.emu().admin, DAY);
      const [checkpoint] = await checkpointsOf("r");
      const item = items(checkpoint as Record<string, unknown>)[0] as Record<string, unknown>;
      const reply = await call("POST", ctx.restores(), {
        token: token(),
        body: { checkpoint_item_id: item.id, restore_name: "db-restored" },
      });
      assert.equal(reply.status, 201);
      const restore = obj(reply.body);
      assert.deepEqual(Object.keys(restore).sort(), [
        "checkpoint_id",
        "checkpoint_item_id",
        "id",
        "project_id",
        "resource_id",
        "resource_type",
        "status",
      ]);
      assert.equal(restore.checkpoint_id, checkpoint?.id);
      assert.equal(restore.project_id, ctx.emu().projectId);
      assert.equal(restore.resource_type, "OS::Cinder::Volume");
      assert.equal(restore.status, "success");
      const state = obj((await call("GET", `${ctx.emu().admin}/state`)).body);
      const volume = list(state.volumes).find((v) => v.id === restore.resource_id);
      assert.equal(volume?.name, "db-restored");
      assert.equal(list(state.restores).length, 1);
    });

    it("answers 404 for an unknown item and 400 for an item that is not available", async () => {
      const unknown = await call("POST", ctx.restores(), {
        token: token(),
        body: { checkpoint_item_id: "nope", restore_name: "x" },
      });
      assert.equal(unknown.status, 404);
      assert.equal(obj(unknown.body).error_key, "checkpoint_item.not_found");
      await createPlan(ctx.plans(), token(), { name: "fresh" });
      await advance(ctx.emu().admin, 2 * 3600);
      const [checkpoint] = await checkpointsOf("fresh");
      const item = items(checkpoint as Record<string, unknown>)[0] as Record<string, unknown>;
      const protecting = await call("POST", ctx.restores(), {
        token: token(),
        body: { checkpoint_item_id: item.id, restore_name: "x" },
      });
      assert.equal(protecting.status, 400);
      assert.equal(obj(protecting.body).error_key, "restore.item_not_available");
    });
  });
});
