// Client behaviour against undici's MockAgent: request shapes, response parsing edge cases, errors,
// redaction and the retry rules as seen from one call.
import assert from "node:assert/strict";
import {
  collect,
  ConfigError,
  isAmbiguousCreateFailure,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  RequestSchemaError,
  ResponseSchemaError,
  ScheduledBackupClient,
  ServerError,
  UnauthorizedError,
  ValidationError,
} from "../../../provider/api";
import {
  BASE,
  checkpointBody,
  mockAgent,
  mockClient,
  NEW_PLAN,
  ORIGIN,
  planBody,
  PROJECT,
  recordingReply,
  rejection,
  TOKEN,
  type SeenRequest,
} from "./helpers";

const PLAN_ID = "0b6a8f0e-1111-4222-8333-444455556666";
const planPath = `${BASE}/${PROJECT}/plans/${PLAN_ID}`;
const plansPath = `${BASE}/${PROJECT}/plans/`;

describe("api/client with MockAgent", () => {
  describe("responses", () => {
    it("reads full_backups_amount as max_backups, keeps unknown fields and unknown statuses", async () => {
      const agent = mockAgent();
      const body = planBody({
        max_backups: undefined,
        full_backups_amount: 12,
        status: "activating",
        region_hint: { zone: "a" },
      });
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, body);
      const plan = await mockClient(agent).getPlan(PLAN_ID);
      assert.equal(plan.max_backups, 12);
      assert.equal(plan.status, "activating");
      assert.deepEqual(plan["region_hint"], { zone: "a" });
      assert.equal(plan["full_backups_amount"], 12);
    });

    it("prefers max_backups when both names are present", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(200, planBody({ max_backups: 5, full_backups_amount: 9 }));
      assert.equal((await mockClient(agent).getPlan(PLAN_ID)).max_backups, 5);
    });

    it("reads a plan without description as an empty description", async () => {
      const agent = mockAgent();
      const body = planBody();
      delete body["description"];
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, body);
      assert.equal((await mockClient(agent).getPlan(PLAN_ID)).description, "");
    });

    it("reports a response that breaks the contract with the operation and the field", async () => {
      const agent = mockAgent();
      const body = planBody({ resources: [{ id: 42, name: "db-1", type: "OS::Cinder::Volume" }] });
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(200, body, { headers: { "x-request-id": "rq-7" } });
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.operation, "getPlan");
      assert.equal(err.field, "resources[0].id");
      assert.equal(err.requestId, "rq-7");
      assert.match(
        err.message,
        /^getPlan: the API's answer does not match the contract at `resources\[0\]\.id`: .*expected string/,
      );
    });

    it("names the missing field of a list page", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: (p) => p.startsWith(`${BASE}/${PROJECT}/checkpoints/`), method: "GET" })
        .reply(200, { checkpoints: [checkpointBody("a"), { ...checkpointBody("b"), plan_id: undefined }], total: 2 });
      const err = await rejection(mockClient(agent).listCheckpoints());
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.operation, "listCheckpoints");
      assert.equal(err.field, "checkpoints[1].plan_id");
    });

    it("keeps unknown checkpoint fields at every level, and names a wrong type deep in an item", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const listing = (p: string): boolean => p.startsWith(`${BASE}/${PROJECT}/checkpoints/`);
      const item = (checkpointBody("a")["checkpoint_items"] as Record<string, unknown>[])[0]!;
      const resource = { ...(item["resource"] as object), size_gb: 10 };
      const body = checkpointBody("a", { checkpoint_items: [{ ...item, resource, encrypted: true }], tier: "cold" });
      pool.intercept({ path: listing, method: "GET" }).reply(200, { checkpoints: [body], total: 1, next: null });
      const page = await mockClient(agent).listCheckpoints();
      assert.deepEqual(page, { checkpoints: [body], total: 1, next: null });
      const broken = checkpointBody("b", { checkpoint_items: [{ ...item, is_incremental: "no" }] });
      pool.intercept({ path: listing, method: "GET" }).reply(200, { checkpoints: [body, broken], total: 2 });
      const err = await rejection(mockClient(agent).listCheckpoints());
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.field, "checkpoints[1].checkpoint_items[0].is_incremental");
    });

    it("treats a success body that is not JSON as a schema error", async () => {
      const agent = mockAgent();
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, "<html>maintenance</html>");
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof ResponseSchemaError);
      assert.match(err.message, /not JSON/);
    });

    it("takes the request id from X-Openstack-Request-Id when X-Request-Id is absent", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(
          404,
          { code: "not_found", title: "Not Found", message: "no plan", error_key: "plan.not_found" },
          {
            headers: { "x-openstack-request-id": "req-os-1" },
          },
        );
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.requestId, "req-os-1");
      assert.equal(err.errorKey, "plan.not_found");
      assert.equal(err.path, planPath);
    });

    it("parses both 422 shapes through the client", async () => {
      for (const body of [
        {
          code: "validation_error",
          title: "Unprocessable",
          message: "invalid",
          details: { errors: [{ loc: ["body", "name"], msg: "too long", type: "string_too_long" }] },
        },
        { detail: [{ loc: ["body", "name"], msg: "too long", type: "string_too_long" }] },
      ]) {
        const agent = mockAgent();
        agent.get(ORIGIN).intercept({ path: plansPath, method: "POST" }).reply(422, body);
        const err = await rejection(mockClient(agent).createPlan(NEW_PLAN));
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(
          err.problems.map((p) => [p.field, p.msg]),
          [["name", "too long"]],
        );
      }
    });
  });

  describe("requests", () => {
    it("sends max_backups on the project layout, with token, user agent and content type", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: plansPath, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      await mockClient(agent, { userAgent: "ci-job/7" }).createPlan(NEW_PLAN);
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0]!.body, NEW_PLAN);
      const headers = seen[0]!.headers;
      assert.equal(headers["x-auth-token"], TOKEN);
      assert.equal(headers["content-type"], "application/json");
      assert.match(headers["user-agent"] ?? "", /^pulumi-scheduled-backup\/\d+\.\d+\.\d+ ci-job\/7$/);
    });

    it("uses /plans/ without the project and full_backups_amount on the token layout", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/`, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/${PLAN_ID}`, method: "PATCH" })
        .reply(recordingReply(seen, 200, { max_backups: 3 }));
      const client = mockClient(agent, { pathLayout: "token", projectId: undefined });
      await client.createPlan(NEW_PLAN);
      await client.updatePlan(PLAN_ID, { max_backups: 3, name: "x" });
      const { max_backups: _dropped, ...rest } = NEW_PLAN;
      assert.deepEqual(
        seen.map((r) => r.body),
        [
          { ...rest, full_backups_amount: 7 },
          { full_backups_amount: 3, name: "x" },
        ],
      );
    });

    it("sends only the fields of a patch", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "PATCH" })
        .reply(recordingReply(seen, 200, { status: "suspended", name: "nightly" }));
      const answer = await mockClient(agent).updatePlan(PLAN_ID, { status: "suspended" });
      assert.deepEqual(seen[0]!.body, { status: "suspended" });
      assert.equal(answer.status, "suspended");
    });

    it("refuses unknown keys and wrong types before any I/O, naming the field", async () => {
      const client = mockClient(mockAgent()); // no interceptor: any request would fail differently
      const unknownKey = await rejection(client.createPlan({ ...NEW_PLAN, full_backups_amount: 3 } as never));
      assert.ok(unknownKey instanceof RequestSchemaError);
      assert.equal(unknownKey.field, "full_backups_amount");
      const immutable = await rejection(client.updatePlan(PLAN_ID, { backup_mode: "full" } as never));
      assert.ok(immutable instanceof RequestSchemaError);
      assert.equal(immutable.field, "backup_mode");
      const wrongType = await rejection(client.createRestore({ checkpoint_item_id: "i", restore_name: 5 } as never));
      assert.ok(wrongType instanceof RequestSchemaError);
      assert.equal(wrongType.field, "restore_name");
      const emptyId = await rejection(client.getPlan(""));
      assert.ok(emptyId instanceof RequestSchemaError);
      assert.equal(emptyId.field, "id");
      const badLimit = await rejection(client.listPlans({ limit: 5000 }));
      assert.ok(badLimit instanceof RequestSchemaError);
      assert.equal(badLimit.field, "limit");
    });

    it("deletes a chain with DELETE /checkpoints/?chain_id=", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/checkpoints/?chain_id=ch-1`, method: "DELETE" })
        .reply(200, { deleted: [checkpointBody("a", { status: "deleting" })] });
      const answer = await mockClient(agent).deleteCheckpointsByChain("ch-1");
      assert.equal(answer.deleted[0]!.status, "deleting");
    });
  });

  describe("pagination", () => {
    it("follows the marker page by page and stops at the short last page", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const seen: SeenRequest[] = [];
      const page = (ids: string[]) => ({ checkpoints: ids.map((id) => checkpointBody(id)), total: 5 });
      const at =
        (marker: string | null) =>
        (p: string): boolean => {
          const url = new URL(p, ORIGIN);
          return url.pathname === `${BASE}/${PROJECT}/checkpoints/` && url.searchParams.get("marker") === marker;
        };
      pool.intercept({ path: at(null), method: "GET" }).reply(recordingReply(seen, 200, page(["a", "b"])));
      pool.intercept({ path: at("b"), method: "GET" }).reply(recordingReply(seen, 200, page(["c", "d"])));
      pool.intercept({ path: at("d"), method: "GET" }).reply(recordingReply(seen, 200, page(["e"])));
      const ids = (await collect(mockClient(agent).checkpoints({ planName: "p", pageSize: 2 }))).map((c) => c.id);
      assert.deepEqual(ids, ["a", "b", "c", "d", "e"]);
      assert.deepEqual(
        seen.map((r) => new URL(r.path, ORIGIN).search),
        ["?plan_name=p&limit=2", "?plan_name=p&limit=2&marker=b", "?plan_name=p&limit=2&marker=d"],
      );
      agent.assertNoPendingInterceptors();
    });

    it("keeps going after a short page when total says more exist (a server capping limit)", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const at = (marker: string | null) => (p: string) => new URL(p, ORIGIN).searchParams.get("marker") === marker;
      pool.intercept({ path: at(null), method: "GET" }).reply(200, { plans: [planBody({ id: "a" })], total: 2 });
      pool.intercept({ path: at("a"), method: "GET" }).reply(200, { plans: [planBody({ id: "b" })], total: 2 });
      const ids = (await collect(mockClient(agent).plans({ pageSize: 5 }))).map((p) => p.id);
      assert.deepEqual(ids, ["a", "b"]);
    });

    it("detects a server that ignores the marker instead of looping forever", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: () => true, method: "GET" })
        .reply(200, { plans: [planBody({ id: "a" })], total: 9 })
        .persist();
      const err = await rejection(collect(mockClient(agent).plans({ pageSize: 1 })));
      assert.match(String(err), /does not honour `marker`/);
    });

    it("collect stops at its limit without fetching further pages", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: () => true, method: "GET" })
        .reply(200, { plans: [planBody({ id: "a" }), planBody({ id: "b" })], total: 9 });
      const plans = await collect(mockClient(agent).plans({ pageSize: 2 }), 1);
      assert.deepEqual(
        plans.map((p) => p.id),
        ["a"],
      );
    });

    it("rejects a page size out of 1..1000", async () => {
      const err = await rejection(collect(mockClient(mockAgent()).plans({ pageSize: 0 })));
      assert.match(String(err), /pageSize must be an integer between 1 and 1000/);
    });
  });

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

  describe("secrets", () => {
    it("never lets the token reach an error, its stack or a log line, even when the server echoes it", async () => {
      const agent = mockAgent();
      const lines: string[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(401, { code: "unauthorized", title: "Unauthorized", message: `token ${TOKEN} expired` });
      const err = await rejection(mockClient(agent, { log: (l) => lines.push(l) }).getPlan(PLAN_ID));
      assert.ok(err instanceof UnauthorizedError);
      const everything = [err.message, err.stack ?? "", JSON.stringify(err), ...lines].join("\n");
      assert.ok(!everything.includes(TOKEN), everything);
      assert.match(err.message, /\[redacted\] expired/);
      assert.match(err.message, /static token was refused/);
    });

    it("redacts the token's JSON-escaped, URL-encoded and base64 forms too", async () => {
      const secret = 'tok"en\\ wi/th+odd=chars';
      const agent = mockAgent();
      const lines: string[] = [];
      const echo =
        `raw ${secret}; query ?t=${encodeURIComponent(secret)}; ` +
        `form t=${new URLSearchParams({ t: secret }).toString().slice(2)}; ` +
        `basic ${Buffer.from(secret).toString("base64")}; url-safe ${Buffer.from(secret).toString("base64url")}`;
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(500, { code: "internal", title: "x", message: echo });
      const err = await rejection(
        mockClient(agent, { token: secret, maxRetries: 0, log: (l) => lines.push(l) }).getPlan(PLAN_ID),
      );
      const everything = [err instanceof Error ? err.message : "", ...lines].join("\n");
      for (const form of [
        secret,
        encodeURIComponent(secret),
        Buffer.from(secret).toString("base64"),
        Buffer.from(secret).toString("base64url"),
      ]) {
        assert.ok(!everything.includes(form), `${form} leaked: ${everything}`);
      }
      assert.equal((everything.match(/\[redacted\]/g) ?? []).length >= 5, true, everything);
    });

    it("keeps credentials out of util.inspect and JSON of the client", async () => {
      const { inspect } = await import("node:util");
      const client = new ScheduledBackupClient({
        endpoint: "http://x.test/v2",
        authUrl: "http://id.test/v3",
        username: "svc",
        password: "pw-SECRET-42",
        accountId: "1",
        projectId: "p",
      });
      assert.ok(!inspect(client, { depth: 10 }).includes("pw-SECRET-42"));
      assert.ok(!JSON.stringify(client).includes("pw-SECRET-42"));
    });
  });

  describe("configuration", () => {
    it("names what is missing", () => {
      assert.throws(
        () => new ScheduledBackupClient({ endpoint: "http://x/v2", projectId: "p" }),
        (e: unknown) => e instanceof ConfigError && /^No credentials/.test(e.message) && e.keys.includes("token"),
      );
      assert.throws(
        () => new ScheduledBackupClient({ token: "t", projectId: "p" }),
        (e: unknown) => e instanceof ConfigError && /^No API endpoint/.test(e.message),
      );
      assert.throws(
        () => new ScheduledBackupClient({ token: "t", endpoint: "http://x/v2", pathLayout: "project" }),
        (e: unknown) => e instanceof ConfigError && e.keys.includes("projectId"),
      );
      assert.doesNotThrow(
        () => new ScheduledBackupClient({ token: "t", endpoint: "http://x/v2", pathLayout: "token" }),
      );
      // The default detects the layout; the project is needed only if the service turns out to want it.
      assert.doesNotThrow(() => new ScheduledBackupClient({ token: "t", endpoint: "http://x/v2" }));
      assert.throws(
        () => new ScheduledBackupClient({ token: "t", endpoint: "http://x/v2", pathLayout: "flat" as never }),
        /auto, project, token/,
      );
      assert.throws(() => new ScheduledBackupClient({ token: "t", endpoint: "nope", projectId: "p" }), ConfigError);
      assert.throws(
        () => new ScheduledBackupClient({ token: "t", endpoint: "http://x/", projectId: "p", maxRetries: -1 }),
        /maxRetries/,
      );
      assert.throws(
        () =>
          new ScheduledBackupClient({
            token: "t",
            endpoint: "https://x/",
            projectId: "p",
            caCertFile: "/nonexistent/ca.pem",
          }),
        (e: unknown) => e instanceof ConfigError && /caCertFile \/nonexistent\/ca\.pem cannot be read/.test(e.message),
      );
    });
  });
});
