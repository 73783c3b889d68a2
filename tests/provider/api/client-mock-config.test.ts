// Client secrets and configuration against undici's MockAgent: redaction of credentials in errors and logs,
// and how bad configuration is refused.
import assert from "node:assert/strict";
import { ConfigError, ScheduledBackupClient, UnauthorizedError } from "../../../provider/api";
import { mockAgent, mockClient, ORIGIN, rejection, TOKEN, PLAN_ID, planPath } from "./helpers";

describe("api/client with MockAgent", () => {
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
