// The client's settings: what a caller may pass, the defaults, and the checks that run before any call.
import type { Dispatcher } from "undici";
import { ConfigError } from "./errors";
import type { Backoff } from "./http";
import { parseBaseUrl, PATH_LAYOUT_SETTINGS, type BaseUrl, type PathLayoutSetting } from "./routes";
import type { Clock } from "./waiters";

export interface ClientConfig {
  /** Base URL including /data-protect/v2; overrides the Keystone catalog. */
  endpoint?: string;
  /** A static token; or Keystone password auth with the four settings below. */
  token?: string;
  authUrl?: string;
  username?: string;
  password?: string;
  /** Keystone user domain name (the account id). */
  accountId?: string;
  projectId?: string;
  /** Catalog region (`region_id`), e.g. ru-3. */
  region?: string;
  /**
   * Default "auto": detected once per endpoint without any write (dialect.ts). "project" (`/{project_id}/plans/`,
   * `max_backups`) or "token" (`/plans/`, `full_backups_amount`) pin it.
   */
  pathLayout?: PathLayoutSetting;
  caCertFile?: string;
  insecure?: boolean;
  /** Default 4. */
  maxRetries?: number;
  /** Per-call deadline, retries included. Default 60. */
  timeoutSeconds?: number;
  /** Appended to "pulumi-scheduled-backup/<version>". */
  userAgent?: string;
  /** Tests: a MockAgent or a custom Agent. Default: the process-wide Agent of the endpoint's origin. */
  dispatcher?: Dispatcher;
  /** One line per call (method, path, status, ms, request id) and per retry; never secrets. */
  log?: (line: string) => void;
  /** Tests: the clock of waiters and token expiry. */
  clock?: Clock;
  /** Tests and tuning: retry backoff (full jitter from `baseMs`, doubling, capped at `capMs`). */
  retryBackoff?: Partial<Backoff>;
  /** Tests: the jitter source, returning [0, 1). */
  random?: () => number;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_TIMEOUT_SECONDS = 60;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** The settings after the checks: blanks read as unset, the endpoint parsed, the deadline in milliseconds. */
export interface ResolvedClientConfig {
  token: string | undefined;
  authUrl: string | undefined;
  username: string | undefined;
  password: string | undefined;
  accountId: string | undefined;
  region: string | undefined;
  endpoint: BaseUrl | undefined;
  projectId: string | undefined;
  layout: PathLayoutSetting;
  maxRetries: number;
  timeoutMs: number;
  caCertFile: string | undefined;
}

/** Every check a config gets before the client exists, each error naming the setting and the fix. */
export function resolveClientConfig(config: ClientConfig): ResolvedClientConfig {
  const token = nonEmpty(config.token);
  const authUrl = nonEmpty(config.authUrl);
  const username = nonEmpty(config.username);
  const password = nonEmpty(config.password);
  const accountId = nonEmpty(config.accountId);
  const region = nonEmpty(config.region);
  const endpoint = nonEmpty(config.endpoint);
  const projectId = nonEmpty(config.projectId);
  const layout = config.pathLayout ?? "auto";
  if (!PATH_LAYOUT_SETTINGS.includes(layout)) {
    throw new ConfigError(
      `pathLayout must be one of ${PATH_LAYOUT_SETTINGS.join(", ")}, got ${JSON.stringify(config.pathLayout)}`,
      ["pathLayout"],
    );
  }
  if (token === undefined) {
    const missing = Object.entries({ authUrl, username, password, accountId })
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) {
      throw new ConfigError(
        `no credentials: set \`token\`, or Keystone password auth (authUrl, username, password, accountId); missing: ${missing.join(", ")}`,
        missing.length === 4 ? ["token", ...missing] : missing,
      );
    }
  }
  if (endpoint === undefined && (authUrl === undefined || region === undefined)) {
    throw new ConfigError(
      "no API endpoint: set `endpoint`, or `authUrl` and `region` to find it in the Keystone catalog",
      ["endpoint", ...(authUrl === undefined ? ["authUrl"] : []), ...(region === undefined ? ["region"] : [])],
    );
  }
  if (layout === "project" && projectId === undefined && authUrl === undefined) {
    throw new ConfigError(
      "no project: the `project` path layout needs `projectId` (or Keystone settings whose token names the project), " +
        'or use pathLayout "token"',
      ["projectId"],
    );
  }
  const maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 20) {
    throw new ConfigError(`maxRetries must be an integer from 0 to 20, got ${String(config.maxRetries)}`, [
      "maxRetries",
    ]);
  }
  const timeoutSeconds = config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new ConfigError(`timeoutSeconds must be a positive number, got ${String(config.timeoutSeconds)}`, [
      "timeoutSeconds",
    ]);
  }
  let parsedEndpoint: BaseUrl | undefined;
  if (endpoint !== undefined) {
    try {
      parsedEndpoint = parseBaseUrl(endpoint);
    } catch (err) {
      throw new ConfigError((err as Error).message, ["endpoint"]);
    }
  }
  return {
    token,
    authUrl,
    username,
    password,
    accountId,
    region,
    endpoint: parsedEndpoint,
    projectId,
    layout,
    maxRetries,
    timeoutMs: timeoutSeconds * 1000,
    caCertFile: nonEmpty(config.caCertFile),
  };
}
