// Where the client's settings come from: resource inputs / CLI flags (overrides), then the stack's
// `scheduledbackup:` config, then the environment (`SCHEDULED_BACKUP_*`, then the OpenStack `OS_*` names).
// What each setting is, and every check of a value, lives in api/settings.ts; this module adds the levels.
// No Pulumi import: the provider passes a lookup over its config, the CLI passes none.
import type { ClientConfig } from "./api/client";
import {
  describeSetting,
  envNamesOf,
  INSECURE_WARNING as SETTINGS_INSECURE_WARNING,
  isSettingName,
  present,
  readSetting,
  resolveSettings,
  SETTING_NAMES,
  specOf,
  type Found,
  type SettingName,
} from "./api/settings";
import { closestName } from "./values";

import { CONFIG_NAMESPACE } from "./tokens";

export { CONFIG_NAMESPACE };

export interface ConfigKey {
  key: SettingName;
  env: string[];
  secret: boolean;
  description: string;
  kind: "string" | "boolean" | "integer";
}

/** The settings as the README's table and the CLI's hints list them (derived from api/settings.ts). */
export const CONFIG_KEYS: readonly ConfigKey[] = SETTING_NAMES.map((key) => ({
  key,
  env: envNamesOf(key),
  secret: specOf(key).secret === true,
  description: describeSetting(key),
  kind: specOf(key).kind,
}));

/**
 * How to set `key`, both ways:
 * "`pulumi config set scheduledbackup:authUrl <value>` or env SCHEDULED_BACKUP_AUTH_URL / OS_AUTH_URL".
 */
export function howToSet(key: SettingName): string {
  const secret = specOf(key).secret === true ? "--secret " : "";
  return `\`pulumi config set ${secret}${CONFIG_NAMESPACE}:${key} <value>\` or env ${envNamesOf(key).join(" / ")}`;
}

/** Precedence levels, higher wins. */
const enum Level {
  Env = 1,
  Stack = 2,
  Override = 3,
}

function find(
  name: SettingName,
  lookup: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  overrides: Readonly<Record<string, unknown>>,
): Found | undefined {
  const override = overrides[name];
  if (present(override)) return { raw: override, level: Level.Override, source: "override" };
  const stack = lookup(name);
  if (present(stack)) return { raw: stack, level: Level.Stack, source: `stack config ${CONFIG_NAMESPACE}:${name}` };
  for (const variable of envNamesOf(name)) {
    const value = env[variable];
    if (present(value)) return { raw: value, level: Level.Env, source: `env ${variable}` };
  }
  return undefined;
}

/** The provider's settle window after an ambiguous create (not a client setting). */
export function resolveCreateSettleSeconds(
  lookup: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const found = find("createSettleSeconds", lookup, env, {});
  return found === undefined ? undefined : readSetting("createSettleSeconds", found);
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
  const given = overrides as Readonly<Record<string, unknown>>;
  const out: ClientConfig = resolveSettings((name) => find(name, lookup, env, given), howToSet);
  // Non-setting overrides (dispatcher, log, userAgent, clock...) pass through untouched.
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined && !isSettingName(k)) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The insecure warning of api/settings.ts, prefixed with the namespace, as the program and the CLI say it. */
export const INSECURE_WARNING = `${CONFIG_NAMESPACE}: ${SETTINGS_INSECURE_WARNING}`;

/** One warning per `scheduledbackup:` key that is not a setting (it would be ignored silently). */
export function unknownConfigKeyWarnings(bareKeys: readonly string[]): string[] {
  return bareKeys
    .filter((key) => !isSettingName(key))
    .map((key) => {
      const closest = closestName(key, SETTING_NAMES);
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
    return readSetting("insecure", found);
  } catch {
    return false;
  }
}
