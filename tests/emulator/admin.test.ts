import assert from "node:assert/strict";
import { advance, call, createPlan, DAY, list, obj, START, useEmulator } from "./helpers";

describe("emulator: admin API", () => {
  const ctx = useEmulator({ volumes: [{ id: "11111111-2222-4333-8444-555555555555", name: "boot" }] });

  it("keeps a volume inventory: initial volumes, added ones (409 on a taken id), all listed in state", async () => {
    const added = await call("POST", ctx.admin("volumes"), {
      body: { id: "66666666-7777-4888-9999-000000000000", name: "data" },
    });
    assert.equal(added.status, 201);
    assert.deepEqual(
      [obj(added.body).id, obj(added.body).name, obj(added.body).type],
      ["66666666-7777-4888-9999-000000000000", "data", "OS::Cinder::Volume"],
    );
    const generated = await call("POST", ctx.admin("volumes"), { body: { name: "scratch" } });
    assert.match(String(obj(generated.body).id), /^[0-9a-f-]{36}$/);
    const taken = await call("POST", ctx.admin("volumes"), {
      body: { id: "66666666-7777-4888-9999-000000000000", name: "again" },
    });
    assert.equal(taken.status, 409);
    const invalid = await call("POST", ctx.admin("volumes"), { body: { name: "", size: 10 } });
    assert.equal(invalid.status, 422);
    const locs = list(obj(obj(invalid.body).details).errors).map((e) => (e.loc as unknown[]).join("."));
    assert.ok(locs.includes("body.name"), locs.join(","));
    const names = list(obj((await call("GET", ctx.admin("volumes"))).body).volumes).map((v) => v.name);
    assert.deepEqual(names.sort(), ["boot", "data", "scratch"]);
  });

  it(
    "reset brings back the initial inventory and clock and drops plans, " + "checkpoints, restores and faults",
    async () => {
      await call("POST", ctx.admin("volumes"), { body: { name: "temporary" } });
      await createPlan(ctx.plans(), ctx.emu().token);
      await advance(ctx.emu().admin, 2 * DAY);
      await call("PUT", ctx.admin("faults"), { body: { latencyMs: 5 } });
      const reset = await call("POST", ctx.admin("reset"));
      assert.equal(obj(reset.body).now, START.toISOString().replace(".000Z", "Z"));
      const state = obj((await call("GET", ctx.admin("state"))).body);
      assert.deepEqual(Object.keys(state).sort(), ["checkpoints", "clock", "faults", "plans", "restores", "volumes"]);
      assert.equal(list(state.plans).length, 0);
      assert.equal(list(state.checkpoints).length, 0);
      assert.deepEqual(
        list(state.volumes).map((v) => v.name),
        ["boot"],
      );
      assert.equal(obj(state.faults).latencyMs, undefined);
    },
  );

  it("advances the virtual clock by whole or fractional seconds and rejects nonsense", async () => {
    assert.equal(obj((await call("GET", ctx.admin("clock"))).body).now, "2026-01-05T00:00:00Z");
    assert.equal((await advance(ctx.emu().admin, 90.4)).now, "2026-01-05T00:01:30Z");
    for (const body of [{}, { seconds: -1 }, { seconds: "60" }, { seconds: 1e12 }, { seconds: 1, extra: true }]) {
      const reply = await call("POST", ctx.admin("clock/advance"), { body });
      assert.equal(reply.status, 422, JSON.stringify(body));
    }
    // Hourly for ten years is 87,672 runs per plan: six plans go past the bound, and nothing moves.
    for (let index = 0; index < 6; index += 1)
      await createPlan(ctx.plans(), ctx.emu().token, { schedule_pattern: "0 * * * *", name: `hourly-${index}` });
    const tooFar = await call("POST", ctx.admin("clock/advance"), { body: { seconds: 10 * 366 * 24 * 3600 } });
    assert.equal(tooFar.status, 422);
    assert.match(String(obj(tooFar.body).message), /smaller steps/);
    assert.equal(obj((await call("GET", ctx.admin("clock"))).body).now, "2026-01-05T00:01:30Z");
    const malformed = await call("POST", ctx.admin("clock/advance"), { rawBody: "{seconds: 1}" });
    assert.equal(malformed.status, 400);
  });

  it("lists plans in state with their project and whether they are being deleted", async () => {
    await call("PUT", ctx.admin("faults"), { body: { deletionDelaySeconds: 30 } });
    const plan = await createPlan(ctx.plans(), ctx.emu().token);
    await call("DELETE", ctx.plans(String(plan.id)), { token: ctx.emu().token });
    const [listed] = list(obj((await call("GET", ctx.admin("state"))).body).plans);
    assert.equal(listed?.project_id, ctx.emu().projectId);
    assert.equal(listed?.deleting, true);
  });
});
