/**
 * The state one run works on, the providers it loads and the policies it asks before a step
 * (pkg/resource/deploy: deployment.go, providers/registry.go, the analyzer calls of step_generator.go).
 */
import { randomUUID } from "node:crypto";
import type { AnalyzedResource, PolicyViolation } from "./analyzers.js";
import { unwrapSecretsInMap, type PropertyMap } from "./properties.js";
import type { Diagnostic, ResourceRecord, StepResult } from "./types.js";
import { defaultProviderUrn, packageOf, parseProviderRef, PROVIDER_TYPE_PREFIX, STACK_TYPE } from "./urn.js";
import { Semaphore, StepFailure, type DeploymentOptions, type Goal, type ProviderHandle } from "./deploymentTypes.js";

export abstract class DeploymentBase {
  readonly steps: StepResult[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Set once any step failed: no new steps are issued (step_executor.go cancels the deployment). */
  failed = false;
  /** A mandatory policy fired during preview: the preview fails once planning is done. */
  sawPolicyError = false;
  protected readonly olds = new Map<string, ResourceRecord>();
  protected readonly news = new Map<string, ResourceRecord>();
  protected readonly goals = new Map<string, Goal>();
  /** Old resources settled this run (registered again, replaced, deleted or dropped). */
  protected readonly settled = new Set<string>();
  /** Resources deleted ahead of a delete-before-replace they depend on, with the keys that forced it. */
  protected readonly condemned = new Map<string, string[]>();
  /** Old generations replaced create-before-delete, kept with `delete: true` until deleted at the end. */
  protected readonly pendingDeletes: ResourceRecord[] = [];
  /** Pending deletes an earlier run left in state: no replace step of this run accounts for them. */
  protected readonly inheritedPendingDeletes = new Set<ResourceRecord>();
  protected readonly providerHandles = new Map<string, Promise<ProviderHandle>>();
  protected readonly slots: Semaphore;
  protected readonly inFlight = new Set<Promise<unknown>>();

  constructor(protected readonly opts: DeploymentOptions) {
    for (const record of opts.olds) {
      // A `delete: true` record is an old generation a failed run left behind; it shares its URN
      // with the live resource and is deleted at the end of the next update (GenerateDeletes).
      if (record.delete) {
        this.pendingDeletes.push(record);
        this.inheritedPendingDeletes.add(record);
      } else this.olds.set(record.urn, record);
    }
    this.slots = new Semaphore(Math.max(1, opts.parallel));
  }

  get stack(): string {
    return this.opts.stack;
  }

  get project(): string {
    return this.opts.project;
  }

  /** True while a step is executing: the monitor must not be torn down under it. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** The resources a checkpoint written now would hold, in dependency order. */
  snapshot(): ResourceRecord[] {
    const records: ResourceRecord[] = [...this.news.values()];
    for (const pending of this.pendingDeletes) records.push({ ...pending, delete: true });
    for (const old of this.olds.values()) {
      if (!this.settled.has(old.urn) && !this.news.has(old.urn)) records.push(old);
    }
    return records;
  }

  stackOutputs(): PropertyMap {
    for (const record of this.news.values()) {
      if (record.type === STACK_TYPE) return record.outputs ?? {};
    }
    return {};
  }

  protected record(step: StepResult): StepResult {
    this.steps.push(step);
    return step;
  }

  protected fail(urn: string, message: string): StepFailure {
    this.failed = true;
    this.diagnostics.push({ severity: "error", message, urn });
    return new StepFailure(message, urn);
  }

  protected persist(): void {
    if (!this.opts.preview) this.opts.persist();
  }

  protected async track<T>(work: () => Promise<T>): Promise<T> {
    await this.slots.acquire();
    const promise = work();
    this.inFlight.add(promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(promise);
      this.slots.release();
    }
  }

  // ---------- providers ----------

  /** The package config handed to a default provider (pkg/resource/deploy/target.go GetPackageConfig). */
  protected packageConfig(pkg: string): PropertyMap {
    const result: PropertyMap = {};
    for (const [key, value] of Object.entries(this.opts.config ?? {})) {
      // Dynamic providers get the whole config with namespaces kept; others only their namespace, bare keys.
      if (pkg === "pulumi-nodejs") result[key] = value;
      else if (key.startsWith(`${pkg}:`)) result[key.slice(pkg.length + 1)] = value;
    }
    return result;
  }

  /**
   * The default provider of a package, registered like the engine's providers.Registry does for a
   * resource without an explicit provider: a `pulumi:providers:<pkg>::default` resource in state,
   * whose inputs are the package config and whose id survives while it stays registered.
   */
  protected defaultProvider(pkg: string): Promise<ProviderHandle> {
    let handle = this.providerHandles.get(pkg);
    if (!handle) {
      handle = (async () => {
        const urn = defaultProviderUrn(this.stack, this.project, pkg);
        const inputs = this.packageConfig(pkg);
        const old = this.olds.get(urn);
        const record: ResourceRecord = {
          urn,
          custom: true,
          id: old?.id ?? randomUUID(),
          type: `${PROVIDER_TYPE_PREFIX}${pkg}`,
          inputs,
          outputs: inputs,
        };
        const provider = await this.opts.providers.load(pkg, urn, unwrapSecretsInMap(inputs));
        this.news.set(urn, record);
        this.settled.add(urn);
        return { provider, ref: `${urn}::${record.id ?? ""}`, record };
      })();
      this.providerHandles.set(pkg, handle);
    }
    return handle;
  }

  /** The provider recorded for an existing resource (destroy, refresh, deletes): the one in state. */
  protected providerForState(record: ResourceRecord): Promise<ProviderHandle> {
    const ref = record.provider ?? "";
    let handle = this.providerHandles.get(ref);
    if (!handle) {
      handle = (async () => {
        const { urn } = parseProviderRef(ref);
        const providerRecord = this.news.get(urn) ?? this.olds.get(urn);
        if (!providerRecord) throw new Error(`provider ${ref} of ${record.urn} is missing from the state`);
        const pkg = providerRecord.type.slice(PROVIDER_TYPE_PREFIX.length);
        const inputs = this.opts.config ? this.packageConfig(pkg) : (providerRecord.inputs ?? {});
        const provider = await this.opts.providers.load(pkg, urn, unwrapSecretsInMap(inputs));
        return { provider, ref, record: providerRecord };
      })();
      this.providerHandles.set(ref, handle);
    }
    return handle;
  }

  protected async providerFor(goal: { type: string; providerRef: string }, urn: string): Promise<ProviderHandle> {
    if (goal.providerRef) {
      throw this.fail(
        urn,
        `explicit provider resources (\`provider:\` option, ${goal.providerRef}) ` +
          `are not modelled by the engine stand-in; use the default provider`,
      );
    }
    return this.defaultProvider(packageOf(goal.type));
  }

  // ---------- policies ----------

  /**
   * Policies before a step, in the engine's two passes (step_generator.go GenerateSteps): first every
   * pack's Remediate, whose results replace the inputs the step goes on with, then every pack's
   * Analyze on the remediated inputs. Answers the inputs to use and whether a mandatory violation
   * blocks the step.
   */
  protected async analyze(resource: AnalyzedResource): Promise<{ blocked: boolean; inputs: PropertyMap }> {
    const packs = await this.opts.policyPacks();
    let inputs = resource.properties;
    for (const pack of packs) {
      for (const remediation of await pack.remediate({ ...resource, properties: inputs })) {
        const policy = { pack: remediation.pack, name: remediation.policy, enforcementLevel: "remediate" };
        if (remediation.diagnostic) {
          // A remediation that could not run (e.g. an unknown during preview) is reported as advisory.
          this.diagnostics.push({
            severity: "warning",
            message: `[advisory] ${remediation.pack}/${remediation.policy}: ${remediation.diagnostic}`,
            urn: resource.urn,
            policy: { ...policy, enforcementLevel: "advisory" },
          });
        } else if (remediation.properties) {
          inputs = remediation.properties;
          this.diagnostics.push({
            severity: "info",
            message:
              `[remediate] ${remediation.pack}/${remediation.policy}: ` +
              `${remediation.description} (inputs of ${resource.name} remediated)`,
            urn: resource.urn,
            policy,
          });
        }
      }
    }
    let blocked = false;
    for (const pack of packs) {
      for (const violation of await pack.analyze({ ...resource, properties: inputs })) {
        blocked = this.reportViolation(violation) || blocked;
      }
    }
    return { blocked, inputs };
  }

  /** Records a policy diagnostic; true when it is mandatory (which blocks the step). */
  protected reportViolation(v: PolicyViolation): boolean {
    if (v.enforcementLevel === "disabled") return false;
    const mandatory = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate";
    this.diagnostics.push({
      severity: mandatory ? "error" : "warning",
      message: `[${v.enforcementLevel}] ${v.pack}/${v.policy}: ${v.message}`,
      urn: v.urn,
      policy: { pack: v.pack, name: v.policy, enforcementLevel: v.enforcementLevel },
    });
    if (!mandatory) return false;
    // A mandatory violation blocks the step during an update; a preview goes on planning and fails
    // at the end (step_generator.go: `if !preview { invalid = true }; sawError = true`).
    if (this.opts.preview) {
      this.sawPolicyError = true;
      return false;
    }
    this.failed = true;
    return true;
  }

  protected analyzed(urn: string, goal: Goal, properties: PropertyMap, provider?: ProviderHandle): AnalyzedResource {
    const resource: AnalyzedResource = {
      urn,
      type: goal.type,
      name: goal.name,
      properties,
      parent: goal.parent,
      dependencies: goal.dependencies,
      propertyDependencies: goal.propertyDependencies,
      protect: goal.protect ?? false,
      ignoreChanges: goal.ignoreChanges,
      additionalSecretOutputs: goal.additionalSecretOutputs,
    };
    if (goal.deleteBeforeReplace !== undefined) resource.deleteBeforeReplace = goal.deleteBeforeReplace;
    if (provider) {
      resource.provider = {
        urn: provider.record.urn,
        type: provider.record.type,
        name: "default",
        properties: provider.record.inputs ?? {},
      };
    }
    return resource;
  }
}
