/**
 * The engine's reconciliation of a policy pack's config (ReconcilePolicyPackConfig in
 * sdk/go/common/resource/plugin/analyzer_config.go, called from pkg/engine/update.go for every pack that
 * supports config, with or without `--policy-pack-config`): each policy starts from its own level and
 * the `default`s of its config schema; `all` then sets every policy's level (its properties are not
 * applied); each named entry sets its policy's level and merges its properties. Names the pack does not
 * have are kept and sent, without a word. Finally each policy's properties are validated against its
 * schema as JSON Schema draft-07 (ajv here, gojsonschema there).
 */
import Ajv from "ajv";
import type { EnforcementLevel, PolicyPackConfig } from "./analyzers.js";
import { isPlainObject, type PropertyMap } from "./properties.js";

export interface PolicyInfo {
  name: string;
  enforcementLevel: EnforcementLevel;
  /** `configSchema` as GetAnalyzerInfo reports it: the properties' schemas and the required names. */
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface ReconciledPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties?: PropertyMap;
}

export function reconcilePolicyPackConfig(
  policies: readonly PolicyInfo[],
  config: PolicyPackConfig | undefined,
): { config: Map<string, ReconciledPolicyConfig>; errors: string[] } {
  const result = new Map<string, ReconciledPolicyConfig>();
  for (const policy of policies) {
    const defaults: PropertyMap = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (isPlainObject(schema) && "default" in schema) defaults[key] = schema["default"];
    }
    result.set(policy.name, {
      enforcementLevel: policy.enforcementLevel,
      ...(Object.keys(defaults).length ? { properties: defaults } : {}),
    });
  }
  if (config) {
    const all = config.get("all")?.enforcementLevel;
    if (all) for (const [name, entry] of result) result.set(name, { ...entry, enforcementLevel: all });
    for (const [name, given] of config) {
      const current = result.get(name);
      const entry: ReconciledPolicyConfig = {
        enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel ?? "advisory",
      };
      let properties = current?.properties;
      if (Object.keys(given.properties).length > 0) properties = { ...(properties ?? {}), ...given.properties };
      if (properties) entry.properties = properties;
      result.set(name, entry);
    }
  }
  const errors: string[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const validate = ajv.compile({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: policy.configSchema.properties,
      required: policy.configSchema.required,
    });
    if (validate(result.get(policy.name)?.properties ?? {})) continue;
    for (const e of validate.errors ?? []) {
      const where = e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : "";
      errors.push(`${policy.name}: ${where}${e.message ?? "is invalid"}`);
    }
  }
  return { config: result, errors };
}
