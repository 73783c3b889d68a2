// Waiters against the emulator's real-time activation and deletion delays.
import assert from "node:assert/strict";
import { NotFoundError, WaitTimeoutError } from "../../../provider/api";
import { rejection } from "./helpers";
import { Fixture } from "./emulator-helpers";

describe("api/client against the emulator: waiters", function () {
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

  // How fast a wait converges is pinned by the fake-clock unit tests; here: that it really waits, and ends.
  it("waits for a new plan to become started", async () => {
    await fx.faults({ activationDelaySeconds: 0.6 });
    const client = fx.client();
    const started = Date.now();
    const plan = await client.createPlan(await fx.newPlan("slow-start"));
    assert.equal(plan.status, "suspended");
    const ready = await client.waitForPlanStatus(plan.id, "started", { timeoutMs: 5000 });
    assert.equal(ready.status, "started");
    assert.ok(Date.now() - started >= 550, "returned only once the service activated the plan");
  });

  it("waits for an updated plan to come back to started, and for a suspension", async () => {
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("update"));
    await fx.faults({ activationDelaySeconds: 0.3 });
    await client.updatePlan(plan.id, { max_backups: 3 });
    assert.equal((await client.waitForPlanStatus(plan.id, "started", { timeoutMs: 5000 })).max_backups, 3);
    await client.updatePlan(plan.id, { status: "suspended" });
    assert.equal((await client.waitForPlanStatus(plan.id, "suspended", { timeoutMs: 5000 })).status, "suspended");
  });

  it("times out saying the last status seen", async () => {
    await fx.faults({ activationDelaySeconds: 30 });
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("stuck"));
    const err = await rejection(client.waitForPlanStatus(plan.id, "started", { timeoutMs: 700 }));
    assert.ok(err instanceof WaitTimeoutError);
    assert.equal(err.lastStatus, "suspended");
    assert.match(err.message, /last status seen: suspended/);
    assert.equal(err.path, `/data-protect/v2/${fx.emu.projectId}/plans/${plan.id}`);
  });

  it("waits for a deleted plan to disappear", async () => {
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("going"));
    await fx.faults({ deletionDelaySeconds: 0.5 });
    await client.deletePlan(plan.id);
    assert.equal((await client.getPlan(plan.id)).id, plan.id, "still readable for a moment");
    await client.waitForPlanGone(plan.id, { timeoutMs: 5000 });
    assert.ok((await rejection(client.getPlan(plan.id))) instanceof NotFoundError);
  });

  it("fails at once when the plan disappears while waiting for a status", async () => {
    await fx.faults({ activationDelaySeconds: 30 });
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("vanishing"));
    await client.deletePlan(plan.id);
    const started = Date.now();
    const err = await rejection(client.waitForPlanStatus(plan.id, "started", { timeoutMs: 10_000 }));
    assert.ok(err instanceof NotFoundError);
    assert.ok(Date.now() - started < 5000, "did not wait for the 10 s timeout");
  });
});
