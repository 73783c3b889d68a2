// The retry rules as seen from one client call against undici's MockAgent.
import assert from "node:assert/strict";
import { isAmbiguousCreateFailure, NetworkError, RateLimitedError, ServerError } from "../../../provider/api";
import { mockAgent, mockClient, NEW_PLAN, ORIGIN, planBody, rejection, PLAN_ID, planPath, plansPath } from "./helpers";

describe("api/client with MockAgent", () => {
  describe("retries", () => {
    it("retries a GET on 503 and succeeds", async () => {
      const agent = mockAgent();
      const lines: string[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(503, { code: "unavailable", title: "x", message: "y" })
        .times(2);
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, planBody());
      const plan = await mockClient(agent, { log: (l) => lines.push(l) }).getPlan(PLAN_ID);
      assert.equal(plan.id, PLAN_ID);
      assert.equal(lines.filter((l) => /HTTP 503, retry/.test(l)).length, 2);
      assert.match(lines[lines.length - 1]!, /200 \d+ms \(3 attempts\)/);
    });

    it("gives up after maxRetries and surfaces the last answer as a typed error", async () => {
      const agent = mockAgent();
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(502, "bad gateway").times(3);
      const err = await rejection(mockClient(agent, { maxRetries: 2 }).getPlan(PLAN_ID));
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 502);
      agent.assertNoPendingInterceptors();
    });

    it("never retries a POST answered 500 and says the create may have happened", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: plansPath, method: "POST" })
        .reply(500, { code: "internal", title: "x", message: "y" });
      agent.get(ORIGIN).intercept({ path: plansPath, method: "POST" }).reply(201, planBody());
      const err = await rejection(mockClient(agent).createPlan(NEW_PLAN));
      assert.ok(err instanceof ServerError);
      assert.ok(isAmbiguousCreateFailure(err));
      assert.equal(agent.pendingInterceptors().length, 1, "the second answer must stay unused");
    });

    for (const status of [429, 503]) {
      it(
        `never retries a POST answered ${status} either ` + `(a gateway may answer it after the service saved)`,
        async () => {
          const agent = mockAgent();
          const pool = agent.get(ORIGIN);
          pool.intercept({ path: plansPath, method: "POST" }).reply(status, {}, { headers: { "retry-after": "0" } });
          pool.intercept({ path: plansPath, method: "POST" }).reply(201, planBody());
          const err = await rejection(mockClient(agent).createPlan(NEW_PLAN));
          assert.equal((err as { status?: number }).status, status);
          assert.ok(isAmbiguousCreateFailure(err));
          assert.equal(agent.pendingInterceptors().length, 1, "the second answer must stay unused");
        },
      );
    }

    it("retries a POST that failed before reaching a socket", async () => {
      const agent = mockAgent();
      const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      agent.get(ORIGIN).intercept({ path: plansPath, method: "POST" }).replyWithError(refused);
      agent.get(ORIGIN).intercept({ path: plansPath, method: "POST" }).reply(201, planBody());
      assert.equal((await mockClient(agent).createPlan(NEW_PLAN)).id, PLAN_ID);
    });

    it("surfaces a 429 that outlasts the retries with retryAfterMs", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(429, { code: "rate_limited", title: "x", message: "slow down" }, { headers: { "retry-after": "30" } });
      const err = await rejection(mockClient(agent, { timeoutSeconds: 5 }).getPlan(PLAN_ID));
      assert.ok(err instanceof RateLimitedError);
      assert.equal(err.retryAfterMs, 30_000);
    });

    it("maps an exhausted network failure to NetworkError", async () => {
      const agent = mockAgent();
      const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).replyWithError(reset).times(2);
      const err = await rejection(mockClient(agent, { maxRetries: 1 }).getPlan(PLAN_ID));
      assert.ok(err instanceof NetworkError);
      assert.equal(err.transportCode, "ECONNRESET");
      assert.match(err.message, /getPlan failed: network error .*ECONNRESET.*after 2 attempts/);
    });
  });
});
