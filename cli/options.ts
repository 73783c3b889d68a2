// Argument parsing (node:util parseArgs, strict) and the connection flags shared by every command that
// talks to the API. Flags override the environment; the environment is read by the same
// resolveClientConfig the provider uses, so `SCHEDULED_BACKUP_*` / `OS_*` mean the same thing here.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { PATH_LAYOUT_SETTINGS, type ClientConfig } from "../provider/api";
import { ApiError, ConfigError } from "../provider/api/errors";
import { defaultOf, envNamesOf, specOf, type SettingName } from "../provider/api/settings";
import { CONFIG_KEYS, INSECURE_WARNING, howToSet, resolveClientConfig } from "../provider/config";
import { UsageError, isParseArgsError } from "./errors";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpecs;

/** The settings the command line takes as flags (the rest only from the environment), with their help. */
const CONNECTION_FLAGS: readonly { key: SettingName; value: string; help: string }[] = [
  { key: "endpoint", value: "URL", help: "base URL incl. /data-protect/v2" },
  { key: "token", value: "TOKEN", help: "static X-Auth-Token" },
  { key: "authUrl", value: "URL", help: "Keystone v3 URL" },
  { key: "username", value: "NAME", help: "service user" },
  { key: "password", value: "PASSWORD", help: "service user's password" },
  { key: "accountId", value: "ID", help: "user domain (account id)" },
  { key: "projectId", value: "ID", help: "project UUID" },
  { key: "region", value: "NAME", help: "region (pool) in the catalog" },
  {
    key: "pathLayout",
    value: "L",
    help: PATH_LAYOUT_SETTINGS.map((l) => (l === defaultOf("pathLayout") ? `${l} (default)` : l)).join(" | "),
  },
  { key: "caCertFile", value: "FILE", help: "extra CA bundle (PEM)" },
  { key: "insecure", value: "", help: "skip TLS verification" },
];

/** `auth-url` for `authUrl`. */
function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const CONNECTION_OPTIONS: OptionSpecs = Object.fromEntries(
  CONNECTION_FLAGS.map(({ key }) => [flagName(key), { type: specOf(key).kind === "boolean" ? "boolean" : "string" }]),
);

export const CONNECTION_HELP = [
  "Connection (flags override the environment; prefer env vars for secrets, flags show in `ps`):",
  ...CONNECTION_FLAGS.map(
    ({ key, value, help }) =>
      `  ${`--${flagName(key)} ${value}`.trimEnd().padEnd(22)}${help.padEnd(33)}${envNamesOf(key).join(", ")}`,
  ),
].join("\n");

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: ParsedValues;
  positionals: string[];
}

/**
 * One line in our words for a parseArgs error: Node's text quotes the flag oddly, spans lines, and calls a
 * negative number ("--timeout -1") "ambiguous".
 */
export function parseArgsMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '([^']+)'/.exec(text);
  if (unknown !== null) return `unknown flag ${unknown[1] ?? ""}`;
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(text);
  if (ambiguous !== null)
    return `${ambiguous[1] ?? ""} needs a value; to pass one starting with a dash, write ${ambiguous[1] ?? ""}=VALUE`;
  const missing = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(text);
  if (missing !== null) return `${missing[1] ?? ""} needs a value`;
  const positional = /Unexpected argument '([^']+)'/.exec(text);
  if (positional !== null) return `unexpected argument ${positional[1] ?? ""}`;
  const boolean = /Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(text);
  if (boolean !== null) return `${boolean[1] ?? ""} is a switch and takes no value`;
  return text.split("\n")[0] ?? text;
}

/** parseArgs in strict mode; its errors become one-line UsageErrors, so they exit 2 with the usage line. */
export function parse(args: string[], options: OptionSpecs): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: values as ParsedValues, positionals };
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(parseArgsMessage(err));
    throw err;
  }
}

export function stringFlag(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function booleanFlag(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}

export function integerFlag(
  values: ParsedValues,
  name: string,
  range: { min: number; max?: number },
): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const inRange = Number.isInteger(value) && value >= range.min && (range.max === undefined || value <= range.max);
  if (!/^\s*-?\d+\s*$/.test(raw) || !inRange) {
    const bounds = range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${range.max}`;
    throw new UsageError(`--${name} must be a whole number ${bounds}, got \`${raw}\``);
  }
  return value;
}

export function oneOfFlag<T extends string>(values: ParsedValues, name: string, allowed: readonly T[]): T | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got \`${raw}\``);
  }
  return raw as T;
}

/** Flags → ClientConfig overrides; everything not given is left to the environment. */
export function connectionOverrides(values: ParsedValues): Partial<ClientConfig> {
  const overrides: Record<string, string | boolean> = {};
  for (const { key } of CONNECTION_FLAGS) {
    const flag = flagName(key);
    const value =
      key === "pathLayout"
        ? oneOfFlag(values, flag, PATH_LAYOUT_SETTINGS)
        : specOf(key).kind === "boolean"
          ? booleanFlag(values, flag) || undefined
          : stringFlag(values, flag);
    if (value !== undefined) overrides[key] = value;
  }
  return overrides; // strings and switches as given: the settings resolver checks and types them
}

/** The CLI has no stack config: only flags (overrides) and the environment count. */
export function cliClientConfig(
  values: ParsedValues,
  env: NodeJS.ProcessEnv,
  warn?: (line: string) => void,
): ClientConfig {
  const config = { ...resolveClientConfig(() => undefined, env, connectionOverrides(values)), userAgent: "cli" };
  if (config.insecure === true) warn?.(INSECURE_WARNING);
  return config;
}

function flagOf(key: SettingName): string | undefined {
  return CONNECTION_FLAGS.some((f) => f.key === key) ? `--${flagName(key)}` : undefined;
}

/**
 * A configuration error worded for this command line: the shared resolver explains settings the way a
 * Pulumi program sets them (`pulumi config set ...`); here they are flags, or environment variables for
 * the settings that have no flag (maxRetries, timeoutSeconds).
 */
export function forCommandLine(err: ConfigError): ConfigError {
  let message = err.message.replace(/\(from override\)/g, "(from the command line)");
  for (const { key, env } of CONFIG_KEYS) {
    const flag = flagOf(key);
    const name = flag ?? env[0] ?? key;
    const ways = flag === undefined ? `env ${env.join(" / ")}` : `${flag} VALUE or env ${env.join(" / ")}`;
    message = message
      .split(`${key}: ${howToSet(key)}`)
      .join(ways)
      .split(howToSet(key))
      .join(ways)
      .split(`\`${key}\``)
      .join(`\`${name}\``)
      .replace(new RegExp(`(^|\\n)(\\s*)${key}(:| must| is)`, "g"), `$1$2${name}$3`);
  }
  return new ConfigError(message, err.keys);
}

function basePath(url: string): { origin: string; path: string } | undefined {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, "") };
  } catch {
    return undefined;
  }
}

/**
 * A 404 from a URL missing its base path is a configuration mistake, not a missing plan: the endpoint
 * must end in `/data-protect/v2` and Keystone's URL in `/v3`. Answers that explanation, or undefined.
 */
export function explainWrongBasePath(
  err: unknown,
  values: ParsedValues,
  env: NodeJS.ProcessEnv,
): ConfigError | undefined {
  // With the layout detected (pathLayout auto), a base path without a route at all ends the detection as a
  // ConfigError naming `endpoint`: the same mistake, seen one step earlier.
  const noRoute = err instanceof ConfigError && err.keys.includes("endpoint") && err.keys.includes("pathLayout");
  if (!noRoute && !(err instanceof ApiError && err.status === 404)) return undefined;
  let config: ClientConfig;
  try {
    config = cliClientConfig(values, env);
  } catch {
    return undefined;
  }
  const answered =
    err instanceof ApiError
      ? `the server answered 404 to ${err.method} ${err.path}`
      : "the server has no route for plans under either path layout (404)";
  const operation = err instanceof ApiError ? err.operation : "listPlans";
  if (operation === "auth" && config.authUrl !== undefined) {
    const auth = basePath(config.authUrl);
    if (auth !== undefined && !/\/v3$/.test(auth.path)) {
      return new ConfigError(
        `${answered}: the Keystone URL ${config.authUrl} does not end in /v3 (Keystone v3's base path); ` +
          `use e.g. ${auth.origin}${auth.path}/v3 or https://cloud.api.selcloud.ru/identity/v3 (${flagOf("authUrl")} or env ${envNamesOf("authUrl").join(" / ")})`,
        ["authUrl"],
      );
    }
  }
  if (operation !== "auth" && config.endpoint !== undefined) {
    const api = basePath(config.endpoint);
    if (api !== undefined && !/\/data-protect\/v2$/.test(api.path)) {
      return new ConfigError(
        `${answered}: the endpoint ${config.endpoint} does not end in /data-protect/v2 (the API's base path); ` +
          `use e.g. ${api.origin}${api.path}/data-protect/v2 (${flagOf("endpoint")}` +
          ` or env ${envNamesOf("endpoint").join(" / ")})`,
        ["endpoint"],
      );
    }
  }
  return undefined;
}
