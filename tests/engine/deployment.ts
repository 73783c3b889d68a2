/**
 * The heart of the stand-in: step generation and execution for one run, after the real engine's
 * pkg/resource/deploy (step_generator.go decides the step, step.go applies it, step_executor.go
 * runs independent steps in parallel and stops issuing new ones after a failure, deployment_executor.go
 * runs deletes last in reverse dependency order, source_eval.go answers the monitor).
 */
import { randomUUID } from "node:crypto";
import type { AnalyzedResource, PolicyAnalyzer, PolicyViolation } from "./analyzers.js";
import {
  annotateSecrets, applyIgnoreChanges, changedKeys, deepEqual, markAdditionalSecrets,
  parsePropertyPath, pathContains, redactForDisplay, unwrapSecretsInMap, UNKNOWN, type PropertyMap,
} from "./properties.js";
import { ProviderError, type ResourceProvider, type ResourceRef } from "./providers.js";
import type { Diagnostic, ResourceRecord, StepOp, StepResult } from "./types.js";
import {
  defaultProviderUrn, makeUrn, packageOf, parseProviderRef, parseUrn, PROVIDER_TYPE_PREFIX, STACK_TYPE,
} from "./urn.js";

/** A step failed: the run fails, what succeeded stays in state. */
export class StepFailure extends Error {
  constructor(message: string, readonly urn: string) {
    super(message);
    this.name = "StepFailure";
  }
}

/** What the program asked for in RegisterResource (the engine's "goal state"). */
export interface Goal {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  inputs: PropertyMap;
  protect?: boolean;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  replaceOnChanges: string[];
  retainOnDelete?: boolean;
  importId: string;
  deletedWith: string;
  providerRef: string;
  /** Former URNs of this resource (`aliases`, resolved to URNs by the SDK). */
  aliases: string[];
}

export interface ReadGoal {
  type: string;
  name: string;
  parent: string;
  id: string;
  inputs: PropertyMap;
  dependencies: string[];
  additionalSecretOutputs: string[];
  providerRef: string;
}

export interface RegisterOutcome { urn: string; id: string; outputs: PropertyMap; stables: string[] }

/** Where providers come from: the dynamic plugin (started once per run) and the echo fixture. */
export interface ProviderSource {
  /** The provider serving `pkg`, configured with `config` (plaintext); throws when no plugin exists. */
  load(pkg: string, providerUrn: string, config: PropertyMap): Promise<ResourceProvider>;
}

export interface DeploymentOptions {
  stack: string;
  project: string;
  preview: boolean;
  olds: ResourceRecord[];
  /** Namespaced stack config, secrets wrapped (as GetPackageConfig sees it); undefined = take providers' stored inputs. */
  config: PropertyMap | undefined;
  providers: ProviderSource;
  policyPacks: () => Promise<PolicyAnalyzer[]>;
  parallel: number;
  /** Called after every change worth persisting (never during preview). */
  persist: () => void;
  /** Timestamps of registrations (`RunOptions.trace`). */
  trace?: (kind: "register" | "registered", urn: string) => void;
}

class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** The key under which init errors take part in replaceOnChanges (`initErrorSpecialKey`). */
const INIT_ERROR_KEY = "#initerror";

const PROTECT_HINT = "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`";

interface ProviderHandle { provider: ResourceProvider; ref: string; record: ResourceRecord }

export class Deployment {
  readonly steps: StepResult[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Set once any step failed: no new steps are issued (step_executor.go cancels the deployment). */
  failed = false;
  /** A mandatory policy fired during preview: the preview fails once planning is done. */
  sawPolicyError = false;
  private readonly olds = new Map<string, ResourceRecord>();
  private readonly news = new Map<string, ResourceRecord>();
  private readonly goals = new Map<string, Goal>();
  /** Old resources settled this run (registered again, replaced, deleted or dropped). */
  private readonly settled = new Set<string>();
  /** Resources deleted ahead of a delete-before-replace they depend on, with the keys that forced it. */
  private readonly condemned = new Map<string, string[]>();
  /** Old generations replaced create-before-delete, kept with `delete: true` until deleted at the end. */
  private readonly pendingDeletes: ResourceRecord[] = [];
  /** Pending deletes an earlier run left in state: no replace step of this run accounts for them. */
  private readonly inheritedPendingDeletes = new Set<ResourceRecord>();
  private readonly providerHandles = new Map<string, Promise<ProviderHandle>>();
  private readonly slots: Semaphore;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: DeploymentOptions) {
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

  private record(step: StepResult): StepResult {
    this.steps.push(step);
    return step;
  }

  private fail(urn: string, message: string): StepFailure {
    this.failed = true;
    this.diagnostics.push({ severity: "error", message, urn });
    return new StepFailure(message, urn);
  }

  private persist(): void {
    if (!this.opts.preview) this.opts.persist();
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
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
  private packageConfig(pkg: string): PropertyMap {
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
  private defaultProvider(pkg: string): Promise<ProviderHandle> {
    let handle = this.providerHandles.get(pkg);
    if (!handle) {
      handle = (async () => {
        const urn = defaultProviderUrn(this.stack, this.project, pkg);
        const inputs = this.packageConfig(pkg);
        const old = this.olds.get(urn);
        const record: ResourceRecord = {
          urn, custom: true, id: old?.id ?? randomUUID(), type: `${PROVIDER_TYPE_PREFIX}${pkg}`,
          inputs, outputs: inputs,
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
  private providerForState(record: ResourceRecord): Promise<ProviderHandle> {
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

  private async providerFor(goal: { type: string; providerRef: string }, urn: string): Promise<ProviderHandle> {
    if (goal.providerRef) {
      throw this.fail(urn, `explicit provider resources (\`provider:\` option, ${goal.providerRef}) are not modelled by the engine stand-in; use the default provider`);
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
  private async analyze(resource: AnalyzedResource): Promise<{ blocked: boolean; inputs: PropertyMap }> {
    const packs = await this.opts.policyPacks();
    let inputs = resource.properties;
    for (const pack of packs) {
      for (const remediation of await pack.remediate({ ...resource, properties: inputs })) {
        const policy = { pack: remediation.pack, name: remediation.policy, enforcementLevel: "remediate" };
        if (remediation.diagnostic) {
          // A remediation that could not run (e.g. an unknown during preview) is reported as advisory.
          this.diagnostics.push({ severity: "warning", message: `[advisory] ${remediation.pack}/${remediation.policy}: ${remediation.diagnostic}`,
            urn: resource.urn, policy: { ...policy, enforcementLevel: "advisory" } });
        } else if (remediation.properties) {
          inputs = remediation.properties;
          this.diagnostics.push({ severity: "info", message: `[remediate] ${remediation.pack}/${remediation.policy}: ${remediation.description} (inputs of ${resource.name} remediated)`,
            urn: resource.urn, policy });
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
  private reportViolation(v: PolicyViolation): boolean {
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

  private analyzed(urn: string, goal: Goal, properties: PropertyMap, provider?: ProviderHandle): AnalyzedResource {
    const resource: AnalyzedResource = {
      urn, type: goal.type, name: goal.name, properties, parent: goal.parent,
      dependencies: goal.dependencies, propertyDependencies: goal.propertyDependencies,
      protect: goal.protect ?? false, ignoreChanges: goal.ignoreChanges,
      additionalSecretOutputs: goal.additionalSecretOutputs,
    };
    if (goal.deleteBeforeReplace !== undefined) resource.deleteBeforeReplace = goal.deleteBeforeReplace;
    if (provider) {
      resource.provider = {
        urn: provider.record.urn, type: provider.record.type, name: "default", properties: provider.record.inputs ?? {},
      };
    }
    return resource;
  }

  // ---------- RegisterResource ----------

  urnFor(type: string, name: string, parent: string): string {
    return makeUrn(this.stack, this.project, parent, type, name);
  }

  async register(goal: Goal): Promise<RegisterOutcome> {
    const urn = this.urnFor(goal.type, goal.name, goal.parent);
    if (this.goals.has(urn)) {
      throw this.fail(urn, `Duplicate resource URN '${urn}'; try giving it a unique name`);
    }
    this.goals.set(urn, goal);
    if (goal.custom && goal.type.startsWith(PROVIDER_TYPE_PREFIX)) {
      throw this.fail(urn, `explicit provider resources (${goal.type} '${goal.name}') are not modelled by the engine stand-in; ` +
        "configure the default provider through stack config instead");
    }
    this.opts.trace?.("register", urn);
    try {
      return await this.guard(urn, () => this.track(() => (goal.custom ? this.registerCustom(urn, goal) : this.registerComponent(urn, goal))));
    } finally {
      this.opts.trace?.("registered", urn);
    }
  }

  /**
   * Any failure of a registration fails the run at once, even one that is not a provider's answer
   * (a missing plugin, a policy pack that died): the runner then tears the monitor down instead of
   * waiting for the program, which would otherwise linger on its open channels.
   */
  private async guard<T>(urn: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StepFailure)) throw this.fail(urn, (err as Error).message);
      this.failed = true;
      throw err;
    }
  }

  private newRecord(urn: string, goal: Goal, id: string | undefined, inputs: PropertyMap, outputs: PropertyMap,
    providerRef: string | undefined, old: ResourceRecord | undefined): ResourceRecord {
    const now = new Date().toISOString();
    const record: ResourceRecord = { urn, custom: goal.custom, type: goal.type, inputs, outputs };
    if (goal.custom && id !== undefined) record.id = id;
    if (goal.parent) record.parent = goal.parent;
    if (goal.protect) record.protect = true;
    record.dependencies = goal.dependencies;
    if (providerRef) record.provider = providerRef;
    record.propertyDependencies = goal.propertyDependencies;
    if (goal.additionalSecretOutputs.length) record.additionalSecretOutputs = goal.additionalSecretOutputs;
    if (goal.retainOnDelete) record.retainOnDelete = true;
    if (goal.deletedWith) record.deletedWith = goal.deletedWith;
    if (goal.ignoreChanges.length) record.ignoreChanges = goal.ignoreChanges;
    if (goal.replaceOnChanges.length) record.replaceOnChanges = goal.replaceOnChanges;
    record.created = old?.created ?? now;
    record.modified = old && deepEqual(old.outputs, outputs) ? (old.modified ?? now) : now;
    return record;
  }

  /** Components and the stack: no provider, a step by comparing inputs (step_generator.go, `prov == nil`). */
  private async registerComponent(urn: string, goal: Goal): Promise<RegisterOutcome> {
    const old = this.oldFor(urn, goal);
    const policy = await this.analyze(this.analyzed(urn, goal, goal.inputs));
    if (policy.blocked) {
      this.record({ op: old ? "same" : "create", urn, type: goal.type, name: goal.name, status: "failed", error: "blocked by a mandatory policy" });
      throw new StepFailure("blocked by a mandatory policy", urn);
    }
    const inputs = policy.inputs;
    const op: StepOp = !old ? "create" : deepEqual(old.inputs ?? {}, inputs) ? "same" : "update";
    const outputs = old?.outputs ?? {};
    this.news.set(urn, this.newRecord(urn, goal, undefined, inputs, outputs, undefined, old));
    this.settled.add(urn);
    this.record({ op, urn, type: goal.type, name: goal.name, status: "ok",
      ...(op === "update" ? { diffs: changedKeys(old?.inputs ?? {}, inputs) } : {}) });
    this.persist();
    return { urn, id: "", outputs: {}, stables: [] };
  }

  private async registerCustom(urn: string, goal: Goal): Promise<RegisterOutcome> {
    const ref: ResourceRef = { urn, type: goal.type, name: goal.name };
    const step = (op: StepOp, status: StepResult["status"], extra: Partial<StepResult> = {}): StepResult =>
      this.record({ op, urn, type: goal.type, name: goal.name, status, ...extra });
    const provider = await this.providerFor(goal, urn);
    const candidate = this.oldFor(urn, goal);
    // Taken down ahead of a delete-before-replace it depends on: coming back is its replacement.
    const recreating = this.condemned.get(urn);
    const old = candidate && !candidate.external && !recreating ? candidate : undefined;

    // `import:` of something not already in state: ImportStep reads by id alone, with no inputs and
    // no state (pkg/resource/deploy/step.go ImportStep.Apply). The dynamic plugin cannot serve that
    // (it needs `__provider` from the properties), so this fails exactly as in real Pulumi.
    if (goal.importId && !(old && old.id === goal.importId)) {
      try {
        const read = await provider.provider.read(ref, goal.importId, undefined, undefined);
        if (!read.inputs) {
          throw new ProviderError(`provider does not support importing resources; please try updating the '${packageOf(goal.type)}' plugin`);
        }
      } catch (err) {
        step("import", "failed", { error: (err as Error).message });
        throw this.fail(urn, `failed to import resource '${goal.name}' (id ${goal.importId}): ${(err as Error).message}`);
      }
      step("import", "failed", { error: "imports of this provider's resources are not modelled" });
      throw this.fail(urn, `importing ${goal.type} is not modelled by the engine stand-in`);
    }

    const news = old ? applyIgnoreChanges(goal.inputs, old.inputs ?? {}, goal.ignoreChanges) : goal.inputs;
    const check = await this.call(urn, () => provider.provider.check(ref, unwrapSecretsInMap(old?.inputs ?? {}), unwrapSecretsInMap(news)));
    if (check.failures.length) {
      for (const f of check.failures) {
        const message = f.property
          ? `${goal.type} resource '${goal.name}': property ${f.property} value {${displayValue(news[f.property])}} has a problem: ${f.reason}`
          : `${goal.type} resource '${goal.name}' has a problem: ${f.reason}`;
        this.diagnostics.push({ severity: "error", message, urn });
      }
      step(old ? "update" : "create", "failed", { error: "one or more inputs failed to validate" });
      this.failed = true;
      throw new StepFailure(`${goal.type} resource '${goal.name}': one or more inputs failed to validate`, urn);
    }
    const policy = await this.analyze(this.analyzed(urn, goal, annotateSecrets(check.inputs, news), provider));
    if (policy.blocked) {
      step(old ? "update" : "create", "failed", { error: "blocked by a mandatory policy" });
      throw new StepFailure("blocked by a mandatory policy", urn);
    }
    const inputs = policy.inputs;

    if (recreating) return this.create(urn, goal, ref, provider, inputs, step, "replace", { diffs: recreating, deleteBeforeReplace: true }, candidate);
    if (!old) return this.create(urn, goal, ref, provider, inputs, step);
    // Deleted by a delete-before-replace whose create failed: only a create can bring it back.
    if (old.pendingReplacement) {
      return this.create(urn, goal, ref, provider, inputs, step, "replace", { diffs: changedKeys(old.inputs ?? {}, inputs), deleteBeforeReplace: true }, old);
    }

    const diff = await this.call(urn, () => provider.provider.diff(ref, old.id ?? "", unwrapSecretsInMap(old.outputs ?? {}),
      unwrapSecretsInMap(inputs), unwrapSecretsInMap(old.inputs ?? {}), goal.ignoreChanges));
    let changes = diff.changes;
    let diffKeys = diff.diffs;
    if (changes === "unknown") {
      // diffResource in step_generator.go: an unknown answer falls back to comparing inputs.
      diffKeys = changedKeys(old.inputs ?? {}, inputs);
      changes = diffKeys.length ? "some" : "none";
    }
    const replaceKeys = new Set(diff.replaces);
    const patterns = goal.replaceOnChanges.map(parsePropertyPath);
    if (changes === "some") {
      // applyReplaceOnChanges (step_generator.go): only keys the diff reported as changed can trigger it.
      for (const key of diffKeys) {
        if (patterns.some((p) => pathContains(p, parsePropertyPath(key)))) replaceKeys.add(key);
      }
    }
    // ... and init errors count as a change of the special key `#initerror`.
    if (old.initErrors?.length && patterns.some((p) => pathContains(p, [INIT_ERROR_KEY]))) {
      replaceKeys.add(INIT_ERROR_KEY);
      changes = "some";
    }
    if (replaceKeys.size > 0) {
      // The option, when set either way, overrides the provider's wish (generateStepsFromDiff).
      const deleteBeforeReplace = goal.deleteBeforeReplace ?? diff.deleteBeforeReplace;
      const diffs = [...replaceKeys, ...diffKeys.filter((k) => !replaceKeys.has(k))];
      // Unprotecting and replacing in one update is allowed: both old and new must be protected to refuse.
      if (old.protect && goal.protect) {
        step("replace", "failed", { diffs, error: "protected" });
        throw this.fail(urn, `unable to replace resource "${urn}"\nas it is currently marked for protection. ${PROTECT_HINT}`);
      }
      // A replacement recomputes defaults: Check again without the old inputs.
      const recheck = await this.call(urn, () => provider.provider.check(ref, {}, unwrapSecretsInMap(goal.inputs)));
      if (recheck.failures.length) {
        step("replace", "failed", { diffs, error: "one or more inputs failed to validate" });
        throw this.fail(urn, `${goal.type} resource '${goal.name}' has check errors: ${recheck.failures.map((f) => f.reason).join("; ")}`);
      }
      const replacementInputs = annotateSecrets(recheck.inputs, goal.inputs);
      return this.replace(urn, goal, ref, provider, replacementInputs, old, diffs, deleteBeforeReplace, step);
    }
    // The dynamic host forwards no key list; the CLI then shows the keys whose inputs differ (its display
    // diffs old and new inputs when a step carries no detailed diff), and so does the step here.
    if (changes === "some") return this.update(urn, goal, ref, provider, inputs, old, diffKeys.length ? diffKeys : changedKeys(old.inputs ?? {}, inputs), step);
    // Unchanged but still failing to initialize: an empty update lets the provider try again
    // (generateStepsFromDiff: "attempt to continue awaiting initialization").
    if (old.initErrors?.length) return this.update(urn, goal, ref, provider, inputs, old, [], step);

    // Same: new inputs, old outputs (SameStep keeps the provider's last word).
    const outputs = old.outputs ?? {};
    this.news.set(urn, this.newRecord(urn, goal, old.id, inputs, outputs, provider.ref, old));
    this.settled.add(urn);
    step("same", "ok");
    this.persist();
    return { urn, id: old.id ?? "", outputs, stables: [] };
  }

  /**
   * The old state of a registration: by its URN, else by the first alias that names an old
   * resource not claimed yet (step_generator.go: the aliased resource is this one, not a delete).
   */
  private oldFor(urn: string, goal: Goal): ResourceRecord | undefined {
    const direct = this.olds.get(urn);
    if (direct) return direct;
    for (const alias of goal.aliases) {
      const old = this.olds.get(alias);
      if (old && !this.settled.has(alias) && !this.goals.has(alias)) {
        this.settled.add(alias);
        return old;
      }
    }
    return undefined;
  }

  /** Runs a provider call; a failure becomes the step's error diagnostic and cancels the run. */
  private async call<T>(urn: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.fail(urn, (err as Error).message);
    }
  }

  private secretOutputs(outputs: PropertyMap, inputs: PropertyMap, goal: Goal): PropertyMap {
    return markAdditionalSecrets(annotateSecrets(outputs, inputs), goal.additionalSecretOutputs);
  }

  private async create(urn: string, goal: Goal, ref: ResourceRef, provider: ProviderHandle, inputs: PropertyMap,
    step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult,
    op: StepOp = "create", extra: Partial<StepResult> = {}, old?: ResourceRecord, condemnsOld = false): Promise<RegisterOutcome> {
    /** The replacement exists: the old generation becomes a pending delete (CreateStep.Apply). */
    const condemnOld = (): void => {
      if (condemnsOld && old) this.pendingDeletes.push(old);
    };
    if (this.opts.preview) {
      // The dynamic host does not support preview: no Create; outputs are the inputs, the rest unknown.
      step(op, "ok", extra);
      this.news.set(urn, this.newRecord(urn, goal, "", inputs, inputs, provider.ref, old));
      return { urn, id: "", outputs: inputs, stables: [] };
    }
    let created: { id: string; properties: PropertyMap };
    try {
      created = await provider.provider.create(ref, unwrapSecretsInMap(inputs));
    } catch (err) {
      const init = err instanceof ProviderError ? err.initFailure : undefined;
      if (init?.id) {
        // ErrorResourceInitFailed: the resource exists but is unhealthy; the engine keeps it with initErrors.
        const record = this.newRecord(urn, goal, init.id, inputs, this.secretOutputs(init.properties, inputs, goal), provider.ref, old);
        record.initErrors = init.reasons.length ? init.reasons : [(err as Error).message];
        this.news.set(urn, record);
        this.settled.add(urn);
        condemnOld();
        this.persist();
      }
      step(op, "failed", { ...extra, error: (err as Error).message });
      throw this.fail(urn, (err as Error).message);
    }
    if (!created.id) {
      step(op, "failed", { ...extra, error: "provider returned an empty id" });
      throw this.fail(urn, `provider for ${goal.type} returned an empty id from create`);
    }
    const outputs = this.secretOutputs(created.properties, inputs, goal);
    this.news.set(urn, this.newRecord(urn, goal, created.id, inputs, outputs, provider.ref, old));
    this.settled.add(urn);
    condemnOld();
    step(op, "ok", extra);
    this.persist();
    return { urn, id: created.id, outputs, stables: [] };
  }

  private async update(urn: string, goal: Goal, ref: ResourceRef, provider: ProviderHandle, inputs: PropertyMap,
    old: ResourceRecord, diffs: string[], step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult): Promise<RegisterOutcome> {
    if (this.opts.preview) {
      step("update", "ok", { diffs });
      this.news.set(urn, this.newRecord(urn, goal, old.id, inputs, inputs, provider.ref, old));
      return { urn, id: old.id ?? "", outputs: inputs, stables: [] };
    }
    let properties: PropertyMap;
    try {
      properties = await provider.provider.update(ref, old.id ?? "", unwrapSecretsInMap(old.outputs ?? {}),
        unwrapSecretsInMap(inputs), unwrapSecretsInMap(old.inputs ?? {}), goal.ignoreChanges);
    } catch (err) {
      const init = err instanceof ProviderError ? err.initFailure : undefined;
      if (init) {
        // Updated but unhealthy: keep the new state with its init errors (UpdateStep.Apply).
        const record = this.newRecord(urn, goal, old.id, inputs, this.secretOutputs(init.properties, inputs, goal), provider.ref, old);
        record.initErrors = init.reasons.length ? init.reasons : [(err as Error).message];
        this.news.set(urn, record);
        this.settled.add(urn);
        this.persist();
      }
      step("update", "failed", { diffs, error: (err as Error).message });
      throw this.fail(urn, (err as Error).message);
    }
    const outputs = this.secretOutputs(properties, inputs, goal);
    this.news.set(urn, this.newRecord(urn, goal, old.id, inputs, outputs, provider.ref, old));
    this.settled.add(urn);
    step("update", "ok", { diffs });
    this.persist();
    return { urn, id: old.id ?? "", outputs, stables: [] };
  }

  /**
   * Replace: create-before-delete by default (once the replacement exists, the old generation stays
   * in state with `delete: true` and is deleted with the other deletes at the end); delete-before-
   * replace when the provider or the `deleteBeforeReplace` option asks, after taking down the
   * dependents that would have to be replaced with it (condemnDependents).
   */
  private async replace(urn: string, goal: Goal, ref: ResourceRef, provider: ProviderHandle, inputs: PropertyMap,
    old: ResourceRecord, diffs: string[], deleteBeforeReplace: boolean,
    step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult): Promise<RegisterOutcome> {
    const extra: Partial<StepResult> = { diffs, deleteBeforeReplace };
    if (deleteBeforeReplace) await this.condemnDependents(old);
    if (this.opts.preview) return this.create(urn, goal, ref, provider, inputs, step, "replace", extra, old);
    if (deleteBeforeReplace) {
      // Already deleted by an earlier run whose create failed: nothing to delete (GenerateDeletes
      // issues no DeleteStep for a pendingReplacement resource).
      if (!old.retainOnDelete && !old.pendingReplacement) {
        try {
          const oldProvider = old.provider ? await this.providerForState(old) : provider;
          await oldProvider.provider.delete(ref, old.id ?? "", unwrapSecretsInMap(old.outputs ?? {}), unwrapSecretsInMap(old.inputs ?? {}));
        } catch (err) {
          step("replace", "failed", { ...extra, error: (err as Error).message });
          throw this.fail(urn, (err as Error).message);
        }
      }
      // Deleted, not yet created again: the old record stays flagged until the create succeeds, so a
      // failed create leaves it in the state (step.go DeleteStep.Apply sets PendingReplacement only
      // after the provider's delete succeeded).
      this.settled.add(urn);
      this.news.set(urn, { ...old, pendingReplacement: true });
      this.persist();
      return this.create(urn, goal, ref, provider, inputs, step, "replace", extra, old);
    }
    // Create-before-delete: the old generation is condemned by the create itself, once the
    // replacement exists (or exists but failed to initialize). If the create fails, the old one
    // stays live and untouched. pkg/resource/deploy/step.go CreateStep.Apply (pulumi/pulumi
    // 004205f2): an error that is not StatusPartialFailure returns before
    // `if s.replacing && s.pendingDelete { s.old.Delete = true }`.
    return this.create(urn, goal, ref, provider, inputs, step, "replace", extra, old, true);
  }

  /**
   * Before a delete-before-replace, the resources that would have to be replaced because of it are
   * deleted first, dependents before their dependencies (generateStepsFromDiff +
   * calculateDependentReplacements in step_generator.go): a dependent qualifies when its provider
   * is being replaced, or when its provider's Diff, given unknowns for every input that depends on
   * a condemned resource, asks for a replacement. Preview only marks them.
   */
  private async condemnDependents(root: ResourceRecord): Promise<void> {
    const condemnedHere = new Set([root.urn]);
    const dependentSet = new Set([root.urn]);
    const replacements: { record: ResourceRecord; keys: string[] }[] = [];
    for (const record of this.olds.values()) {
      // Already registered this run means it no longer depends on the root (an "impossible dependent").
      if (record.urn === root.urn || record.delete || this.goals.has(record.urn) || this.condemned.has(record.urn)) continue;
      if (![...dependentSet].some((urn) => dependsOnUrn(record, urn))) continue;
      dependentSet.add(record.urn);
      const keys = await this.requiresReplacement(record, condemnedHere);
      if (keys) {
        condemnedHere.add(record.urn);
        replacements.push({ record, keys });
      }
    }
    for (const { record, keys } of replacements.reverse()) {
      const { type, name } = parseUrn(record.urn);
      if (!this.opts.preview && !record.retainOnDelete && !record.pendingReplacement) {
        try {
          const provider = await this.providerForState(record);
          await provider.provider.delete({ urn: record.urn, type, name }, record.id ?? "",
            unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(record.inputs ?? {}));
        } catch (err) {
          this.record({ op: "delete", urn: record.urn, type, name, status: "failed", error: (err as Error).message });
          throw this.fail(record.urn, (err as Error).message);
        }
      }
      this.condemned.set(record.urn, keys);
      this.settled.add(record.urn);
      this.persist();
    }
  }

  /** The keys forcing a replacement of `record` when everything in `condemned` is replaced, or undefined. */
  private async requiresReplacement(record: ResourceRecord, condemned: ReadonlySet<string>): Promise<string[] | undefined> {
    if (!record.custom || record.external) return undefined;
    if (record.provider && condemned.has(parseProviderRef(record.provider).urn)) return [];
    let affected = false;
    const inputsForDiff: PropertyMap = {};
    for (const [key, value] of Object.entries(record.inputs ?? {})) {
      const dependsOnCondemned = (record.propertyDependencies?.[key] ?? []).some((urn) => condemned.has(urn));
      affected ||= dependsOnCondemned;
      inputsForDiff[key] = dependsOnCondemned ? UNKNOWN : value;
    }
    if (!affected) return undefined;
    const { type, name } = parseUrn(record.urn);
    const provider = await this.providerForState(record);
    const diff = await this.call(record.urn, () => provider.provider.diff({ urn: record.urn, type, name }, record.id ?? "",
      unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(inputsForDiff), unwrapSecretsInMap(record.inputs ?? {}), []));
    return diff.replaces.length > 0 ? diff.replaces : undefined;
  }

  // ---------- RegisterResourceOutputs ----------

  registerOutputs(urn: string, outputs: PropertyMap): void {
    const record = this.news.get(urn);
    if (!record) return;
    record.outputs = outputs;
    this.persist();
  }

  // ---------- ReadResource (`X.get`, `opts.id`) ----------

  /** ReadStep (step.go): Read with the given properties as inputs and state; the result is `external`. */
  async read(goal: ReadGoal): Promise<{ urn: string; outputs: PropertyMap }> {
    const urn = this.urnFor(goal.type, goal.name, goal.parent);
    return this.guard(urn, () => this.track(async () => {
      const ref: ResourceRef = { urn, type: goal.type, name: goal.name };
      const provider = await this.providerFor(goal, urn);
      const plain = unwrapSecretsInMap(goal.inputs);
      let result;
      try {
        result = await provider.provider.read(ref, goal.id, plain, plain);
      } catch (err) {
        this.record({ op: "read", urn, type: goal.type, name: goal.name, status: "failed", error: (err as Error).message });
        throw this.fail(urn, `reading ${goal.type} '${goal.name}' (id ${goal.id}): ${(err as Error).message}`);
      }
      if (!result.id) {
        this.record({ op: "read", urn, type: goal.type, name: goal.name, status: "failed", error: "not found" });
        throw this.fail(urn, `resource '${goal.id}' does not exist`);
      }
      const outputs = markAdditionalSecrets(annotateSecrets(result.properties, goal.inputs), goal.additionalSecretOutputs);
      const record: ResourceRecord = {
        urn, custom: true, external: true, id: result.id, type: goal.type, inputs: goal.inputs, outputs,
        dependencies: goal.dependencies, provider: provider.ref,
      };
      if (goal.parent) record.parent = goal.parent;
      this.goals.set(urn, {
        type: goal.type, name: goal.name, parent: goal.parent, custom: true, inputs: goal.inputs, dependencies: goal.dependencies,
        propertyDependencies: {}, ignoreChanges: [], additionalSecretOutputs: goal.additionalSecretOutputs, replaceOnChanges: [],
        importId: "", deletedWith: "", providerRef: goal.providerRef, aliases: [],
      });
      this.news.set(urn, record);
      this.settled.add(urn);
      this.record({ op: "read", urn, type: goal.type, name: goal.name, status: "ok" });
      this.persist();
      return { urn, outputs };
    }));
  }

  // ---------- end of an update: deletes and stack policies ----------

  /**
   * After the program finished well: delete what it no longer declares and the old generations of
   * replaced resources, in reverse dependency order, independent ones in parallel
   * (deployment_executor.go + step_generator.go GenerateDeletes / ScheduleDeletes).
   */
  async finishUpdate(): Promise<void> {
    // Taken down for a delete-before-replace and not declared again: that was their delete.
    for (const urn of this.condemned.keys()) {
      if (!this.goals.has(urn)) {
        const { type, name } = parseUrn(urn);
        this.record({ op: "delete", urn, type, name, status: "ok" });
      }
    }
    const removed = [...this.olds.values()].filter((r) => !this.settled.has(r.urn) && !this.news.has(r.urn));
    await this.deleteAll([...removed, ...this.pendingDeletes]);
  }

  async analyzeStack(): Promise<void> {
    const packs = await this.opts.policyPacks();
    if (packs.length === 0) return;
    const stackUrn = [...this.news.values()].find((r) => r.type === STACK_TYPE)?.urn ?? "";
    const resources: AnalyzedResource[] = [];
    for (const record of this.news.values()) {
      // Provider resources take part too (analyzer_plugin.go AnalyzeStack sends every resource of the snapshot).
      if (record.type.startsWith(PROVIDER_TYPE_PREFIX)) {
        const { name } = parseUrn(record.urn);
        resources.push({ urn: record.urn, type: record.type, name, properties: record.outputs ?? {}, parent: record.parent ?? "",
          dependencies: record.dependencies ?? [], propertyDependencies: {}, protect: record.protect ?? false, ignoreChanges: [],
          additionalSecretOutputs: [] });
        continue;
      }
      const goal = this.goals.get(record.urn);
      if (!goal) continue;
      const resource = this.analyzed(record.urn, goal, record.outputs ?? {});
      resource.protect = record.protect ?? false;
      if (record.provider) {
        const providerRecord = this.news.get(parseProviderRef(record.provider).urn);
        if (providerRecord) {
          resource.provider = { urn: providerRecord.urn, type: providerRecord.type, name: "default", properties: providerRecord.inputs ?? {} };
        }
      }
      resources.push(resource);
    }
    for (const pack of packs) {
      for (const violation of await pack.analyzeStack(resources, stackUrn)) this.reportViolation(violation);
    }
  }

  /** `destroy`: every resource in state, dependents first. */
  async destroyAll(): Promise<void> {
    await this.deleteAll([...this.olds.values(), ...this.pendingDeletes]);
  }

  private async deleteAll(targets: ResourceRecord[]): Promise<void> {
    const pendingSet = new Set(this.pendingDeletes);
    let remaining = targets.filter((r) => !r.type.startsWith(PROVIDER_TYPE_PREFIX));
    const providers = targets.filter((r) => r.type.startsWith(PROVIDER_TYPE_PREFIX));
    const deleting = new Set(remaining.filter((r) => !pendingSet.has(r)).map((r) => r.urn));
    while (remaining.length > 0 && !this.failed) {
      // A resource can go once nothing else still to be deleted depends on it.
      const blocked = new Set<ResourceRecord>();
      for (const candidate of remaining) {
        for (const other of remaining) {
          if (other !== candidate && dependsOn(other, candidate)) blocked.add(candidate);
        }
      }
      const wave = remaining.filter((r) => !blocked.has(r));
      if (wave.length === 0) throw new Error("dependency cycle among resources to delete");
      await Promise.all(wave.map((record) => this.track(() => this.deleteOne(record, pendingSet.has(record), deleting))
        .catch(() => undefined)));
      remaining = remaining.filter((r) => !wave.includes(r));
    }
    if (!this.failed) {
      for (const provider of providers) {
        const stillUsed = [...this.news.values()].some((r) => r.provider && parseProviderRef(r.provider).urn === provider.urn);
        if (!stillUsed) {
          this.settled.add(provider.urn);
          this.news.delete(provider.urn);
        }
      }
      this.persist();
    }
  }

  /**
   * Deletes one resource. The old generation of a replacement made in this run is reported only when
   * its delete fails (its replace step says the rest); one inherited from an earlier run is a step of
   * its own, as the engine shows its DeleteReplacementStep. Pending deletes skip the protect check
   * (step.go DeleteStep.Apply: `!s.replacing && s.old.Protect`), not retainOnDelete.
   */
  private async deleteOne(record: ResourceRecord, isPendingReplace: boolean, deleting: ReadonlySet<string>): Promise<void> {
    const { type, name } = parseUrn(record.urn);
    const step = (status: StepResult["status"], error?: string): void => {
      if (!isPendingReplace || status === "failed" || this.inheritedPendingDeletes.has(record)) {
        this.record({ op: "delete", urn: record.urn, type, name, status, ...(error ? { error } : {}) });
      }
    };
    const forget = (): void => {
      if (isPendingReplace) this.pendingDeletes.splice(this.pendingDeletes.indexOf(record), 1);
      this.settled.add(record.urn);
      if (!isPendingReplace && this.news.get(record.urn) === record) this.news.delete(record.urn);
      this.persist();
    };
    if (record.protect && !isPendingReplace && !record.pendingReplacement) {
      step("failed", "protected");
      throw this.fail(record.urn, `unable to delete resource "${record.urn}"\nas it is currently marked for protection. ${PROTECT_HINT}`);
    }
    // External (read) resources are only forgotten; retainOnDelete skips the provider (step.go
    // DeleteStep), and so does deletedWith when the resource it goes with is deleted in this run.
    const goesWithAnother = record.deletedWith !== undefined && deleting.has(record.deletedWith);
    // A pendingReplacement resource is already gone: RemovePendingReplaceStep (step_generator.go
    // GenerateDeletes) only drops the record.
    if (!record.custom || record.external || record.retainOnDelete || goesWithAnother || record.pendingReplacement) {
      forget();
      if (!record.external) step("ok");
      return;
    }
    try {
      const provider = await this.providerForState(record);
      await provider.provider.delete({ urn: record.urn, type, name }, record.id ?? "",
        unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(record.inputs ?? {}));
    } catch (err) {
      step("failed", (err as Error).message);
      throw this.fail(record.urn, (err as Error).message);
    }
    forget();
    step("ok");
  }

  // ---------- refresh ----------

  /** `refresh`: Read every resource; an empty id drops it; returned inputs replace the stored ones (RefreshStep). */
  async refreshAll(): Promise<void> {
    for (const record of this.olds.values()) this.news.set(record.urn, record);
    // Pending-replace resources never change with a refresh (RefreshStep.Apply).
    const targets = [...this.olds.values()].filter((r) => r.custom && !r.type.startsWith(PROVIDER_TYPE_PREFIX) && !r.delete && !r.pendingReplacement);
    await Promise.all(targets.map((record) => this.track(() => this.refreshOne(record)).catch(() => undefined)));
    this.persist();
  }

  /**
   * RefreshStep.Apply (step.go): Read with the stored inputs and outputs. A partial failure does not fail
   * the refresh: it warns and keeps the Read's init errors, and a clean Read clears old ones. For a
   * resource the program manages, the step's changes come from the provider's Diff run backwards
   * (`diffResource` with the refreshed inputs and outputs as the olds and the stored inputs as the news,
   * then inverted); for an external one, from comparing outputs.
   */
  private async refreshOne(record: ResourceRecord): Promise<void> {
    const { type, name } = parseUrn(record.urn);
    const ref: ResourceRef = { urn: record.urn, type, name };
    const failed = (err: unknown): StepFailure => {
      this.record({ op: "refresh", urn: record.urn, type, name, status: "failed", error: (err as Error).message });
      return this.fail(record.urn, (err as Error).message);
    };
    let result;
    let initErrors: string[] | undefined;
    let provider: ProviderHandle;
    try {
      provider = await this.providerForState(record);
    } catch (err) {
      throw failed(err);
    }
    try {
      result = await provider.provider.read(ref, record.id ?? "",
        unwrapSecretsInMap(record.inputs ?? {}), unwrapSecretsInMap(record.outputs ?? {}));
    } catch (err) {
      const init = err instanceof ProviderError ? err.initFailure : undefined;
      if (!init) throw failed(err);
      initErrors = init.reasons.length ? init.reasons : [(err as Error).message];
      this.diagnostics.push({ severity: "warning", urn: record.urn,
        message: `Refreshed resource is in an unhealthy state:\n* ${initErrors.join("\n* ")}` });
      result = { id: init.id || (record.id ?? ""), properties: init.properties };
    }
    if (!result.id) {
      this.news.delete(record.urn);
      this.settled.add(record.urn);
      this.record({ op: "delete", urn: record.urn, type, name, status: "ok" });
      this.persist();
      return;
    }
    const outputs = annotateSecrets(result.properties, record.outputs ?? {});
    const inputs = result.inputs ? annotateSecrets(result.inputs, record.inputs ?? {}) : (record.inputs ?? {});
    let diffs: string[];
    if (record.external) {
      diffs = changedKeys(unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(outputs));
    } else {
      const oldInputs = record.inputs ?? {};
      let diff;
      try {
        diff = await provider.provider.diff(ref, result.id, unwrapSecretsInMap(outputs), unwrapSecretsInMap(oldInputs),
          unwrapSecretsInMap(inputs), record.ignoreChanges ?? []);
      } catch (err) {
        throw failed(err);
      }
      diffs = diff.changes === "unknown" ? changedKeys(inputs, oldInputs) : diff.changes === "some" ? diff.diffs : [];
      if (diff.changes === "some" && diffs.length === 0) diffs = changedKeys(inputs, oldInputs);
    }
    const { initErrors: _cleared, ...kept } = record;
    const refreshed: ResourceRecord = { ...kept, id: result.id, inputs, outputs, ...(initErrors ? { initErrors } : {}) };
    const changed = !deepEqual(unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(outputs)) ||
      !deepEqual(unwrapSecretsInMap(record.inputs ?? {}), unwrapSecretsInMap(inputs));
    if (changed) refreshed.modified = new Date().toISOString();
    this.news.set(record.urn, refreshed);
    this.record({ op: "refresh", urn: record.urn, type, name, status: "ok", diffs });
    this.persist();
  }
}

/** A property value in a message: never a secret's plaintext (the engine prints `[secret]`). */
function displayValue(value: unknown): string {
  return JSON.stringify(redactForDisplay(value)) ?? "undefined";
}

/** Whether `dependent` must be deleted before `dependency` (dependencies, parent, property deps, deletedWith). */
function dependsOn(dependent: ResourceRecord, dependency: ResourceRecord): boolean {
  if (dependent.urn === dependency.urn) return false;
  return dependent.parent === dependency.urn || dependsOnUrn(dependent, dependency.urn);
}

/** A dependency edge other than parenthood (graph.DependingOn without children): dependencies,
 *  property dependencies, deletedWith, provider. */
function dependsOnUrn(dependent: ResourceRecord, urn: string): boolean {
  if (dependent.dependencies?.includes(urn) || dependent.deletedWith === urn) return true;
  if (dependent.provider && parseProviderRef(dependent.provider).urn === urn) return true;
  return Object.values(dependent.propertyDependencies ?? {}).some((urns) => urns.includes(urn));
}

