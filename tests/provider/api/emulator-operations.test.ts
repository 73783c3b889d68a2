// Every operation, filter, layout and error class of the client against the running emulator.
import assert from "node:assert/strict";
import {
  BadRequestError,
  collect,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ScheduledBackupClient,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
  type Checkpoint,
} from "../../../provider/api";
import { rejection } from "./helpers";
import { Fixture } from "./emulator-helpers";

describe("api/client against the emulator: operations", function () {
  let fx: Fixture;
  before(async () => {
    fx = await Fixture.start();
  });
  after(async () => {
    await fx.close();
  });
  beforeEach(async () => {
    await fx.reset();
  });

  it("creates, reads, lists, updates and deletes a plan", async () => {
    const client = fx.client();
    const body = await fx.newPlan("nightly");
    const created = await client.createPlan(body);
    assert.equal(created.name, "nightly");
    assert.equal(created.max_backups, 5);
    assert.deepEqual(created.resources, body.resources);
    assert.match(created.created_at, /^\d{4}-\d\d-\d\dT/);

    assert.deepEqual(await client.getPlan(created.id), created);
    const page = await client.listPlans({ name: "nightly" });
    assert.equal(page.total, 1);
    assert.equal(page.plans[0]!.id, created.id);

    const updated = await client.updatePlan(created.id, { max_backups: 9, schedule_pattern: "30 2 * * *" });
    assert.equal(updated.max_backups, 9);
    assert.equal(updated.schedule_pattern, "30 2 * * *");
    assert.equal((await client.getPlan(created.id)).max_backups, 9);

    const suspended = await client.updatePlan(created.id, { status: "suspended" });
    assert.equal(suspended.status, "suspended");

    await client.deletePlan(created.id);
    await client.waitForPlanGone(created.id, { timeoutMs: 5000 });
    assert.ok((await rejection(client.getPlan(created.id))) instanceof NotFoundError);
  });

  it("filters plans by exact name and by volume name", async () => {
    const client = fx.client();
    const [v1, v2] = await fx.volumes();
    await client.createPlan(
      await fx.newPlan("alpha", { resources: [{ id: v1!.id, name: v1!.name, type: "OS::Cinder::Volume" }] }),
    );
    await client.createPlan(
      await fx.newPlan("alpha-2", { resources: [{ id: v2!.id, name: v2!.name, type: "OS::Cinder::Volume" }] }),
    );
    assert.deepEqual(
      (await collect(client.plans({ name: "alpha" }))).map((p) => p.name),
      ["alpha"],
    );
    assert.deepEqual(
      (await collect(client.plans({ volumeName: v2!.name }))).map((p) => p.name),
      ["alpha-2"],
    );
    assert.deepEqual(await collect(client.plans({ name: "nope" })), []);
    assert.equal((await collect(client.plans())).length, 2);
  });

  it("lists, reads and deletes checkpoints and chains, and restores an item", async () => {
    const client = fx.client();
    const [v1, v2] = await fx.volumes();
    const plan = await client.createPlan(
      await fx.newPlan("hourly", {
        resources: [v1!, v2!].map((v) => ({ id: v.id, name: v.name, type: "OS::Cinder::Volume" })),
      }),
    );
    await fx.faults({ protectingSeconds: 0 });
    await fx.advance(3 * 3600);

    const all = await collect(client.checkpoints({ planName: "hourly" }));
    assert.equal(all.length, 3);
    assert.ok(all.every((c) => c.plan_id === plan.id && c.checkpoint_items.length === 2));
    const byVolume = await collect(client.checkpoints({ volumeName: v2!.name }));
    assert.equal(byVolume.length, 3);
    assert.deepEqual(await collect(client.checkpoints({ planName: "other" })), []);

    const first = all[0]!;
    const read: Checkpoint = await client.getCheckpoint(first.id);
    assert.equal(read.id, first.id);
    assert.equal(read.checkpoint_items[0]!.is_incremental, false);

    const item = all[1]!.checkpoint_items[0]!;
    const restore = await client.createRestore({ checkpoint_item_id: item.id, restore_name: "db-restored" });
    assert.equal(restore.checkpoint_item_id, item.id);
    assert.equal(restore.checkpoint_id, all[1]!.id);
    assert.equal(restore.project_id, fx.emu.projectId);
    assert.equal(restore.resource_type, "OS::Cinder::Volume");
    assert.equal(restore.status, "success");
    assert.ok((await fx.volumes()).some((v) => v.id === restore.resource_id && v.name === "db-restored"));

    const deleted = await client.deleteCheckpoint(first.id);
    assert.deepEqual([deleted.id, deleted.status], [first.id, "deleting"]);

    const chain = all[2]!.checkpoint_items[0]!.chain_id;
    const gone = await client.deleteCheckpointsByChain(chain);
    assert.deepEqual(
      gone.deleted.map((c) => c.id),
      [all[2]!.id],
    );
  });

  it("paginates over 2,500 checkpoints page by page, in order, without duplicates", async function () {
    this.timeout(30_000);
    await fx.admin("POST", "seed/checkpoints", { count: 2500, planName: "seeded" });
    const client = fx.client();
    for (const pageSize of [1000, 333]) {
      const ids: string[] = [];
      let previous = "";
      for await (const checkpoint of client.checkpoints({ planName: "seeded", pageSize })) {
        assert.ok(checkpoint.created_at >= previous, "ascending created_at");
        previous = checkpoint.created_at;
        ids.push(checkpoint.id);
      }
      assert.equal(ids.length, 2500, `pageSize ${pageSize}`);
      assert.equal(new Set(ids).size, 2500);
    }
    const page = await client.listCheckpoints({ plan_name: "seeded", limit: 10 });
    assert.equal(page.total, 2500);
    assert.equal(page.checkpoints.length, 10);
  });

  it(
    "works on the token layout: no project in paths; " + "the service takes full_backups_amount and answers both names",
    async () => {
      const client = fx.client({ pathLayout: "token", projectId: undefined });
      const created = await client.createPlan(await fx.newPlan("token-layout", { max_backups: 4 }));
      assert.equal(created.max_backups, 4);
      assert.equal(created["full_backups_amount"], 4, "the emulator answers both names on this layout");
      const updated = await client.updatePlan(created.id, { max_backups: 6 });
      assert.equal(updated.max_backups, 6);
      assert.equal((await collect(client.plans({ name: "token-layout" })))[0]!.max_backups, 6);
      // Both layouts see the same plan.
      assert.equal((await fx.client().getPlan(created.id)).max_backups, 6);
    },
  );

  it("accepts an endpoint with a trailing slash", async () => {
    const client = fx.client({ endpoint: `${fx.emu.endpoint}/` });
    assert.deepEqual(await client.listPlans(), { plans: [], total: 0 });
  });

  describe("error classes", () => {
    it("400 BadRequestError for an unknown marker", async () => {
      const err = await rejection(fx.client().listPlans({ marker: "no-such-plan" }));
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.status, 400);
      assert.match(err.requestId ?? "", /^req-/);
    });

    it("401 UnauthorizedError for an unknown token", async () => {
      const err = await rejection(fx.client({ token: "not-a-token" }).listPlans());
      assert.ok(err instanceof UnauthorizedError);
      assert.ok(!err.message.includes("not-a-token"));
    });

    it("403 ForbiddenError for another project in the path", async () => {
      const err = await rejection(fx.client({ projectId: "00000000-0000-4000-8000-000000000000" }).listPlans());
      assert.ok(err instanceof ForbiddenError);
      assert.equal(err.status, 403);
    });

    it("404 NotFoundError with the API's error key", async () => {
      const err = await rejection(fx.client().getCheckpoint("00000000-0000-4000-8000-000000000000"));
      assert.ok(err instanceof NotFoundError);
      assert.ok(err.errorKey !== undefined && err.errorKey.length > 0);
    });

    it("422 ValidationError listing every problem with readable fields", async () => {
      const body = await fx.newPlan("", { max_backups: 500, schedule_pattern: "61 * * * *" });
      const err = await rejection(fx.client().createPlan(body));
      assert.ok(err instanceof ValidationError);
      const fields = err.problems.map((p) => p.field).sort();
      assert.ok(fields.includes("max_backups"), fields.join(","));
      assert.ok(fields.includes("name"), fields.join(","));
      assert.ok(fields.includes("schedule_pattern"), fields.join(","));
      assert.equal(err.problems.find((p) => p.field === "max_backups")!.loc[0], "body");
    });

    it("429 RateLimitedError once retries cannot help", async () => {
      await fx.faults({ rules: [{ operation: "listPlans", status: 429, retryAfterSeconds: 30 }] });
      const err = await rejection(fx.client().listPlans());
      assert.ok(err instanceof RateLimitedError);
      assert.equal(err.retryAfterMs, 30_000);
    });

    it("5xx ServerError after the retries", async () => {
      await fx.faults({ rules: [{ operation: "getCheckpoint", status: 500 }] });
      const err = await rejection(fx.client({ maxRetries: 1 }).getCheckpoint("x"));
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 500);
    });

    it("TimeoutError when the call's deadline passes", async () => {
      await fx.faults({ rules: [{ operation: "listPlans", delayMs: 5000, times: 1 }] });
      const started = Date.now();
      const err = await rejection(fx.client({ timeoutSeconds: 0.3 }).listPlans());
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.phase, "sent");
      assert.ok(Date.now() - started < 4000, "gave up at the deadline, not when the answer came");
    });

    it("a refused static token never appears in the error or its stack", async () => {
      const client = new ScheduledBackupClient({
        endpoint: fx.emu.endpoint,
        token: fx.emu.token,
        projectId: "other",
        pathLayout: "project",
      });
      const err = await rejection(client.listPlans());
      assert.ok(!String((err as Error).stack).includes(fx.emu.token));
    });
  });
});
