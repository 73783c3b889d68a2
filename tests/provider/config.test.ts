import assert from "node:assert/strict";
import { ConfigError } from "../../provider/api";
import {
  CONFIG_KEYS,
  howToSet,
  insecureRequested,
  resolveClientConfig,
  unknownConfigKeyWarnings,
} from "../../provider/config";
import { envNameOf } from "../../provider/api/settings";

const none = (): undefined => undefined;
const stack =
  (values: Record<string, string>) =>
  (key: string): string | undefined =>
    values[key];

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("provider/config", () => {
  it("lists the fourteen settings, each with env names; SCHEDULED_BACKUP_* first", () => {
    assert.deepEqual(
      CONFIG_KEYS.map((k) => k.key),
      [
        "endpoint",
        "token",
        "authUrl",
        "username",
        "password",
        "accountId",
        "projectId",
        "region",
        "caCertFile",
        "insecure",
        "maxRetries",
        "timeoutSeconds",
        "pathLayout",
        "createSettleSeconds",
      ],
    );
    for (const k of CONFIG_KEYS) {
      assert.equal(k.env[0], envNameOf(k.key), k.key);
      assert.ok(k.description.length > 20, k.key);
    }
    assert.deepEqual(
      CONFIG_KEYS.filter((k) => k.secret).map((k) => k.key),
      ["token", "password"],
    );
    const os = Object.fromEntries(CONFIG_KEYS.map((k) => [k.key, k.env.slice(1)]));
    assert.deepEqual(os["authUrl"], ["OS_AUTH_URL"]);
    assert.deepEqual(os["accountId"], ["OS_USER_DOMAIN_NAME"]);
    assert.deepEqual(os["token"], ["OS_AUTH_TOKEN"]);
    assert.deepEqual(os["caCertFile"], ["OS_CACERT"]);
    assert.deepEqual(os["insecure"], ["OS_INSECURE"]);
    assert.equal(envNameOf("timeoutSeconds"), "SCHEDULED_BACKUP_TIMEOUT_SECONDS");
  });

  it("takes overrides over stack config over SCHEDULED_BACKUP_* over OS_*", () => {
    const env = {
      SCHEDULED_BACKUP_ENDPOINT: "http://env/v2",
      OS_PROJECT_ID: "p-os",
      SCHEDULED_BACKUP_PROJECT_ID: "p-sb",
      OS_AUTH_TOKEN: "t-os",
    };
    assert.deepEqual(resolveClientConfig(none, env), { token: "t-os", endpoint: "http://env/v2", projectId: "p-sb" });
    assert.deepEqual(resolveClientConfig(stack({ endpoint: "http://stack/v2", projectId: "p-stack" }), env), {
      token: "t-os",
      endpoint: "http://stack/v2",
      projectId: "p-stack",
    });
    assert.deepEqual(
      resolveClientConfig(stack({ endpoint: "http://stack/v2" }), env, {
        endpoint: "http://flag/v2",
        projectId: undefined,
      }),
      {
        token: "t-os",
        endpoint: "http://flag/v2",
        projectId: "p-sb",
      },
    );
  });

  it("treats empty values as unset", () => {
    const cfg = resolveClientConfig(
      stack({ endpoint: "" }),
      { SCHEDULED_BACKUP_ENDPOINT: "  ", OS_AUTH_TOKEN: "t" },
      { endpoint: "http://x/v2", projectId: "p" },
    );
    assert.equal(cfg.endpoint, "http://x/v2");
  });

  it("reads Keystone settings from OS_* (an openrc file)", () => {
    const env = {
      OS_AUTH_URL: "https://cloud.api.selcloud.ru/identity/v3",
      OS_USERNAME: "svc",
      OS_PASSWORD: "pw",
      OS_USER_DOMAIN_NAME: "123456",
      OS_PROJECT_ID: "p",
      OS_REGION_NAME: "ru-3",
    };
    assert.deepEqual(resolveClientConfig(none, env), {
      authUrl: "https://cloud.api.selcloud.ru/identity/v3",
      username: "svc",
      password: "pw",
      accountId: "123456",
      projectId: "p",
      region: "ru-3",
    });
  });

  it("takes credentials from the most specific level: a stack password beats a token in the shell", () => {
    const env = {
      OS_AUTH_TOKEN: "shell-token",
      OS_AUTH_URL: "http://id/v3",
      OS_USER_DOMAIN_NAME: "1",
      OS_REGION_NAME: "ru-3",
    };
    const cfg = resolveClientConfig(stack({ username: "svc", password: "pw" }), env);
    assert.equal(cfg.token, undefined);
    assert.equal(cfg.password, "pw");
    const same = resolveClientConfig(none, { ...env, OS_USERNAME: "svc", OS_PASSWORD: "pw" });
    assert.equal(same.token, "shell-token");
    assert.equal(same.password, undefined);
  });

  it("parses booleans and integers, naming the key and source when they are wrong", () => {
    const base = { OS_AUTH_TOKEN: "t", SCHEDULED_BACKUP_ENDPOINT: "http://x/v2", OS_PROJECT_ID: "p" };
    const cfg = resolveClientConfig(stack({ insecure: "TRUE", maxRetries: "2", timeoutSeconds: "30" }), {
      ...base,
      OS_INSECURE: "0",
    });
    assert.deepEqual([cfg.insecure, cfg.maxRetries, cfg.timeoutSeconds], [true, 2, 30]);
    assert.equal(resolveClientConfig(none, { ...base, OS_INSECURE: "no" }).insecure, false);
    const bool = configError(() => resolveClientConfig(stack({ insecure: "maybe" }), base));
    assert.match(
      bool.message,
      /insecure must be true or false \(from stack config scheduledbackup:insecure\), got "maybe"/,
    );
    const int = configError(() => resolveClientConfig(none, { ...base, SCHEDULED_BACKUP_MAX_RETRIES: "3.5" }));
    assert.match(
      int.message,
      /maxRetries must be an integer from 0 to 20 \(from env SCHEDULED_BACKUP_MAX_RETRIES\), got "3.5"/,
    );
    assert.deepEqual(int.keys, ["maxRetries"]);
    configError(() => resolveClientConfig(stack({ timeoutSeconds: "0" }), base));
    configError(() => resolveClientConfig(stack({ pathLayout: "flat" }), base));
    assert.equal(resolveClientConfig(none, base, { timeoutSeconds: 0.25 }).timeoutSeconds, 0.25);
  });

  it("explains missing credentials with both ways to set each", () => {
    const err = configError(() => resolveClientConfig(none, {}));
    assert.match(err.message, /No credentials/);
    assert.match(
      err.message,
      /token: `pulumi config set --secret scheduledbackup:token <value>` or env SCHEDULED_BACKUP_TOKEN \/ OS_AUTH_TOKEN/,
    );
    assert.match(
      err.message,
      /authUrl: `pulumi config set scheduledbackup:authUrl <value>` or env SCHEDULED_BACKUP_AUTH_URL \/ OS_AUTH_URL/,
    );
    assert.deepEqual(err.keys, ["token", "authUrl", "username", "password", "accountId"]);
  });

  it("lists only what incomplete Keystone settings lack, never echoing the password", () => {
    const err = configError(() =>
      resolveClientConfig(stack({ password: "hunter2-SECRET" }), { OS_AUTH_URL: "http://id/v3" }),
    );
    assert.match(err.message, /Keystone password auth is incomplete: missing username, accountId/);
    assert.deepEqual(err.keys, ["username", "accountId"]);
    assert.ok(!err.message.includes("hunter2-SECRET"));
    assert.ok(!(err.stack ?? "").includes("hunter2-SECRET"));
  });

  it("requires an endpoint or authUrl + region", () => {
    const err = configError(() => resolveClientConfig(none, { OS_AUTH_TOKEN: "t", OS_PROJECT_ID: "p" }));
    assert.match(err.message, /No API endpoint/);
    assert.deepEqual(err.keys, ["endpoint", "authUrl", "region"]);
    const cfg = resolveClientConfig(none, {
      OS_AUTH_TOKEN: "t",
      OS_PROJECT_ID: "p",
      OS_AUTH_URL: "http://id/v3",
      OS_REGION_NAME: "ru-3",
    });
    assert.equal(cfg.endpoint, undefined);
  });

  it("requires projectId on the pinned project layout unless Keystone can supply it; auto and token do without", () => {
    assert.doesNotThrow(() =>
      resolveClientConfig(none, { OS_AUTH_TOKEN: "t", SCHEDULED_BACKUP_ENDPOINT: "http://x/v2" }),
    );
    const err = configError(() =>
      resolveClientConfig(stack({ pathLayout: "project" }), {
        OS_AUTH_TOKEN: "t",
        SCHEDULED_BACKUP_ENDPOINT: "http://x/v2",
      }),
    );
    assert.match(err.message, /No project/);
    assert.match(err.message, /SCHEDULED_BACKUP_PROJECT_ID \/ OS_PROJECT_ID/);
    assert.doesNotThrow(() =>
      resolveClientConfig(stack({ pathLayout: "token" }), {
        OS_AUTH_TOKEN: "t",
        SCHEDULED_BACKUP_ENDPOINT: "http://x/v2",
      }),
    );
    assert.doesNotThrow(() =>
      resolveClientConfig(none, {
        OS_AUTH_URL: "http://id/v3",
        OS_USERNAME: "u",
        OS_PASSWORD: "p",
        OS_USER_DOMAIN_NAME: "1",
        OS_REGION_NAME: "ru-3",
      }),
    );
  });

  it("never echoes a secret value that fails to parse", () => {
    const err = configError(() =>
      resolveClientConfig(
        none,
        { SCHEDULED_BACKUP_ENDPOINT: "http://x/v2", OS_PROJECT_ID: "p" },
        { token: 42 as unknown as string },
      ),
    );
    assert.match(err.message, /token must be a string \(from override\), got \(secret value\)/);
  });

  it("passes non-setting overrides through (dispatcher, log, user agent)", () => {
    const log = (): void => undefined;
    const cfg = resolveClientConfig(
      none,
      { OS_AUTH_TOKEN: "t", OS_PROJECT_ID: "p", SCHEDULED_BACKUP_ENDPOINT: "http://x/v2" },
      { log, userAgent: "cli/1" },
    );
    assert.equal(cfg.log, log);
    assert.equal(cfg.userAgent, "cli/1");
  });

  it("says how to set a key", () => {
    assert.equal(
      howToSet("region"),
      "`pulumi config set scheduledbackup:region <value>` or env SCHEDULED_BACKUP_REGION / OS_REGION_NAME",
    );
  });

  it("names each misspelled scheduledbackup: key and the closest known one", () => {
    const warnings = unknownConfigKeyWarnings(["endpiont", "projectID", "token", "colour"]);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!, /scheduledbackup:endpiont is not a setting.*did you mean scheduledbackup:endpoint\?/);
    assert.match(warnings[1]!, /scheduledbackup:projectID .*did you mean scheduledbackup:projectId\?/);
    assert.match(warnings[2]!, /scheduledbackup:colour .*\(known: endpoint, token/);
  });

  it("tells when insecure is requested, from the stack or the environment", () => {
    assert.equal(insecureRequested("true", {}), true);
    assert.equal(insecureRequested(undefined, { OS_INSECURE: "1" }), true);
    assert.equal(insecureRequested("false", { OS_INSECURE: "1" }), false);
    assert.equal(insecureRequested(undefined, {}), false);
  });
});
