// From the raw `scheduledbackup:*` stack config (captured by the shim's `configure`) and the environment (read
// at call time, inside the plugin) to an API client. Clients are cached per resolved configuration, so the
// hundreds of resources of one run share one connection pool and one Keystone token.
import { createHash } from "node:crypto";
import { ScheduledBackupClient } from "../api";
import type { ClientConfig } from "../api";
import { CONFIG_KEYS, CONFIG_NAMESPACE, resolveClientConfig } from "../config";
import type { Placement } from "../types";

/** The `scheduledbackup:*` values of the stack config, by bare key, as the raw strings the engine sent. */
export type RawConfig = Readonly<Record<string, string>>;

/** Keeps only our namespace, and only the keys we know (never the rest of the stack's config). */
export function captureConfig(config: { get(key: string): string | undefined }): RawConfig {
  const values: Record<string, string> = {};
  for (const { key } of CONFIG_KEYS) {
    const value = config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (typeof value === "string") values[key] = value;
  }
  return Object.freeze(values);
}

export interface Connection {
  client: ScheduledBackupClient;
  /** Credential values to scrub from any text we produce. */
  secrets: string[];
  /** The project the resource addresses, when known without asking the service (recorded in outputs). */
  projectId: string | undefined;
  /** The region the resource addresses, when configured (recorded in outputs). */
  region: string | undefined;
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

/** Resolves the settings for one resource (its placement overrides the stack config) and returns a client. */
export function connect(raw: RawConfig | undefined, placement: Placement, env: NodeJS.ProcessEnv = process.env): Connection {
  const overrides: Partial<ClientConfig> = {};
  if (placement.projectId !== undefined) overrides.projectId = placement.projectId;
  if (placement.region !== undefined) overrides.region = placement.region;
  if (placement.endpoint !== undefined) overrides.endpoint = placement.endpoint;
  const stack = raw ?? {};
  const resolved = resolveClientConfig((key) => stack[key], env, overrides);
  const config: ClientConfig = { ...resolved, userAgent: "pulumi-dynamic-provider" };
  const key = cacheKey(config);
  let client = clients.get(key);
  if (client === undefined) {
    client = new ScheduledBackupClient(config);
    clients.set(key, client);
  }
  const secrets = [config.token, config.password].filter((s): s is string => typeof s === "string" && s !== "");
  return { client, secrets, projectId: config.projectId, region: config.region };
}

/**
 * The project and region a resource without its own would use now (stack config, then environment), read
 * without resolving credentials, so `diff` can tell "made the default explicit" from "moved elsewhere".
 */
export function defaultPlacement(raw: RawConfig | undefined, env: NodeJS.ProcessEnv = process.env): Placement {
  const placement: Placement = {};
  for (const key of ["projectId", "region"] as const) {
    const fromStack = raw?.[key]?.trim();
    const envNames = CONFIG_KEYS.find((k) => k.key === key)?.env ?? [];
    const fromEnv = envNames.map((name) => env[name]?.trim()).find((v) => v !== undefined && v !== "");
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
