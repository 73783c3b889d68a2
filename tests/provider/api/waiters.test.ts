import assert from "node:assert/strict";
import { ForbiddenError, NotFoundError, ServerError, TimeoutError, WaitTimeoutError } from "../../../provider/api";
import type { Plan } from "../../../provider/api";
import {
  nextDelay,
  UnexpectedPlanStatusError,
  waitForPlanGone,
  waitForPlanStatus,
  type WaitContext,
} from "../../../provider/api/waiters";
import { planBody, rejection } from "./helpers";

/** A fake clock and a scripted plan reader: `statuses[i]` answers the i-th poll ("404" = gone). */
function scripted(statuses: string[], pollCostMs = 10) {
  let now = 0;
  const polls: number[] = [];
  const sleeps: number[] = [];
  let i = 0;
  const ctx: WaitContext = {
    clock: {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    },
    callTimeoutMs: 60_000,
    pathOf: (id) => `/p/plans/${id}`,
    read: async (id) => {
      polls.push(now);
      now += pollCostMs;
      const status = statuses[Math.min(i, statuses.length - 1)]!;
      i += 1;
      if (status === "404")
        throw new NotFoundError({ operation: "getPlan", method: "GET", path: `/p/plans/${id}`, status: 404 });
      if (status === "timeout")
        throw new TimeoutError({
          operation: "getPlan",
          method: "GET",
          path: "/x",
          phase: "sent",
          timeoutMs: 1,
          detail: "x",
        });
      if (status === "500")
        throw new ServerError({ operation: "getPlan", method: "GET", path: `/p/plans/${id}`, status: 500 });
      if (status === "403")
        throw new ForbiddenError({ operation: "getPlan", method: "GET", path: `/p/plans/${id}`, status: 403 });
      return planBody({ id, status }) as Plan;
    },
  };
  return { ctx, polls, sleeps, now: () => now };
}

describe("api/waiters", () => {
  it("backs off from 250 ms by 1.5x up to 2 s", () => {
    const delays: number[] = [];
    let d: number | undefined;
    for (let k = 0; k < 8; k += 1) delays.push((d = nextDelay(d)));
    assert.deepEqual(delays, [250, 375, 563, 845, 1268, 1902, 2000, 2000]);
  });

  it("returns the plan once it reports the status", async () => {
    const s = scripted(["suspended", "suspended", "started"]);
    const plan = await waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 10_000 });
    assert.equal(plan.status, "started");
    assert.deepEqual(s.sleeps, [250, 375]);
  });

  it("converges within twice the service's delay", async () => {
    // The service activates after 2 s: the poll that sees it comes less than 4 s after the start.
    let now = 0;
    const ctx: WaitContext = {
      clock: { now: () => now, sleep: async (ms) => void (now += ms) },
      callTimeoutMs: 60_000,
      pathOf: (id) => id,
      read: async (id) => planBody({ id, status: now >= 2000 ? "started" : "suspended" }) as Plan,
    };
    await waitForPlanStatus(ctx, "a", "started", { timeoutMs: 60_000 });
    assert.ok(now >= 2000 && now < 4000, `converged at ${now} ms`);
  });

  it("times out naming the last status seen, without sleeping past the deadline", async () => {
    const s = scripted(["suspended"]);
    const err = await rejection(waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 3000 }));
    assert.ok(err instanceof WaitTimeoutError);
    assert.equal(err.lastStatus, "suspended");
    assert.equal(err.targetStatus, "started");
    assert.match(err.message, /did not become started within 3(\.\d)? s; last status seen: suspended/);
    assert.ok(s.now() <= 3000 + 10, `stopped at ${s.now()}`);
  });

  it("fails at once on a 404 while waiting for a status", async () => {
    const s = scripted(["suspended", "404", "started"]);
    const err = await rejection(waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 60_000 }));
    assert.ok(err instanceof NotFoundError);
    assert.equal(s.polls.length, 2);
  });

  it("tolerates transient poll failures (5xx, timeouts) until its deadline", async () => {
    const s = scripted(["suspended", "500", "timeout", "500", "started"]);
    const plan = await waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 60_000 });
    assert.equal(plan.status, "started");
    assert.equal(s.polls.length, 5);
  });

  it("a wait whose polls keep failing ends at the deadline, naming the last status and the failure", async () => {
    const s = scripted(["suspended", "500"]);
    const err = await rejection(waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 3000 }));
    assert.ok(err instanceof WaitTimeoutError);
    assert.match(err.message, /last status seen: suspended, then a failed poll \(getPlan failed: HTTP 500/);
  });

  it("fails at once on a failure that will not pass (403)", async () => {
    const s = scripted(["suspended", "403", "started"]);
    const err = await rejection(waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 60_000 }));
    assert.ok(err instanceof ForbiddenError);
    assert.equal(s.polls.length, 2);
  });

  it("fails at once when the plan enters status error", async () => {
    const s = scripted(["suspended", "error"]);
    const err = await rejection(waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 60_000 }));
    assert.ok(err instanceof UnexpectedPlanStatusError);
    assert.equal(err.planStatus, "error");
  });

  it("turns a poll that timed out at the deadline into the wait's timeout", async () => {
    let now = 0;
    const ctx: WaitContext = {
      clock: { now: () => now, sleep: async (ms) => void (now += ms) },
      callTimeoutMs: 60_000,
      pathOf: (id) => id,
      read: async () => {
        now += 5000;
        throw new TimeoutError({
          operation: "getPlan",
          method: "GET",
          path: "/x",
          phase: "sent",
          timeoutMs: 5000,
          detail: "x",
        });
      },
    };
    const err = await rejection(waitForPlanStatus(ctx, "a", "started", { timeoutMs: 1000 }));
    assert.ok(err instanceof WaitTimeoutError);
    assert.equal(err.lastStatus, "(none)");
  });

  it("waits for a plan to be gone (404)", async () => {
    const s = scripted(["started", "started", "404"]);
    await waitForPlanGone(s.ctx, "a", { timeoutMs: 10_000 });
    assert.equal(s.polls.length, 3);
    const stuck = scripted(["started"]);
    const err = await rejection(waitForPlanGone(stuck.ctx, "a", { timeoutMs: 1000 }));
    assert.ok(err instanceof WaitTimeoutError);
    assert.equal(err.lastStatus, "started");
    assert.match(err.message, /gone \(404\)/);
  });

  it("rejects a non-positive timeout", async () => {
    const s = scripted(["started"]);
    await assert.rejects(
      waitForPlanStatus(s.ctx, "a", "started", { timeoutMs: 0 }),
      /timeoutMs must be a positive number/,
    );
  });
});
