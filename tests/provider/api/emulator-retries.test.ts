// The retry rules under the emulator's injected faults (docs/design.md §7): what is retried, what never is,
// and that a create is never duplicated.
import assert from "node:assert/strict";
import { Agent, buildConnector } from "undici";
import { isAmbiguousCreateFailure, NetworkError, RateLimitedError, ServerError } from "../../../provider/api";
import { rejection } from "./helpers";
import { Fixture, logSink } from "./emulator-helpers";

const retries = (lines: string[]): number => lines.filter((l) => /, retry \d+ of \d+ in /.test(l)).length;

describe("api/client against the emulator: retries under faults", function () {
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

  async function plansNamed(name: string): Promise<number> {
    return (await fx.state()).plans.filter((p) => p.name === name).length;
  }

  it("GET is retried on 500, 502, 503 and 504", async () => {
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("p"));
    for (const status of [500, 502, 503, 504]) {
      await fx.faults({ rules: [{ operation: "getPlan", status, times: 2 }] });
      const sink = logSink();
      assert.equal((await fx.client({ log: sink.log }).getPlan(plan.id)).id, plan.id, `status ${status}`);
      assert.equal(retries(sink.lines), 2, `status ${status}`);
    }
  });

  it("GET, PATCH and DELETE are retried after a connection reset", async () => {
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("p"));
    await fx.faults({ rules: [{ operation: "getPlan", reset: "before-commit", times: 1 }] });
    assert.equal((await client.getPlan(plan.id)).id, plan.id);
    await fx.faults({ rules: [{ operation: "updatePlan", reset: "before-commit", times: 1 }] });
    assert.equal((await client.updatePlan(plan.id, { max_backups: 8 })).max_backups, 8);
    await fx.faults({ rules: [{ operation: "updatePlan", reset: "after-commit", times: 1 }] });
    assert.equal((await client.updatePlan(plan.id, { max_backups: 9 })).max_backups, 9);
    await fx.faults({ rules: [{ operation: "deletePlan", status: 502, times: 1 }] });
    await client.deletePlan(plan.id);
    await client.waitForPlanGone(plan.id, { timeoutMs: 5000 });
  });

  it("a POST whose connection resets after commit is not retried: one plan, an ambiguous NetworkError", async () => {
    await fx.faults({ rules: [{ operation: "createPlan", reset: "after-commit", times: 1 }] });
    const sink = logSink();
    const err = await rejection(fx.client({ log: sink.log }).createPlan(await fx.newPlan("once")));
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.phase, "sent");
    assert.ok(isAmbiguousCreateFailure(err));
    assert.equal(retries(sink.lines), 0);
    assert.ok(
      sink.lines.some((l) => /request was already sent; not retried/.test(l)),
      sink.lines.join("\n"),
    );
    assert.equal(await plansNamed("once"), 1, "committed exactly once");
    // The caller's recovery: look the plan up by name.
    assert.equal((await fx.client().listPlans({ name: "once" })).total, 1);
  });

  it(
    "a POST whose connection resets before commit is not retried either (the client cannot tell), " +
      "and nothing exists",
    async () => {
      await fx.faults({ rules: [{ operation: "createPlan", reset: "before-commit", times: 1 }] });
      const err = await rejection(fx.client().createPlan(await fx.newPlan("maybe")));
      assert.ok(err instanceof NetworkError);
      assert.ok(isAmbiguousCreateFailure(err));
      assert.equal(await plansNamed("maybe"), 0);
    },
  );

  it("a POST that fails before the request is sent is retried", async () => {
    const connect = buildConnector({});
    let refusals = 0;
    const flaky = new Agent({
      connect: (opts, callback) => {
        if (refusals === 0) {
          refusals += 1;
          // Asynchronously, as a real refused connect reports (undici expects that).
          setImmediate(() =>
            callback(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), null),
          );
          return;
        }
        connect(opts, callback);
      },
    });
    try {
      const sink = logSink();
      const plan = await fx.client({ dispatcher: flaky, log: sink.log }).createPlan(await fx.newPlan("after-refusal"));
      assert.equal(plan.name, "after-refusal");
      assert.equal(refusals, 1);
      assert.equal(retries(sink.lines), 1);
      assert.equal(await plansNamed("after-refusal"), 1);
    } finally {
      await flaky.close();
    }
  });

  it("a POST answered 500 is not retried (it may have been applied)", async () => {
    await fx.faults({ rules: [{ operation: "createPlan", status: 500, times: 1 }] });
    const sink = logSink();
    const err = await rejection(fx.client({ log: sink.log }).createPlan(await fx.newPlan("p500")));
    assert.ok(err instanceof ServerError);
    assert.ok(isAmbiguousCreateFailure(err));
    assert.equal(retries(sink.lines), 0);
  });

  it("a POST answered 503 after the service saved it is not re-sent: one plan, an ambiguous error", async () => {
    await fx.faults({
      rules: [{ operation: "createPlan", status: 503, commit: "after", times: 1, retryAfterSeconds: 0 }],
    });
    const err = await rejection(fx.client().createPlan(await fx.newPlan("p503")));
    assert.ok(err instanceof ServerError);
    assert.ok(isAmbiguousCreateFailure(err));
    assert.equal(await plansNamed("p503"), 1);
  });

  it("a restore POST answered 429 is not re-sent either", async () => {
    const client = fx.client();
    await client.createPlan(await fx.newPlan("r"));
    await fx.faults({
      protectingSeconds: 0,
      rules: [{ operation: "createRestore", status: 429, times: 1, retryAfterSeconds: 0 }],
    });
    await fx.advance(3600);
    const [checkpoint] = (await client.listCheckpoints({ plan_name: "r" })).checkpoints;
    const err = await rejection(
      client.createRestore({ checkpoint_item_id: checkpoint!.checkpoint_items[0]!.id, restore_name: "back" }),
    );
    assert.ok(err instanceof RateLimitedError);
    assert.ok(isAmbiguousCreateFailure(err));
  });

  it("a GET answered 429 waits for Retry-After, even beyond the backoff cap, then succeeds", async function () {
    this.timeout(10_000);
    await fx.faults({ rules: [{ operation: "listCheckpoints", status: 429, times: 1, retryAfterSeconds: 1 }] });
    const started = Date.now();
    await fx.client({ retryBackoff: { baseMs: 5, capMs: 50 } }).listCheckpoints();
    const waited = Date.now() - started;
    assert.ok(waited >= 950, `waited ${waited} ms, less than Retry-After`);
  });

  it("a 429 whose Retry-After exceeds the deadline fails at once, saying how long the service asked for", async () => {
    await fx.faults({ rules: [{ operation: "listPlans", status: 429, retryAfterSeconds: 90 }] });
    const started = Date.now();
    const err = await rejection(fx.client({ timeoutSeconds: 5 }).listPlans());
    assert.ok(err instanceof RateLimitedError);
    assert.match(err.message, /asked to wait 90 s \(Retry-After\).*raise timeoutSeconds/);
    assert.ok(Date.now() - started < 4000);
  });

  it("a Retry-After beyond the call's deadline fails fast instead of waiting", async () => {
    await fx.faults({ rules: [{ operation: "listCheckpoints", status: 503, retryAfterSeconds: 10 }] });
    const started = Date.now();
    const err = await rejection(fx.client({ timeoutSeconds: 5 }).listCheckpoints());
    assert.ok(err instanceof ServerError);
    assert.equal(err.status, 503);
    assert.ok(Date.now() - started < 4000, "did not sit out the deadline");
  });

  it("stops after maxRetries and reports the last answer", async () => {
    await fx.faults({ rules: [{ operation: "listPlans", status: 429 }] });
    const sink = logSink();
    const err = await rejection(fx.client({ maxRetries: 3, log: sink.log }).listPlans());
    assert.ok(err instanceof RateLimitedError);
    assert.equal(retries(sink.lines), 3);
  });

  it("retries under a random error rate (seeded) and every call still succeeds", async () => {
    const client = fx.client();
    const plan = await client.createPlan(await fx.newPlan("flaky"));
    await fx.faults({ seed: 42, rules: [{ operation: "getPlan", status: 503, rate: 0.3 }] });
    const sink = logSink();
    const flaky = fx.client({ log: sink.log, maxRetries: 8 });
    for (let i = 0; i < 20; i += 1) assert.equal((await flaky.getPlan(plan.id)).id, plan.id);
    assert.ok(retries(sink.lines) > 0, "some calls met the fault");
  });

  it("reports a GET whose connection keeps resetting as a NetworkError naming the attempts", async () => {
    await fx.faults({ rules: [{ operation: "listPlans", reset: "before-commit" }] });
    const err = await rejection(fx.client({ maxRetries: 2 }).listPlans());
    assert.ok(err instanceof NetworkError);
    assert.match(err.message, /after 3 attempts/);
  });
});
