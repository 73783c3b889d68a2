// The package's settings, each declared once: name, environment variables, type, bounds, default, secrecy and
// its one-line doc, and the one resolver that checks them. The client's constructor reads a ClientConfig
// through it; the provider and the CLI (provider/config.ts) read stack config, flags and the environment
// through the same resolver, so a bad value gets the same error, naming the setting, where the value came
// from and how to fix it, whichever way it was given. No Pulumi here, and nothing heavy (no undici, no zod):
// importing a resource must not load the HTTP client.
import { ConfigError } from "./errors";
import { parseBaseUrl, PATH_LAYOUT_SETTINGS } from "./routes";

interface Spec {
  kind: "string" | "boolean" | "integer";
  /** Environment variables after `SCHEDULED_BACKUP_<NAME>` (envNameOf), in the order they are read. */
  os?: readonly string[];
  /** Never repeated in a message; set with `pulumi config set --secret`. */
  secret?: true;
  /** The only values a string setting may take. */
  values?: readonly string[];
  /** Throws a TypeError that says what is wrong with a string value (e.g. the endpoint's URL). */
  check?: (value: string) => unknown;
  /** Inclusive bounds of an integer setting; `above` makes the lower one exclusive. */
  min?: number;
  max?: number;
  above?: boolean;
  /** A typed number (not text) may have a fraction: tests use sub-second deadlines. */
  fraction?: boolean;
  default?: number | string;
  /** Not a client setting: only the provider reads it. */
  providerOnly?: true;
  description: string;
}

/** The settings, in the order the README's table lists them. */
export const SETTINGS = {
  endpoint: {
    kind: "string",
    check: parseBaseUrl,
    description:
      "Base URL of the API including `/data-protect/v2`, e.g. `https://ru-3.cloud.api.selcloud.ru/data-protect/v2`. " +
      "Overrides the Keystone catalog; required unless `authUrl` and `region` are set.",
  },
  token: {
    kind: "string",
    os: ["OS_AUTH_TOKEN"],
    secret: true,
    description:
      "A project-scoped Keystone token sent as `X-Auth-Token`. Alternative to password auth; when both are set at " +
      "the same level the token is used.",
  },
  authUrl: {
    kind: "string",
    os: ["OS_AUTH_URL"],
    description:
      "Keystone v3 URL, e.g. `https://cloud.api.selcloud.ru/identity/v3`, for password auth and the service catalog.",
  },
  username: { kind: "string", os: ["OS_USERNAME"], description: "Service user name for Keystone password auth." },
  password: {
    kind: "string",
    os: ["OS_PASSWORD"],
    secret: true,
    description: "Service user password for Keystone password auth.",
  },
  accountId: {
    kind: "string",
    os: ["OS_USER_DOMAIN_NAME"],
    description: "Keystone user domain name: the account id of the service user.",
  },
  projectId: {
    kind: "string",
    os: ["OS_PROJECT_ID"],
    description:
      "Project UUID: the scope of password auth and the project segment of API paths. " +
      "Optional when the token names its project.",
  },
  region: {
    kind: "string",
    os: ["OS_REGION_NAME"],
    description: "Region (pool) whose `data-protectv2` endpoint is taken from the Keystone catalog, e.g. `ru-3`.",
  },
  caCertFile: {
    kind: "string",
    os: ["OS_CACERT"],
    description: "PEM file of the CA that signs the API's and Keystone's certificates (private clouds).",
  },
  insecure: {
    kind: "boolean",
    os: ["OS_INSECURE"],
    description: "`true` skips TLS certificate verification. Only for throw-away test setups.",
  },
  maxRetries: {
    kind: "integer",
    min: 0,
    max: 20,
    default: 4,
    description: "Retries of a failed call (network errors, 429, 5xx; creates only when provably not applied).",
  },
  timeoutSeconds: {
    kind: "integer",
    min: 0,
    above: true,
    max: 3600,
    fraction: true,
    default: 60,
    description: "Deadline of one API call in seconds, retries included.",
  },
  pathLayout: {
    kind: "string",
    values: PATH_LAYOUT_SETTINGS,
    default: "auto",
    description:
      "`auto` (default): detected once per endpoint with a read (see Service dialects below). " +
      "`project` pins paths `/{project_id}/plans/...` with `max_backups`; `token` pins paths `/plans/...` " +
      "(the project implied by the token) with `full_backups_amount` (the vendor's Go SDK and Terraform layout).",
  },
  createSettleSeconds: {
    kind: "integer",
    min: 0,
    max: 3600,
    default: 60,
    providerOnly: true,
    description:
      "After a create whose outcome is unknown (5xx, 429, timeout, reset), how long the provider looks for the plan " +
      "by name before it concludes nothing was saved and sends the create again; within `timeouts.create`.",
  },
} as const satisfies Record<string, Spec>;

export type SettingName = keyof typeof SETTINGS;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

type ValueOf<S> = S extends { values: readonly (infer V)[] }
  ? V
  : S extends { kind: "boolean" }
    ? boolean
    : S extends { kind: "integer" }
      ? number
      : string;

/** Every setting's value, typed; absent when not set. */
export type SettingValues = { -readonly [K in SettingName]?: ValueOf<(typeof SETTINGS)[K]> };

/** The settings the client reads (all but the provider's own). */
export type ClientSettings = Omit<SettingValues, "createSettleSeconds">;

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

export function specOf(name: SettingName): Spec {
  return SETTINGS[name];
}

/** `SCHEDULED_BACKUP_AUTH_URL` for `authUrl`. */
export function envNameOf(name: string): string {
  return `SCHEDULED_BACKUP_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** The environment variables of a setting, in the order they are read: SCHEDULED_BACKUP_* first, then OS_*. */
export function envNamesOf(name: SettingName): string[] {
  return [envNameOf(name), ...(specOf(name).os ?? [])];
}

/** The setting's doc with its default, as the README's table shows it. */
export function describeSetting(name: SettingName): string {
  const spec = specOf(name);
  // pathLayout's doc names its default in its first words.
  return spec.kind === "integer" && spec.default !== undefined
    ? `${spec.description} Default ${spec.default}.`
    : spec.description;
}

/** A default of the table, typed. */
export function defaultOf<K extends "maxRetries" | "timeoutSeconds" | "createSettleSeconds" | "pathLayout">(
  name: K,
): (typeof SETTINGS)[K]["default"] {
  return SETTINGS[name].default;
}

/** One value of a setting as given, with its precedence (higher wins) and where it came from. */
export interface Found {
  raw: unknown;
  level: number;
  /** "env OS_AUTH_URL", "stack config scheduledbackup:authUrl", "override". */
  source: string;
}

/** Blank and null values read as unset at every level. */
export function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");
}

function shown(name: SettingName, raw: unknown): string {
  return specOf(name).secret === true ? "(secret value)" : JSON.stringify(raw);
}

function fail(name: SettingName, f: Found, must: string): never {
  throw new ConfigError(`${name} must ${must} (from ${f.source}), got ${shown(name, f.raw)}`, [name]);
}

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

function readInteger(name: SettingName, spec: Spec, f: Found): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = spec;
  const typed = typeof f.raw === "number";
  const text = String(f.raw);
  const value = typed ? (f.raw as number) : /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  const whole = !(typed && spec.fraction === true);
  const ok =
    Number.isFinite(value) &&
    (!whole || Number.isInteger(value)) &&
    (spec.above === true ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const from = spec.above === true ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
    fail(name, f, `be ${whole ? "an integer" : "a number"} ${from}`);
  }
  return value;
}

/** One setting's value checked and converted; throws ConfigError naming the setting, the source and the rule. */
export function readSetting<K extends SettingName>(name: K, f: Found): NonNullable<SettingValues[K]> {
  const spec = specOf(name);
  if (spec.kind === "boolean") {
    if (typeof f.raw === "boolean") return f.raw as NonNullable<SettingValues[K]>;
    const text = String(f.raw).trim().toLowerCase();
    if (TRUE.includes(text)) return true as NonNullable<SettingValues[K]>;
    if (FALSE.includes(text)) return false as NonNullable<SettingValues[K]>;
    fail(name, f, "be true or false");
  }
  if (spec.kind === "integer") return readInteger(name, spec, f) as NonNullable<SettingValues[K]>;
  if (typeof f.raw !== "string") fail(name, f, "be a string");
  const value = f.raw.trim();
  if (spec.values !== undefined && !spec.values.includes(value)) fail(name, f, `be one of ${spec.values.join(", ")}`);
  try {
    spec.check?.(value);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (from ${f.source})`, [name]);
  }
  return value as NonNullable<SettingValues[K]>;
}

/**
 * Resolves the client's settings from `find` (the value of each setting at the most specific level that has
 * one) and checks how they fit together. `howToSet(name)` says how a missing setting is given where the
 * values come from (a ClientConfig option, `pulumi config set`, a flag). Answers only the settings that are set.
 */
export function resolveSettings(
  find: (name: SettingName) => Found | undefined,
  howToSet: (name: SettingName) => string,
): ClientSettings {
  const missing = (what: string, names: SettingName[]): ConfigError =>
    new ConfigError(`${what}\n${names.map((k) => `  ${k}: ${howToSet(k)}`).join("\n")}`, names);
  const out: ClientSettings = {};
  const set = <K extends keyof ClientSettings>(name: K): ClientSettings[K] => {
    const f = find(name);
    if (f === undefined) return undefined;
    const value = readSetting(name, f);
    out[name] = value;
    return value;
  };

  const token = find("token");
  const password = find("password");
  // Credentials come from the most specific level that has any: a token in the shell's environment must
  // not shadow a password the stack sets, nor the reverse. At the same level the token wins.
  if (token !== undefined && (password === undefined || token.level >= password.level)) {
    set("token");
  } else {
    const keystone: SettingName[] = ["authUrl", "username", "password", "accountId"];
    const absent = keystone.filter((k) => find(k) === undefined);
    if (absent.length === keystone.length) {
      throw missing(
        "No credentials for the Scheduled Backup API: set `token`, or Keystone password auth " +
          "(authUrl, username, password, accountId).",
        ["token", ...keystone],
      );
    }
    if (absent.length > 0) throw missing(`Keystone password auth is incomplete: missing ${absent.join(", ")}.`, absent);
    set("username");
    set("password");
    set("accountId");
  }
  const authUrl = set("authUrl");
  const endpoint = set("endpoint");
  const region = set("region");
  const projectId = set("projectId");
  const pathLayout = set("pathLayout");
  if (endpoint === undefined && (authUrl === undefined || region === undefined)) {
    const names: SettingName[] = ["endpoint"];
    if (authUrl === undefined) names.push("authUrl");
    if (region === undefined) names.push("region");
    throw missing(
      "No API endpoint: set `endpoint`, or `authUrl` and `region` to find it in the Keystone catalog.",
      names,
    );
  }
  if (projectId === undefined && pathLayout === "project" && authUrl === undefined) {
    throw missing(
      "No project: the `project` path layout needs `projectId` (or Keystone settings whose token names it); " +
        'or set pathLayout to "auto" or "token".',
      ["projectId"],
    );
  }
  set("caCertFile");
  set("insecure");
  set("maxRetries");
  set("timeoutSeconds");
  return out;
}

/** What `insecure` costs: said by the client's log, and once per process by the program and by the CLI. */
export const INSECURE_WARNING =
  "TLS certificate verification is disabled (insecure=true): anyone on the network path can read the token and " +
  "change what is sent. Use caCertFile for a private CA, and never set insecure against production";
