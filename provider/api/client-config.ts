// What a caller may pass to the client, and the settings after the checks (settings.ts) that run before any call.
import type { Dispatcher } from "undici";
import type { Backoff } from "./http";
import { parseBaseUrl, type BaseUrl, type PathLayoutSetting } from "./routes";
import { defaultOf, present, resolveSettings, type ClientSettings } from "./settings";
import type { Clock } from "./waiters";

/** The settings (settings.ts documents each), and what tests and tools inject. */
export interface ClientConfig extends ClientSettings {
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

export const DEFAULT_MAX_RETRIES = defaultOf("maxRetries");
export const DEFAULT_TIMEOUT_SECONDS = defaultOf("timeoutSeconds");

/** The settings after the checks: blanks read as unset, the endpoint parsed, the deadline in milliseconds. */
interface ResolvedClientConfig {
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
  insecure: boolean;
}

/** Every check a config gets before the client exists, each error naming the setting and the fix. */
export function checkClientConfig(config: ClientConfig): ResolvedClientConfig {
  const given = config as Readonly<Record<string, unknown>>;
  const s = resolveSettings(
    (name) => (present(given[name]) ? { raw: given[name], level: 1, source: "ClientConfig" } : undefined),
    (name) => `the \`${name}\` option of the client`,
  );
  return {
    token: s.token,
    authUrl: s.authUrl,
    username: s.username,
    password: s.password,
    accountId: s.accountId,
    region: s.region,
    endpoint: s.endpoint === undefined ? undefined : parseBaseUrl(s.endpoint),
    projectId: s.projectId,
    layout: s.pathLayout ?? defaultOf("pathLayout"),
    maxRetries: s.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: (s.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    caCertFile: s.caCertFile,
    insecure: s.insecure === true,
  };
}
