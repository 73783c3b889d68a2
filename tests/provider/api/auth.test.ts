import assert from "node:assert/strict";
import { findServiceEndpoint, parseKeystoneToken, passwordAuthBody, tokensUrl } from "../../../provider/api/auth";
import {
  ConfigError,
  ResponseSchemaError,
  ScheduledBackupClient,
  ServerError,
  UnauthorizedError,
  type Clock,
} from "../../../provider/api";
import { mockAgent, planBody, recordingReply, rejection, type SeenRequest } from "./helpers";

const IDENTITY = "http://identity.test";
const API = "http://api-ru-3.test";
const PROJECT = "5c1f0a7e-2b3d-4e8f-9a61-7d0c4b2e8f13";
const PASSWORD = "pw-SECRET-7a1";
const ctx = { operation: "auth", method: "POST", path: "/identity/v3/auth/tokens" };

function catalog(): unknown[] {
  return [
    { type: "identity", endpoints: [{ interface: "public", region_id: "ru-1", url: `${IDENTITY}/identity/v3` }] },
    {
      type: "data-protectv2",
      endpoints: [
        { interface: "internal", region_id: "ru-3", url: "http://internal.test/data-protect/v2" },
        { interface: "public", region_id: "ru-1", url: "http://api-ru-1.test/data-protect/v2" },
        { interface: "public", region_id: "ru-3", url: `${API}/data-protect/v2/` },
      ],
    },
  ];
}

function tokenBody(expiresAt: string, issuedAt = "2026-11-27T00:00:00Z"): string {
  return JSON.stringify({
    token: { expires_at: expiresAt, issued_at: issuedAt, project: { id: PROJECT, name: "prod" }, catalog: catalog() },
  });
}

describe("api/auth (Keystone)", () => {
  it("asks for a project-scoped token with the password method and the account as user domain", () => {
    const body: unknown = JSON.parse(
      passwordAuthBody({ authUrl: "x", username: "svc", password: "pw", accountId: "123456", projectId: PROJECT }),
    );
    assert.deepEqual(body, {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "svc", domain: { name: "123456" }, password: "pw" } },
        },
        scope: { project: { id: PROJECT } },
      },
    });
    const unscoped = JSON.parse(
      passwordAuthBody({ authUrl: "x", username: "svc", password: "pw", accountId: "1" }),
    ) as { auth: { scope?: unknown } };
    assert.equal(unscoped.auth.scope, undefined);
  });

  it("builds {authUrl}/auth/tokens whatever the trailing slash", () => {
    assert.equal(
      tokensUrl("https://cloud.api.selcloud.ru/identity/v3/").href,
      "https://cloud.api.selcloud.ru/identity/v3/auth/tokens",
    );
    assert.equal(
      tokensUrl("https://cloud.api.selcloud.ru/identity/v3").href,
      "https://cloud.api.selcloud.ru/identity/v3/auth/tokens",
    );
    assert.throws(() => tokensUrl("nope"), ConfigError);
  });

  it(
    "parses the token: value from X-Subject-Token, expiry, project, catalog; " +
      "renews a tenth of the lifetime early, 5 min at most",
    () => {
      const t = parseKeystoneToken("subject", tokenBody("2026-11-27T00:10:00Z"), 0, ctx);
      assert.equal(t.value, "subject");
      assert.equal(t.expiresAt, Date.parse("2026-11-27T00:10:00Z"));
      assert.equal(t.renewAt, Date.parse("2026-11-27T00:09:00Z"));
      assert.equal(t.projectId, PROJECT);
      assert.equal(t.catalog.length, 2);
      const day = parseKeystoneToken("s", tokenBody("2026-11-28T00:00:00Z"), 0, ctx);
      assert.equal(day.expiresAt - day.renewAt, 5 * 60_000, "margin capped at 5 minutes");
    },
  );

  it("reports a token answer without X-Subject-Token or with a broken body as a schema error", () => {
    assert.throws(
      () => parseKeystoneToken(undefined, tokenBody("2026-11-27T01:00:00Z"), 0, ctx),
      (e: unknown) => e instanceof ResponseSchemaError && e.field === "X-Subject-Token",
    );
    assert.throws(
      () => parseKeystoneToken("s", JSON.stringify({ token: { catalog: [] } }), 0, ctx),
      (e: unknown) => e instanceof ResponseSchemaError && e.field === "token.expires_at",
    );
    assert.throws(() => parseKeystoneToken("s", "{", 0, ctx), /not JSON/);
  });

  it("finds the public data-protectv2 endpoint of the region", () => {
    const t = parseKeystoneToken("s", tokenBody("2026-11-27T01:00:00Z"), 0, ctx);
    assert.equal(findServiceEndpoint(t.catalog, "ru-3"), `${API}/data-protect/v2/`);
    assert.equal(findServiceEndpoint(t.catalog, "ru-1"), "http://api-ru-1.test/data-protect/v2");
  });

  it("explains a catalog without the service, and a region it does not offer", () => {
    assert.throws(
      () => findServiceEndpoint([{ type: "identity", endpoints: [] }], "ru-3"),
      (e: unknown) =>
        e instanceof ConfigError &&
        /no `data-protectv2` service \(it lists: identity\); set `endpoint`/.test(e.message),
    );
    const t = parseKeystoneToken("s", tokenBody("2026-11-27T01:00:00Z"), 0, ctx);
    assert.throws(
      () => findServiceEndpoint(t.catalog, "ru-7"),
      (e: unknown) =>
        e instanceof ConfigError &&
        /region `ru-7`; regions offered: ru-1, ru-3/.test(e.message) &&
        e.keys[0] === "region",
    );
  });

  describe("through the client", () => {
    function setup(clock: Clock, expiresAt: string) {
      const agent = mockAgent();
      const auths: unknown[] = [];
      agent
        .get(IDENTITY)
        .intercept({ path: "/identity/v3/auth/tokens", method: "POST" })
        .reply((opts) => {
          auths.push(JSON.parse(typeof opts.body === "string" ? opts.body : ""));
          return {
            statusCode: 201,
            data: tokenBody(expiresAt),
            responseOptions: { headers: { "x-subject-token": `ks-token-${auths.length}` } },
          };
        })
        .persist();
      const client = new ScheduledBackupClient({
        pathLayout: "project",
        authUrl: `${IDENTITY}/identity/v3/`,
        username: "svc",
        password: PASSWORD,
        accountId: "123456",
        projectId: PROJECT,
        region: "ru-3",
        dispatcher: agent,
        clock,
        retryBackoff: { baseMs: 1, capMs: 10 },
      });
      return { agent, auths, client };
    }
    const fixedClock = (t: { now: number }): Clock => ({ now: () => t.now, sleep: async (ms) => void (t.now += ms) });

    it("authenticates once, uses the catalog endpoint, and sends the Keystone token", async () => {
      const time = { now: Date.parse("2026-11-27T00:00:00Z") };
      const { agent, auths, client } = setup(fixedClock(time), "2026-11-27T01:00:00Z");
      const seen: SeenRequest[] = [];
      agent
        .get(API)
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" })
        .reply(recordingReply(seen, 200, planBody({ id: "x" })))
        .times(2);
      const tokens = (): (string | undefined)[] => seen.map((r) => r.headers["x-auth-token"]);
      await client.getPlan("x");
      await client.getPlan("x");
      assert.deepEqual(tokens(), ["ks-token-1", "ks-token-1"]);
      assert.equal(auths.length, 1);
      assert.deepEqual((auths[0] as { auth: { scope: unknown } }).auth.scope, { project: { id: PROJECT } });
      assert.equal(client.authentications, 1);
      assert.equal(await client.projectId(), PROJECT);
    });

    it("renews the token before expires_at", async () => {
      const time = { now: Date.parse("2026-11-27T00:00:00Z") };
      const { agent, client } = setup(fixedClock(time), "2026-11-27T01:00:00Z");
      const seen: SeenRequest[] = [];
      agent
        .get(API)
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" })
        .reply(recordingReply(seen, 200, planBody({ id: "x" })))
        .times(2);
      const tokens = (): (string | undefined)[] => seen.map((r) => r.headers["x-auth-token"]);
      await client.getPlan("x");
      time.now = Date.parse("2026-11-27T00:56:00Z"); // inside the 5-minute renewal margin, before expiry
      await client.getPlan("x");
      assert.deepEqual(tokens(), ["ks-token-1", "ks-token-2"]);
    });

    it("keeps a still-valid token when an early renewal fails", async () => {
      const time = { now: Date.parse("2026-11-27T00:00:00Z") };
      const agent = mockAgent();
      const lines: string[] = [];
      const identity = agent.get(IDENTITY);
      identity
        .intercept({ path: "/identity/v3/auth/tokens", method: "POST" })
        .reply(201, tokenBody("2026-11-27T01:00:00Z"), { headers: { "x-subject-token": "ks-token-1" } });
      identity.intercept({ path: "/identity/v3/auth/tokens", method: "POST" }).reply(503, "down").persist();
      const seen: SeenRequest[] = [];
      agent
        .get(API)
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" })
        .reply(recordingReply(seen, 200, planBody({ id: "x" })))
        .times(2);
      const client = new ScheduledBackupClient({
        pathLayout: "project",
        authUrl: `${IDENTITY}/identity/v3`,
        username: "svc",
        password: PASSWORD,
        accountId: "1",
        projectId: PROJECT,
        region: "ru-3",
        dispatcher: agent,
        clock: fixedClock(time),
        maxRetries: 0,
        log: (l) => lines.push(l),
      });
      await client.getPlan("x");
      time.now = Date.parse("2026-11-27T00:58:00Z"); // in the renewal margin, not expired
      await client.getPlan("x");
      assert.deepEqual(
        seen.map((r) => r.headers["x-auth-token"]),
        ["ks-token-1", "ks-token-1"],
      );
      assert.ok(lines.some((l) => /renewal failed, keeping the current token/.test(l)));
      time.now = Date.parse("2026-11-27T01:00:01Z"); // expired: the failure is now the caller's
      const expired = await rejection(client.getPlan("x"));
      assert.ok(expired instanceof ServerError && expired.operation === "auth", String(expired));
    });

    it("renews once on a 401 and repeats the call once", async () => {
      const time = { now: Date.parse("2026-11-27T00:00:00Z") };
      const { agent, client } = setup(fixedClock(time), "2026-11-27T01:00:00Z");
      const pool = agent.get(API);
      pool
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" })
        .reply(401, { code: "unauthorized", title: "t", message: "token expired" });
      pool.intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" }).reply(200, planBody({ id: "x" }));
      assert.equal((await client.getPlan("x")).id, "x");
      assert.equal(client.authentications, 2);
      // A second 401 right after a renewal is final.
      pool
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/y`, method: "GET" })
        .reply(401, { code: "unauthorized", title: "t", message: "no" })
        .times(2);
      const err = await rejection(client.getPlan("y"));
      assert.ok(err instanceof UnauthorizedError);
      assert.equal(client.authentications, 3);
    });

    it("keeps the Keystone token out of errors even when the API echoes it", async () => {
      const time = { now: Date.parse("2026-11-27T00:00:00Z") };
      const { agent, client } = setup(fixedClock(time), "2026-11-27T01:00:00Z");
      agent
        .get(API)
        .intercept({ path: `/data-protect/v2/${PROJECT}/plans/x`, method: "GET" })
        .reply(403, { code: "forbidden", title: "Forbidden", message: "token ks-token-1 lacks the role" });
      const err = await rejection(client.getPlan("x"));
      assert.ok(err instanceof Error);
      assert.ok(!`${err.message}\n${err.stack}`.includes("ks-token-1"));
      assert.match(err.message, /token \[redacted\] lacks the role/);
    });

    it("says which user and domain Keystone refused, and never the password", async () => {
      const agent = mockAgent();
      const lines: string[] = [];
      agent
        .get(IDENTITY)
        .intercept({ path: "/identity/v3/auth/tokens", method: "POST" })
        .reply(401, { error: { code: 401, title: "Unauthorized", message: `bad password ${PASSWORD}` } });
      const client = new ScheduledBackupClient({
        pathLayout: "project",
        authUrl: `${IDENTITY}/identity/v3`,
        username: "svc",
        password: PASSWORD,
        accountId: "123456",
        projectId: PROJECT,
        endpoint: `${API}/data-protect/v2`,
        dispatcher: agent,
        log: (l) => lines.push(l),
      });
      const err = await rejection(client.getPlan("x"));
      assert.ok(err instanceof UnauthorizedError);
      assert.match(err.message, /refused the credentials of user `svc` in domain `123456`/);
      const everything = [err.message, err.stack ?? "", JSON.stringify(err), ...lines].join("\n");
      assert.ok(!everything.includes(PASSWORD));
    });

    it("explains a missing region in the catalog when the first call needs the endpoint", async () => {
      const agent = mockAgent();
      agent
        .get(IDENTITY)
        .intercept({ path: "/identity/v3/auth/tokens", method: "POST" })
        .reply(201, tokenBody("2099-01-01T00:00:00Z"), { headers: { "x-subject-token": "t" } });
      const client = new ScheduledBackupClient({
        pathLayout: "project",
        authUrl: `${IDENTITY}/identity/v3`,
        username: "svc",
        password: PASSWORD,
        accountId: "1",
        projectId: PROJECT,
        region: "ru-9",
        dispatcher: agent,
      });
      const err = await rejection(client.listPlans());
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /no public `data-protectv2` endpoint in region `ru-9`; regions offered: ru-1, ru-3/);
    });

    it("takes the project from the token when projectId is not configured", async () => {
      const agent = mockAgent();
      agent
        .get(IDENTITY)
        .intercept({
          path: "/identity/v3/auth/tokens",
          method: "POST",
          body: (b) => (JSON.parse(b) as { auth: { scope?: unknown } }).auth.scope === undefined,
        })
        .reply(201, tokenBody("2099-01-01T00:00:00Z"), { headers: { "x-subject-token": "t" } });
      const client = new ScheduledBackupClient({
        pathLayout: "project",
        authUrl: `${IDENTITY}/identity/v3`,
        username: "svc",
        password: PASSWORD,
        accountId: "1",
        region: "ru-3",
        dispatcher: agent,
      });
      assert.equal(await client.projectId(), PROJECT);
    });
  });
});
