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
  planBody,
  sleep,
  useEmulator,
} from "./helpers";

describe("emulator: plan lifecycle and faults", () => {
  const ctx = useEmulator();
  const token = (): string => ctx.emu().token;
  const setFaults = async (faults: unknown): Promise<void> => {
    const reply = await call("PUT", `${ctx.emu().admin}/faults`, { body: faults });
    assert.equal(reply.status, 200, reply.text);
  };
  const planCount = async (): Promise<number> =>
    Number(obj((await call("GET", ctx.plans(), { token: token() })).body).total);

  describe("lifecycle delays (real time)", () => {
    it(
      "holds new and updated plans suspended for activationDelaySeconds, " + "then answers the desired status",
      async () => {
        await setFaults({ activationDelaySeconds: 0.4 });
        const plan = await createPlan(ctx.plans(), token());
        assert.equal(plan.status, "suspended");
        await sleep(500);
        assert.equal(obj((await call("GET", ctx.plans(String(plan.id)), { token: token() })).body).status, "started");

        const updated = await call("PATCH", ctx.plans(String(plan.id)), {
          token: token(),
          body: { description: "changed" },
        });
        assert.equal(obj(updated.body).status, "suspended");
        await sleep(500);
        assert.equal(obj((await call("GET", ctx.plans(String(plan.id)), { token: token() })).body).status, "started");

        await call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { status: "suspended" } });
        await sleep(500);
        assert.equal(obj((await call("GET", ctx.plans(String(plan.id)), { token: token() })).body).status, "suspended");
      },
    );

    it("keeps a deleted plan readable for deletionDelaySeconds, then answers 404", async () => {
      await setFaults({ deletionDelaySeconds: 1 });
      const plan = await createPlan(ctx.plans(), token());
      assert.equal((await call("DELETE", ctx.plans(String(plan.id)), { token: token() })).status, 204);
      assert.equal((await call("GET", ctx.plans(String(plan.id)), { token: token() })).status, 200);
      assert.equal(
        (await call("DELETE", ctx.plans(String(plan.id)), { token: token() })).status,
        204,
        "a repeated delete is accepted",
      );
      const patch = await call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { name: "late" } });
      assert.equal(patch.status, 400);
      assert.equal(obj(patch.body).error_key, "plan.deleting");
      await sleep(1100);
      const gone = await call("GET", ctx.plans(String(plan.id)), { token: token() });
      assert.equal(gone.status, 404);
      assert.equal(obj(gone.body).error_key, "plan.not_found");
      assert.equal((await call("DELETE", ctx.plans(String(plan.id)), { token: token() })).status, 404);
    });

    it("shows a deleted checkpoint as deleting for deletionDelaySeconds, then it is gone", async () => {
      await createPlan(ctx.plans(), token());
      await advance(ctx.emu().admin, DAY);
      const [checkpoint] = await allCheckpoints(ctx.checkpoints(), token());
      await setFaults({ deletionDelaySeconds: 1 });
      assert.equal((await call("DELETE", ctx.checkpoints(String(checkpoint?.id)), { token: token() })).status, 200);
      const deleting = obj((await call("GET", ctx.checkpoints(String(checkpoint?.id)), { token: token() })).body);
      assert.equal(deleting.status, "deleting");
      assert.ok(items(deleting).every((item) => item.status === "deleting"));
      const restore = await call("POST", ctx.restores(), {
        token: token(),
        body: { checkpoint_item_id: items(deleting)[0]?.id, restore_name: "late" },
      });
      assert.equal(restore.status, 400);
      assert.equal(
        (await call("DELETE", ctx.checkpoints(String(checkpoint?.id)), { token: token() })).status,
        200,
        "a repeated delete is accepted",
      );
      await sleep(1100);
      assert.equal((await call("GET", ctx.checkpoints(String(checkpoint?.id)), { token: token() })).status, 404);
    });
  });

  describe("fault rules", () => {
    it("answers a status with Retry-After for `times` requests of that operation only", async () => {
      await setFaults({ rules: [{ operation: "createPlan", status: 503, times: 2, retryAfterSeconds: 1 }] });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const reply = await call("POST", ctx.plans(), { token: token(), body: planBody() });
        assert.equal(reply.status, 503);
        assert.equal(reply.headers["retry-after"], "1");
        assert.deepEqual(Object.keys(obj(reply.body)).sort(), ["code", "details", "error_key", "message", "title"]);
      }
      assert.equal((await call("GET", ctx.plans(), { token: token() })).status, 200);
      assert.equal((await call("POST", ctx.plans(), { token: token(), body: planBody() })).status, 201);
      assert.equal(await planCount(), 1);
    });

    it("fires `rate` rules from a PRNG seeded by `seed`: the same seed replays the same outcomes", async () => {
      const faults = { seed: 42, rules: [{ operation: "getPlan", status: 500, rate: 0.5 }] };
      const plan = await createPlan(ctx.plans(), token());
      const outcomes = async (): Promise<number[]> => {
        await setFaults(faults);
        const statuses: number[] = [];
        for (let index = 0; index < 24; index += 1)
          statuses.push((await call("GET", ctx.plans(String(plan.id)), { token: token() })).status);
        return statuses;
      };
      const first = await outcomes();
      assert.ok(first.includes(500) && first.includes(200), first.join(","));
      assert.deepEqual(await outcomes(), first);
    });

    it("resets the connection after commit: the plan exists although the client saw no answer", async () => {
      await setFaults({ rules: [{ operation: "createPlan", reset: "after-commit", times: 1 }] });
      await assert.rejects(call("POST", ctx.plans(), { token: token(), body: planBody() }));
      assert.equal(await planCount(), 1);
    });

    it("resets the connection before commit: nothing changes", async () => {
      const plan = await createPlan(ctx.plans(), token());
      await setFaults({ rules: [{ operation: "updatePlan", reset: "before-commit", times: 1 }] });
      await assert.rejects(call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { name: "renamed" } }));
      assert.equal(obj((await call("GET", ctx.plans(String(plan.id)), { token: token() })).body).name, "nightly");
      assert.equal(
        (await call("PATCH", ctx.plans(String(plan.id)), { token: token(), body: { name: "renamed" } })).status,
        200,
      );
    });

    it('`commit: "after"` applies the change, then answers the error status', async () => {
      await setFaults({ rules: [{ operation: "createPlan", status: 503, commit: "after", times: 1 }] });
      const reply = await call("POST", ctx.plans(), { token: token(), body: planBody() });
      assert.equal(reply.status, 503);
      assert.equal(await planCount(), 1, "saved although the answer was 503");
      const refused = await call("POST", ctx.plans(), { token: token(), body: planBody({ max_backups: 0 }) });
      assert.equal(refused.status, 422, "a request the service refuses is not turned into an error-after-save");
    });

    it("`commitDelayMs` answers the error at once and applies the change that much later", async () => {
      await setFaults({ rules: [{ operation: "createPlan", status: 504, commitDelayMs: 400, times: 1 }] });
      assert.equal((await call("POST", ctx.plans(), { token: token(), body: planBody() })).status, 504);
      assert.equal(await planCount(), 0, "not yet");
      await sleep(500);
      assert.equal(await planCount(), 1, "the save landed late");
    });

    it("`delayMs` beyond the client's deadline still applies the change (the client has gone)", async () => {
      await setFaults({ rules: [{ operation: "createPlan", delayMs: 400, times: 1 }] });
      await assert.rejects(call("POST", ctx.plans(), { token: token(), body: planBody(), timeoutMs: 100 }));
      assert.equal(await planCount(), 0);
      await sleep(450);
      assert.equal(await planCount(), 1);
    });

    it("clearing the faults cancels late commits not yet applied", async () => {
      await setFaults({ rules: [{ operation: "createPlan", status: 504, commitDelayMs: 300, times: 1 }] });
      assert.equal((await call("POST", ctx.plans(), { token: token(), body: planBody() })).status, 504);
      await setFaults({});
      await sleep(400);
      assert.equal(await planCount(), 0);
    });

    it('refuses a late commit without a status, on a read, or with `commit: "before"`', async () => {
      const reply = await call("PUT", `${ctx.emu().admin}/faults`, {
        body: {
          rules: [
            { operation: "createPlan", commit: "after", delayMs: 1 },
            { operation: "listPlans", status: 500, commit: "after" },
            { operation: "createPlan", status: 500, commit: "before", commitDelayMs: 5 },
          ],
        },
      });
      assert.equal(reply.status, 422);
      const locs = list(obj(obj(reply.body).details).errors).map((e) => (e.loc as unknown[]).join("."));
      assert.deepEqual(locs.sort(), ["body.rules.0.status", "body.rules.1.operation", "body.rules.2.commit"]);
    });

    it("delays requests (delayMs per rule, latencyMs for all)", async () => {
      await setFaults({ rules: [{ operation: "listPlans", delayMs: 300, times: 1 }] });
      let started = Date.now();
      assert.equal((await call("GET", ctx.plans(), { token: token() })).status, 200);
      assert.ok(Date.now() - started >= 290);
      await setFaults({ latencyMs: 150 });
      started = Date.now();
      await call("GET", ctx.checkpoints(), { token: token() });
      assert.ok(Date.now() - started >= 140);
    });

    it("applies to Keystone as operation `auth`", async () => {
      await setFaults({ rules: [{ operation: "auth", status: 429, retryAfterSeconds: 2, times: 1 }] });
      const reply = await call("POST", `${ctx.emu().authUrl}/auth/tokens`, { body: {} });
      assert.equal(reply.status, 429);
      assert.equal(reply.headers["retry-after"], "2");
    });

    it("rejects a malformed fault configuration with a 422 naming the field, and `{}` clears faults", async () => {
      const reply = await call("PUT", `${ctx.emu().admin}/faults`, {
        body: { latencyMs: -1, rules: [{ operation: "makePlan", status: 500 }, { operation: "getPlan" }] },
      });
      assert.equal(reply.status, 422);
      const locs = list(obj(obj(reply.body).details).errors).map((e) => (e.loc as unknown[]).join("."));
      assert.ok(locs.includes("body.latencyMs"), locs.join(","));
      assert.ok(locs.includes("body.rules.0.operation"), locs.join(","));
      assert.ok(
        locs.some((loc) => loc.startsWith("body.rules.1")),
        locs.join(","),
      );

      await setFaults({ rules: [{ operation: "listPlans", status: 500 }] });
      assert.equal((await call("GET", ctx.plans(), { token: token() })).status, 500);
      await setFaults({});
      assert.equal((await call("GET", ctx.plans(), { token: token() })).status, 200);
    });
  });
});
