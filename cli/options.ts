// Argument parsing (node:util parseArgs, strict) and the connection flags shared by every command that
// talks to the API. Flags override the environment; the environment is read by the same
// resolveClientConfig the provider uses, so `SCHEDULED_BACKUP_*` / `OS_*` mean the same thing here.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ClientConfig } from "../provider/api";
import { INSECURE_WARNING, resolveClientConfig } from "../provider/config";
import { UsageError, isParseArgsError } from "./errors";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpecs;

export const CONNECTION_OPTIONS = {
  endpoint: { type: "string" },
  token: { type: "string" },
  "auth-url": { type: "string" },
  username: { type: "string" },
  password: { type: "string" },
  "account-id": { type: "string" },
  "project-id": { type: "string" },
  region: { type: "string" },
  "path-layout": { type: "string" },
  "ca-cert-file": { type: "string" },
  insecure: { type: "boolean" },
} as const satisfies OptionSpecs;

export const CONNECTION_HELP = `Connection (flags override the environment; prefer env vars for secrets, flags show in \`ps\`):
  --endpoint URL        base URL incl. /data-protect/v2  SCHEDULED_BACKUP_ENDPOINT
  --token TOKEN         static X-Auth-Token              SCHEDULED_BACKUP_TOKEN, OS_AUTH_TOKEN
  --auth-url URL        Keystone v3 URL                  SCHEDULED_BACKUP_AUTH_URL, OS_AUTH_URL
  --username NAME       service user                     SCHEDULED_BACKUP_USERNAME, OS_USERNAME
  --password PASSWORD   service user's password          SCHEDULED_BACKUP_PASSWORD, OS_PASSWORD
  --account-id ID       user domain (account id)         SCHEDULED_BACKUP_ACCOUNT_ID, OS_USER_DOMAIN_NAME
  --project-id ID       project UUID                     SCHEDULED_BACKUP_PROJECT_ID, OS_PROJECT_ID
  --region NAME         region (pool) in the catalog     SCHEDULED_BACKUP_REGION, OS_REGION_NAME
  --path-layout L       project (default) | token        SCHEDULED_BACKUP_PATH_LAYOUT
  --ca-cert-file FILE   extra CA bundle (PEM)            SCHEDULED_BACKUP_CA_CERT_FILE, OS_CACERT
  --insecure            skip TLS verification            SCHEDULED_BACKUP_INSECURE, OS_INSECURE`;

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: ParsedValues;
  positionals: string[];
}

/** parseArgs in strict mode; its errors become UsageErrors so they exit 2 with the usage line. */
export function parse(args: string[], options: OptionSpecs): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: values as ParsedValues, positionals };
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(err.message);
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

export function integerFlag(values: ParsedValues, name: string, range: { min: number; max?: number }): number | undefined {
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
  const overrides: Partial<ClientConfig> = {};
  const strings: [keyof typeof CONNECTION_OPTIONS, "endpoint" | "token" | "authUrl" | "username" | "password" | "accountId" | "projectId" | "region" | "caCertFile"][] = [
    ["endpoint", "endpoint"], ["token", "token"], ["auth-url", "authUrl"], ["username", "username"],
    ["password", "password"], ["account-id", "accountId"], ["project-id", "projectId"], ["region", "region"],
    ["ca-cert-file", "caCertFile"],
  ];
  for (const [flag, key] of strings) {
    const value = stringFlag(values, flag);
    if (value !== undefined) overrides[key] = value;
  }
  const layout = oneOfFlag(values, "path-layout", ["project", "token"] as const);
  if (layout !== undefined) overrides.pathLayout = layout;
  if (booleanFlag(values, "insecure")) overrides.insecure = true;
  return overrides;
}

/** The CLI has no stack config: only flags (overrides) and the environment count. */
export function cliClientConfig(values: ParsedValues, env: NodeJS.ProcessEnv, warn?: (line: string) => void): ClientConfig {
  const config = { ...resolveClientConfig(() => undefined, env, connectionOverrides(values)), userAgent: "cli" };
  if (config.insecure === true) warn?.(INSECURE_WARNING);
  return config;
}
