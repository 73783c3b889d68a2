// Where the client's settings come from: resource inputs / CLI flags (overrides), then the stack's
// `scheduledbackup:` config, then the environment (`SCHEDULED_BACKUP_*`, then the OpenStack `OS_*` names).
// No Pulumi import: the provider passes a lookup over its config, the CLI passes none.
import type { ClientConfig } from "./api/client";
import { ConfigError } from "./api/errors";
import { PATH_LAYOUT_SETTINGS, type PathLayoutSetting } from "./api/routes";

import { CONFIG_NAMESPACE } from "./tokens";

export { CONFIG_NAMESPACE };

export interface ConfigKey {
  key: string;
  env: string[];
  secret: boolean;
  description: string;
  kind: "string" | "boolean" | "integer";
}

/** The settings, in the order the README's table lists them. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    key: "endpoint",
    env: ["SCHEDULED_BACKUP_ENDPOINT"],
    secret: false,
    kind: "string",
    description:
      "Base URL of the API including `/data-protect/v2`, e.g. `https://ru-3.cloud.api.selcloud.ru/data-protect/v2`. " +
      "Overrides the Keystone catalog; required unless `authUrl` and `region` are set.",
  },
  {
    key: "token",
    env: ["SCHEDULED_BACKUP_TOKEN", "OS_AUTH_TOKEN"],
    secret: true,
    kind: "string",
    description:
      "A project-scoped Keystone token sent as `X-Auth-Token`. Alternative to password auth; when both are set at " +
      "the same level the token is used.",
  },
  {
    key: "authUrl",
    env: ["SCHEDULED_BACKUP_AUTH_URL", "OS_AUTH_URL"],
    secret: false,
    kind: "string",
    description:
      "Keystone v3 URL, e.g. `https://cloud.api.selcloud.ru/identity/v3`, for password auth and the service catalog.",
  },
  {
    key: "username",
    env: ["SCHEDULED_BACKUP_USERNAME", "OS_USERNAME"],
    secret: false,
    kind: "string",
    description: "Service user name for Keystone password auth.",
  },
  {
    key: "password",
    env: ["SCHEDULED_BACKUP_PASSWORD", "OS_PASSWORD"],
    secret: true,
    kind: "string",
    description: "Service user password for Keystone password auth.",
  },
  {
    key: "accountId",
    env: ["SCHEDULED_BACKUP_ACCOUNT_ID", "OS_USER_DOMAIN_NAME"],
    secret: false,
    kind: "string",
    description: "Keystone user domain name: the account id of the service user.",
  },
  {
    key: "projectId",
    env: ["SCHEDULED_BACKUP_PROJECT_ID", "OS_PROJECT_ID"],
    secret: false,
    kind: "string",
    description:
      "Project UUID: the scope of password auth and the project segment of API paths. Optional when the token names its project.",
  },
  {
    key: "region",
    env: ["SCHEDULED_BACKUP_REGION", "OS_REGION_NAME"],
    secret: false,
    kind: "string",
    description: "Region (pool) whose `data-protectv2` endpoint is taken from the Keystone catalog, e.g. `ru-3`.",
  },
  {
    key: "caCertFile",
    env: ["SCHEDULED_BACKUP_CA_CERT_FILE", "OS_CACERT"],
    secret: false,
    kind: "string",
    description: "PEM file of the CA that signs the API's and Keystone's certificates (private clouds).",
  },
  {
    key: "insecure",
    env: ["SCHEDULED_BACKUP_INSECURE", "OS_INSECURE"],
    secret: false,
    kind: "boolean",
    description: "`true` skips TLS certificate verification. Only for throw-away test setups.",
  },
  {
    key: "maxRetries",
    env: ["SCHEDULED_BACKUP_MAX_RETRIES"],
    secret: false,
    kind: "integer",
    description:
      "Retries of a failed call (network errors, 429, 5xx; creates only when provably not applied). Default 4.",
  },
  {
    key: "timeoutSeconds",
    env: ["SCHEDULED_BACKUP_TIMEOUT_SECONDS"],
    secret: false,
    kind: "integer",
    description: "Deadline of one API call in seconds, retries included. Default 60.",
  },
  {
    key: "pathLayout",
    env: ["SCHEDULED_BACKUP_PATH_LAYOUT"],
    secret: false,
    kind: "string",
    description:
      "`auto` (default): detected once per endpoint with a read (see Service dialects below). `project` pins paths " +
      "`/{project_id}/plans/...` with `max_backups`; `token` pins paths `/plans/...` (the project implied by the token) " +
      "with `full_backups_amount` (the vendor's Go SDK and Terraform layout).",
  },
  {
    key: "createSettleSeconds",
    env: ["SCHEDULED_BACKUP_CREATE_SETTLE_SECONDS"],
    secret: false,
    kind: "integer",
    description:
      "After a create whose outcome is unknown (5xx, 429, timeout, reset), how long the provider looks for the plan by " +
      "name before it concludes nothing was saved and sends the create again; within `timeouts.create`. Default 60.",
  },
];

type SettingName =
  | "endpoint"
  | "token"
  | "authUrl"
  | "username"
  | "password"
  | "accountId"
  | "projectId"
  | "region"
  | "caCertFile"
  | "insecure"
  | "maxRetries"
  | "timeoutSeconds"
  | "pathLayout"
  | "createSettleSeconds";

const KEYS = new Map(CONFIG_KEYS.map((k) => [k.key, k]));

function keyOf(name: SettingName): ConfigKey {
  return KEYS.get(name)!;
}

/** `SCHEDULED_BACKUP_AUTH_URL` for `authUrl`. */
export function envNameOf(key: string): string {
  return `SCHEDULED_BACKUP_${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** How to set `key`, both ways: "`pulumi config set scheduledbackup:authUrl <value>` or env SCHEDULED_BACKUP_AUTH_URL / OS_AUTH_URL". */
export function howToSet(key: string): string {
  const k = KEYS.get(key);
  const secret = k?.secret === true ? "--secret " : "";
  const env = k?.env ?? [envNameOf(key)];
  return `\`pulumi config set ${secret}${CONFIG_NAMESPACE}:${key} <value>\` or env ${env.join(" / ")}`;
}

/** Precedence levels, higher wins. */
const enum Level {
  Env = 1,
  Stack = 2,
  Override = 3,
}

interface Found {
  raw: string | number | boolean;
  level: Level;
  /** "env OS_AUTH_URL", "stack config scheduledbackup:authUrl", "override". */
  source: string;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");
}

function find(
  name: SettingName,
  lookup: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  overrides: Partial<ClientConfig>,
): Found | undefined {
  const override = (overrides as Record<string, unknown>)[name];
  if (present(override))
    return { raw: override as string | number | boolean, level: Level.Override, source: "override" };
  const stack = lookup(name);
  if (present(stack)) return { raw: stack!, level: Level.Stack, source: `stack config ${CONFIG_NAMESPACE}:${name}` };
  for (const variable of keyOf(name).env) {
    const value = env[variable];
    if (present(value)) return { raw: value!, level: Level.Env, source: `env ${variable}` };
  }
  return undefined;
}

function shown(name: SettingName, raw: unknown): string {
  return keyOf(name).secret ? "(secret value)" : JSON.stringify(raw);
}

function asString(name: SettingName, f: Found): string {
  if (typeof f.raw !== "string") {
    throw new ConfigError(`${name} must be a string (from ${f.source}), got ${shown(name, f.raw)}`, [name]);
  }
  return f.raw.trim();
}

function asBoolean(name: SettingName, f: Found): boolean {
  if (typeof f.raw === "boolean") return f.raw;
  const text = String(f.raw).trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(text)) return true;
  if (["false", "0", "no", "off"].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false (from ${f.source}), got ${shown(name, f.raw)}`, [name]);
}

function asInteger(name: SettingName, f: Found, min: number, max: number): number {
  const value = typeof f.raw === "number" ? f.raw : /^\s*-?\d+\s*$/.test(String(f.raw)) ? Number(f.raw) : Number.NaN;
  // Overrides are typed numbers and may be fractional (tests use sub-second deadlines); text must be an integer.
  const ok = typeof f.raw === "number" ? Number.isFinite(value) : Number.isInteger(value);
  if (!ok || value < min || value > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max} (from ${f.source}), got ${shown(name, f.raw)}`,
      [name],
    );
  }
  return value;
}

function missing(what: string, keys: SettingName[]): ConfigError {
  const ways = keys.map((k) => `  ${k}: ${howToSet(k)}`).join("\n");
  return new ConfigError(`${what}\n${ways}`, keys);
}

/** The provider's settle window after an ambiguous create (not a client setting). */
export function resolveCreateSettleSeconds(
  lookup: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const found = find("createSettleSeconds", lookup, env, {});
  return found === undefined ? undefined : asInteger("createSettleSeconds", found, 0, 3600);
}

/**
 * Resolves the client settings. `lookup(key)` answers the stack's `scheduledbackup:<key>` value (or
 * undefined); `env` is read at call time. Throws ConfigError naming each missing setting and both ways to
 * set it; secret values are never repeated in a message.
 */
export function resolveClientConfig(
  lookup: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ClientConfig> = {},
): ClientConfig {
  const get = (name: SettingName): Found | undefined => find(name, lookup, env, overrides);
  const str = (name: SettingName): string | undefined => {
    const f = get(name);
    return f === undefined ? undefined : asString(name, f);
  };

  const out: ClientConfig = {};
  // Non-setting overrides (dispatcher, log, userAgent, clock...) pass through untouched.
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined && !KEYS.has(k)) (out as Record<string, unknown>)[k] = v;
  }

  const tokenFound = get("token");
  const passwordFound = get("password");
  // Credentials come from the most specific level that has any: a token in the shell's environment must
  // not shadow a password the stack sets, nor the reverse. At the same level the token wins.
  const useToken = tokenFound !== undefined && (passwordFound === undefined || tokenFound.level >= passwordFound.level);
  const authUrl = str("authUrl");
  const endpoint = str("endpoint");
  const region = str("region");
  const projectId = str("projectId");

  const layoutText = str("pathLayout");
  if (layoutText !== undefined && !(PATH_LAYOUT_SETTINGS as readonly string[]).includes(layoutText)) {
    throw new ConfigError(
      `pathLayout must be one of ${PATH_LAYOUT_SETTINGS.join(", ")} (from ${get("pathLayout")!.source}), got ${JSON.stringify(layoutText)}`,
      ["pathLayout"],
    );
  }
  const pathLayout = layoutText as PathLayoutSetting | undefined;

  if (useToken) {
    out.token = asString("token", tokenFound);
  } else {
    const keystone: SettingName[] = ["authUrl", "username", "password", "accountId"];
    const absent = keystone.filter((k) => get(k) === undefined);
    if (absent.length === keystone.length) {
      throw missing(
        "No credentials for the Scheduled Backup API: set `token`, or Keystone password auth (authUrl, username, password, accountId).",
        ["token", ...keystone],
      );
    }
    if (absent.length > 0) {
      throw missing(`Keystone password auth is incomplete: missing ${absent.join(", ")}.`, absent);
    }
    out.username = str("username")!;
    out.password = asString("password", passwordFound!);
    out.accountId = str("accountId")!;
  }
  if (authUrl !== undefined) out.authUrl = authUrl;

  if (endpoint !== undefined) {
    out.endpoint = endpoint;
  } else if (authUrl === undefined || region === undefined) {
    const keys: SettingName[] = [
      "endpoint",
      ...(authUrl === undefined ? (["authUrl"] as const) : []),
      ...(region === undefined ? (["region"] as const) : []),
    ];
    throw missing(
      "No API endpoint: set `endpoint`, or `authUrl` and `region` to find it in the Keystone catalog.",
      keys,
    );
  }
  if (region !== undefined) out.region = region;

  if (projectId !== undefined) out.projectId = projectId;
  else if (pathLayout === "project" && authUrl === undefined) {
    throw missing(
      'No project: the `project` path layout needs `projectId` (or Keystone settings whose token names it); or set pathLayout to "auto" or "token".',
      ["projectId"],
    );
  }
  if (pathLayout !== undefined) out.pathLayout = pathLayout;

  const ca = str("caCertFile");
  if (ca !== undefined) out.caCertFile = ca;
  const insecure = get("insecure");
  if (insecure !== undefined) out.insecure = asBoolean("insecure", insecure);
  const retries = get("maxRetries");
  if (retries !== undefined) out.maxRetries = asInteger("maxRetries", retries, 0, 20);
  const timeout = get("timeoutSeconds");
  if (timeout !== undefined) {
    out.timeoutSeconds = asInteger("timeoutSeconds", timeout, 0, 3600);
    if (out.timeoutSeconds <= 0) {
      throw new ConfigError(`timeoutSeconds must be positive (from ${timeout.source}), got ${timeout.raw}`, [
        "timeoutSeconds",
      ]);
    }
  }
  return out;
}

/** What `insecure` costs, said once per process by the program and by the CLI. */
export const INSECURE_WARNING =
  "scheduledbackup: TLS certificate verification is disabled (insecure=true): anyone on the network path can read " +
  "the token and change what is sent. Use caCertFile for a private CA, and never set insecure against production";

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known key closest to `key` (case-insensitive edit distance), when it is close enough to be a typo. */
export function closestConfigKey(key: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const known of CONFIG_KEYS) {
    const distance = editDistance(key.toLowerCase(), known.key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key: known.key, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

/** One warning per `scheduledbackup:` key that is not a setting (it would be ignored silently). */
export function unknownConfigKeyWarnings(bareKeys: readonly string[]): string[] {
  return bareKeys
    .filter((key) => !KEYS.has(key))
    .map((key) => {
      const closest = closestConfigKey(key);
      return (
        `${CONFIG_NAMESPACE}:${key} is not a setting of this package and is ignored` +
        (closest === undefined
          ? ` (known: ${CONFIG_KEYS.map((k) => k.key).join(", ")})`
          : `: did you mean ${CONFIG_NAMESPACE}:${closest}?`)
      );
    });
}

/** True when `insecure` is on in the stack config (raw value) or the environment. */
export function insecureRequested(stackValue: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const found = find("insecure", (key) => (key === "insecure" ? stackValue : undefined), env, {});
  if (found === undefined) return false;
  try {
    return asBoolean("insecure", found);
  } catch {
    return false;
  }
}
