/**
 * Policy packs: each runs as `cmd/run-policy-pack ENGINE_ADDR .` in its directory and speaks
 * pulumirpc.Analyzer. Mirrors pkg/resource/plugin/analyzer_plugin.go (environment, Configure,
 * Analyze/AnalyzeStack marshalling) and the CLI's policy config handling.
 */
import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { isPlainObject, toJsonValue, type PropertyMap } from "./properties.js";
import { reconcilePolicyPackConfig, type PolicyInfo, type ReconciledPolicyConfig } from "./policyConfig.js";
import { kill, resolvePulumiRoot, startPlugin, type Spawned } from "./processes.js";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export class PolicyConfigError extends Error {
  constructor(file: string, detail: string) {
    super(`policy pack config ${file}: ${detail}`);
    this.name = "PolicyConfigError";
  }
}

export interface PolicyConfigEntry {
  enforcementLevel?: EnforcementLevel;
  properties: PropertyMap;
}
/** Parsed `--policy-pack-config`: policy name (or `all`) -> level and properties. */
export type PolicyPackConfig = Map<string, PolicyConfigEntry>;

/**
 * Reads the Pulumi policy config format: `{"<policy>": "mandatory"}` or
 * `{"<policy>": {"enforcementLevel": "advisory", "<prop>": ...}}`, plus `all` for every policy.
 */
export function parsePolicyPackConfig(file: string, text: string): PolicyPackConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PolicyConfigError(file, `is not JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new PolicyConfigError(file, "must be a JSON object keyed by policy name");
  const config: PolicyPackConfig = new Map();
  for (const [policy, value] of Object.entries(parsed)) {
    if (typeof value === "string") {
      config.set(policy, { enforcementLevel: checkLevel(file, policy, value), properties: {} });
    } else if (isPlainObject(value)) {
      const { enforcementLevel, ...properties } = value;
      const entry: PolicyConfigEntry = { properties };
      if (enforcementLevel !== undefined) entry.enforcementLevel = checkLevel(file, policy, enforcementLevel);
      config.set(policy, entry);
    } else {
      throw new PolicyConfigError(file, `\`${policy}\` must be an enforcement level string or an object`);
    }
  }
  return config;
}

function checkLevel(file: string, policy: string, level: unknown): EnforcementLevel {
  if (typeof level === "string" && (LEVELS as readonly string[]).includes(level)) return level as EnforcementLevel;
  throw new PolicyConfigError(
    file,
    `\`${policy}\` has enforcement level ${JSON.stringify(level)}; use one of ${LEVELS.join(", ")}`,
  );
}

function levelToProto(level: EnforcementLevel): analyzerPb.EnforcementLevel {
  const e = analyzerPb.EnforcementLevel;
  return { advisory: e.ADVISORY, mandatory: e.MANDATORY, disabled: e.DISABLED, remediate: e.REMEDIATE }[level];
}

export function levelFromProto(level: analyzerPb.EnforcementLevel): EnforcementLevel {
  const e = analyzerPb.EnforcementLevel;
  if (level === e.MANDATORY) return "mandatory";
  if (level === e.DISABLED) return "disabled";
  if (level === e.REMEDIATE) return "remediate";
  return "advisory";
}

/** One Remediate answer: new inputs, or why the remediation could not run. */
export interface PolicyRemediation {
  pack: string;
  policy: string;
  description: string;
  properties?: PropertyMap;
  diagnostic?: string;
}

export interface PolicyViolation {
  pack: string;
  policy: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn: string;
}

/** What Analyze needs to know about one resource (inputs for Analyze, outputs for AnalyzeStack). */
export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  properties: PropertyMap;
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  provider?: { urn: string; type: string; name: string; properties: PropertyMap };
}

function toStruct(map: PropertyMap): Struct {
  return Struct.fromJavaScript(toJsonValue(map) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function optionsFor(resource: AnalyzedResource): analyzerPb.AnalyzerResourceOptions {
  const options = new analyzerPb.AnalyzerResourceOptions();
  options.setProtect(resource.protect);
  options.setIgnorechangesList(resource.ignoreChanges);
  options.setAdditionalsecretoutputsList(resource.additionalSecretOutputs);
  options.setDeletebeforereplacedefined(resource.deleteBeforeReplace !== undefined);
  options.setDeletebeforereplace(resource.deleteBeforeReplace ?? false);
  options.setParent(resource.parent);
  return options;
}

function providerFor(resource: AnalyzedResource): analyzerPb.AnalyzerProviderResource | undefined {
  if (!resource.provider) return undefined;
  const provider = new analyzerPb.AnalyzerProviderResource();
  provider.setUrn(resource.provider.urn).setType(resource.provider.type).setName(resource.provider.name);
  provider.setProperties(toStruct(resource.provider.properties));
  return provider;
}

/**
 * Top-level `__*` keys (the dynamic provider's `__provider`) are internal: Analyze and AnalyzeStack
 * marshal with SkipInternalKeys, Remediate keeps them (analyzer_plugin.go).
 */
function withoutInternalKeys(properties: PropertyMap): PropertyMap {
  return Object.fromEntries(Object.entries(properties).filter(([key]) => !key.startsWith("__")));
}

/** Analyze and Remediate take the same request; `options` must be set or @pulumi/policy refuses. */
function analyzeRequest(resource: AnalyzedResource, skipInternalKeys: boolean): analyzerPb.AnalyzeRequest {
  const request = new analyzerPb.AnalyzeRequest();
  request.setUrn(resource.urn).setType(resource.type).setName(resource.name);
  request.setProperties(toStruct(skipInternalKeys ? withoutInternalKeys(resource.properties) : resource.properties));
  request.setOptions(optionsFor(resource));
  const provider = providerFor(resource);
  if (provider) request.setProvider(provider);
  return request;
}

function unary<Res>(invoke: (cb: (e: grpc.ServiceError | null, v: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((e, v) => (e ? reject(new Error(e.details || e.message)) : resolve(v))),
  );
}

/** What a deployment asks of a policy pack (PolicyPack over gRPC; tests pass in-memory ones). */
export interface PolicyAnalyzer {
  remediate(resource: AnalyzedResource): Promise<PolicyRemediation[]>;
  analyze(resource: AnalyzedResource): Promise<PolicyViolation[]>;
  analyzeStack(resources: AnalyzedResource[], stackUrn: string): Promise<PolicyViolation[]>;
}

/** One running policy pack. */
export class PolicyPack implements PolicyAnalyzer {
  private constructor(
    readonly dir: string,
    readonly name: string,
    readonly policies: PolicyInfo[],
    private readonly client: analyzerGrpc.AnalyzerClient,
    private readonly spawned: Spawned,
  ) {}

  static async start(
    dir: string,
    engineAddress: string,
    env: NodeJS.ProcessEnv,
    config: PolicyPackConfig | undefined,
    configFile: string | undefined,
  ): Promise<PolicyPack> {
    const packDir = path.resolve(dir);
    const entry = path.join(resolvePulumiRoot(packDir), "cmd", "run-policy-pack");
    const { spawned, port } = await startPlugin(
      `policy pack ${packDir}`,
      [entry, engineAddress, "."],
      packDir,
      env,
      60_000,
    );
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const info = await unary<analyzerPb.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
      const policies = info.getPoliciesList().map((p): PolicyInfo => {
        const policy: PolicyInfo = { name: p.getName(), enforcementLevel: levelFromProto(p.getEnforcementlevel()) };
        const schema = p.getConfigschema();
        if (schema) {
          policy.configSchema = {
            properties: schema.getProperties()?.toJavaScript() ?? {},
            required: schema.getRequiredList(),
          };
        }
        return policy;
      });
      const pack = new PolicyPack(packDir, info.getName(), policies, client, spawned);
      // pkg/engine/update.go: a pack that does not support config refuses one; every other pack is
      // configured, with or without a config file, after ReconcilePolicyPackConfig.
      if (!info.getSupportsconfig()) {
        if (config)
          throw new PolicyConfigError(
            configFile ?? "(inline)",
            `policy pack \`${info.getName()}\` does not support config`,
          );
        return pack;
      }
      const reconciled = reconcilePolicyPackConfig(policies, config);
      if (reconciled.errors.length > 0) {
        throw new PolicyConfigError(
          configFile ?? "(defaults)",
          `validating policy config: ${info.getName()} ${info.getVersion()}  ${reconciled.errors.join(", ")}`,
        );
      }
      await pack.configure(reconciled.config);
      return pack;
    } catch (err) {
      client.close();
      kill(spawned);
      throw err;
    }
  }

  /** Sends the reconciled config, every entry including names the pack does not have (analyzer_plugin.go Configure). */
  private async configure(config: Map<string, ReconciledPolicyConfig>): Promise<void> {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, entry] of config) {
      const policyConfig = new analyzerPb.PolicyConfig();
      policyConfig.setEnforcementlevel(levelToProto(entry.enforcementLevel));
      policyConfig.setProperties(toStruct(entry.properties ?? {}));
      request.getPolicyconfigMap().set(name, policyConfig);
    }
    await unary<unknown>((cb) => this.client.configure(request, cb));
  }

  async analyze(resource: AnalyzedResource): Promise<PolicyViolation[]> {
    const request = analyzeRequest(resource, true);
    const response = await unary<analyzerPb.AnalyzeResponse>((cb) => this.client.analyze(request, cb));
    return this.violations(response.getDiagnosticsList(), resource.urn);
  }

  /** Remediate (only policies at level `remediate` answer); an unimplemented Remediate means none. */
  async remediate(resource: AnalyzedResource): Promise<PolicyRemediation[]> {
    const request = analyzeRequest(resource, false);
    const response = await unary<analyzerPb.RemediateResponse>((cb) => this.client.remediate(request, cb));
    return response.getRemediationsList().map((r) => {
      const remediation: PolicyRemediation = {
        pack: r.getPolicypackname() || this.name,
        policy: r.getPolicyname(),
        description: r.getDescription(),
      };
      if (r.hasProperties()) remediation.properties = r.getProperties()?.toJavaScript() ?? {};
      if (r.getDiagnostic()) remediation.diagnostic = r.getDiagnostic();
      return remediation;
    });
  }

  async analyzeStack(resources: AnalyzedResource[], stackUrn: string): Promise<PolicyViolation[]> {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((r) => {
        const item = new analyzerPb.AnalyzerResource();
        item.setUrn(r.urn).setType(r.type).setName(r.name).setParent(r.parent);
        item.setProperties(toStruct(withoutInternalKeys(r.properties)));
        item.setOptions(optionsFor(r));
        item.setDependenciesList(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          if (urns.length === 0) continue; // analyzer_plugin.go marshals only non-empty property dependencies
          const deps = new analyzerPb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          item.getPropertydependenciesMap().set(key, deps);
        }
        const provider = providerFor(r);
        if (provider) item.setProvider(provider);
        return item;
      }),
    );
    const response = await unary<analyzerPb.AnalyzeResponse>((cb) => this.client.analyzeStack(request, cb));
    return this.violations(response.getDiagnosticsList(), stackUrn);
  }

  private violations(list: analyzerPb.AnalyzeDiagnostic[], fallbackUrn: string): PolicyViolation[] {
    return list.map((d) => ({
      pack: d.getPolicypackname() || this.name,
      policy: d.getPolicyname(),
      enforcementLevel: levelFromProto(d.getEnforcementlevel()),
      message: d.getMessage() || d.getDescription(),
      urn: d.getUrn() || fallbackUrn,
    }));
  }

  close(): void {
    this.client.close();
    kill(this.spawned);
  }
}

export function readPolicyPackConfig(file: string): PolicyPackConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new PolicyConfigError(file, `cannot be read (${(err as Error).message})`);
  }
  return parsePolicyPackConfig(file, text);
}
