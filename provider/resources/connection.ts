// From the raw `scheduledbackup:*` stack config (captured by the shim's `configure`) and the environment (read
// at call time, inside the plugin) to an API client. Clients are cached per resolved configuration, so the
// hundreds of resources of one run share one connection pool and one Keystone token.
import { createHash } from "node:crypto";
// The client (undici, zod) is loaded on the first connection, not with this module: `captureConfig` runs in
// the plugin's first Check, which should not wait for it.
import type { ClientConfig, ScheduledBackupClient } from "../api/client";
import { envNamesOf, SETTING_NAMES } from "../api/settings";
import { CONFIG_NAMESPACE, resolveClientConfig, resolveCreateSettleSeconds } from "../config";
import type { Placement } from "../types";

/** The `scheduledbackup:*` values of the stack config, by bare key, as the raw strings the engine sent. */
export type RawConfig = Readonly<Record<string, string>>;

/** Keeps only our namespace, and only the keys we know (never the rest of the stack's config). */
export function captureConfig(config: { get(key: string): string | undefined }): RawConfig {
  const values: Record<string, string> = {};
  for (const key of SETTING_NAMES) {
    const value = config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (typeof value === "string") values[key] = value;
  }
  return Object.freeze(values);
}

export interface Connection {
  client: ScheduledBackupClient;
  /** Credential values to scrub from any text we produce. */
  secrets: readonly string[];
  /** The project the resource addresses, when known without asking the service (recorded in outputs). */
  projectId: string | undefined;
  /** The region the resource addresses, when configured (recorded in outputs). */
  region: string | undefined;
  /** `createSettleSeconds` in ms, when set. */
  createSettleMs: number | undefined;
}

const clients = new Map<string, ScheduledBackupClient>();

/**
 * The placement a resource or lookup asks for: its non-empty `projectId`, `region` and `endpoint` (an empty
 * one means "use the default", as it does in the config resolution).
 */
export function placementOf(source: Readonly<Partial<Record<keyof Placement, unknown>>>): Placement {
  const placement: Placement = {};
  for (const key of ["projectId", "region", "endpoint"] as const) {
    const value = source[key];
    if (typeof value === "string" && value !== "") placement[key] = value;
  }
  return placement;
}

/** Every environment variable a setting reads. */
const SETTING_ENV_NAMES = SETTING_NAMES.flatMap((name) => envNamesOf(name));

/**
 * Connections already resolved, by captured config (the plugin's is one object for the whole run), then by
 * everything else the resolution reads: the placement and the settings' environment variables, read at every
 * call (a changed variable is a new key). Resolving and hashing the settings for each of hundreds of
 * resources cost more than the rest of a create's own work. The keys hold the values the connection holds.
 */
const resolved = new WeakMap<RawConfig, Map<string, Connection>>();

/** Resolves the settings for one resource (its placement overrides the stack config) and returns a client. */
export function connect(
  raw: RawConfig | undefined,
  placement: Placement,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  if (raw === undefined) return resolveConnection(raw, placement, env);
  const key = [placement.projectId, placement.region, placement.endpoint, ...SETTING_ENV_NAMES.map((n) => env[n])]
    .map((value) => (value === undefined ? "\u0001" : value))
    .join("\u0000");
  let byKey = resolved.get(raw);
  if (byKey === undefined) {
    byKey = new Map<string, Connection>();
    resolved.set(raw, byKey);
  }
  let connection = byKey.get(key);
  if (connection === undefined) {
    connection = resolveConnection(raw, placement, env);
    byKey.set(key, connection);
  }
  return connection;
}

function resolveConnection(raw: RawConfig | undefined, placement: Placement, env: NodeJS.ProcessEnv): Connection {
  const overrides: Partial<ClientConfig> = {};
  if (placement.projectId !== undefined) overrides.projectId = placement.projectId;
  if (placement.region !== undefined) overrides.region = placement.region;
  if (placement.endpoint !== undefined) overrides.endpoint = placement.endpoint;
  const stack = raw ?? {};
  const lookup = (key: string): string | undefined => stack[key];
  const resolved = resolveClientConfig(lookup, env, overrides);
  const settleSeconds = resolveCreateSettleSeconds(lookup, env);
  const config: ClientConfig = { ...resolved, userAgent: "pulumi-dynamic-provider" };
  const key = cacheKey(config);
  let client = clients.get(key);
  if (client === undefined) {
    client = new (loadClient().ScheduledBackupClient)(config);
    clients.set(key, client);
  }
  const secrets = [config.token, config.password].filter((s): s is string => typeof s === "string" && s !== "");
  return Object.freeze({
    client,
    secrets: Object.freeze(secrets),
    projectId: config.projectId,
    region: config.region,
    createSettleMs: settleSeconds === undefined ? undefined : settleSeconds * 1000,
  });
}

/** The environment variables that carry credentials of their own, token first. */
function environmentCredential(env: NodeJS.ProcessEnv): { kind: "token" | "password"; variable: string } | undefined {
  for (const kind of ["token", "password"] as const) {
    const variable = envNamesOf(kind).find((name) => (env[name]?.trim() ?? "") !== "");
    if (variable !== undefined) return { kind, variable };
  }
  return undefined;
}

/**
 * Digests of stack-config tokens the service refused in this plugin process: later calls go straight to
 * the environment's credentials, and the retry is announced once.
 */
const refusedStackTokens = new Set<string>();

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A connection whose static token came from the stack config, and what to fall back on if it is refused. */
interface ResourceConnection {
  connection: Connection;
  /** The static token in use is the stack config's (for `destroy`/`refresh`: the one stored at the last `up`). */
  storedToken: boolean;
  /** Switches to the environment's credentials after a 401 of the stored token; undefined when there are none. */
  fallBack(): Connection | undefined;
}

/**
 * Connects for one resource. `pulumi destroy` and `pulumi refresh` configure the provider with the stack
 * config stored at the last `up`, and stack config outranks the environment: so a rotated static token
 * would leave no way to reach the plans but `up` first. Here, when the stack's token is refused (401) and
 * the environment holds a token or Keystone password settings, those are used instead.
 */
export function connectResource(
  raw: RawConfig | undefined,
  placement: Placement,
  env: NodeJS.ProcessEnv = process.env,
): ResourceConnection {
  const stackToken = raw?.["token"]?.trim() ?? "";
  const credential = stackToken === "" ? undefined : environmentCredential(env);
  const fallBack = (): Connection | undefined => {
    // (A credential is looked for only when the stack config has a token, so `raw` is there.)
    if (credential === undefined) return undefined;
    // Without the stack's token (and, for an environment token, the stack's password, which would
    // outrank it), the environment's credentials are the most specific ones left.
    const rest: Record<string, string> = { ...raw };
    delete rest["token"];
    if (credential.kind === "token") delete rest["password"];
    let connection: Connection;
    try {
      connection = connect(rest, placement, env);
    } catch {
      return undefined; // incomplete Keystone settings in the environment: nothing better to try
    }
    if (connection.secrets.includes(stackToken)) return undefined;
    const first = !refusedStackTokens.has(digest(stackToken));
    refusedStackTokens.add(digest(stackToken));
    if (first) {
      const what =
        credential.kind === "token"
          ? `the token in ${credential.variable}`
          : `Keystone password auth (${credential.variable})`;
      console.log(
        `${CONFIG_NAMESPACE}: the static token in the stack config (for destroy and refresh: ` +
          `as stored at the last \`pulumi up\`) ` +
          `was refused (HTTP 401); using ${what} from the environment instead`,
      );
    }
    return { ...connection, secrets: [...connection.secrets, stackToken] };
  };
  if (stackToken !== "" && refusedStackTokens.size > 0 && refusedStackTokens.has(digest(stackToken))) {
    const connection = fallBack();
    if (connection !== undefined) return { connection, storedToken: false, fallBack: () => undefined };
  }
  const connection = connect(raw, placement, env);
  const storedToken = stackToken !== "" && connection.secrets.includes(stackToken);
  return { connection, storedToken, fallBack: storedToken ? fallBack : () => undefined };
}

/** The API client module; `require` caches it. */
function loadClient(): typeof import("../api/client") {
  // Loaded on first use, so programs and the first Check do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../api/client") as typeof import("../api/client");
}

/**
 * The project and region a resource without its own would use now (stack config, then environment), read
 * without resolving credentials, so `diff` can tell "made the default explicit" from "moved elsewhere".
 */
export function defaultPlacement(raw: RawConfig | undefined, env: NodeJS.ProcessEnv = process.env): Placement {
  const placement: Placement = {};
  for (const key of ["projectId", "region"] as const) {
    const fromStack = raw?.[key]?.trim();
    const fromEnv = envNamesOf(key)
      .map((name) => env[name]?.trim())
      .find((v) => v !== undefined && v !== "");
    const value = fromStack !== undefined && fromStack !== "" ? fromStack : fromEnv;
    if (value !== undefined) placement[key] = value;
  }
  return placement;
}

/** A digest of the plain settings, so the map never holds a credential as a key. */
function cacheKey(config: ClientConfig): string {
  const plain = Object.entries(config)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(plain)).digest("hex");
}
