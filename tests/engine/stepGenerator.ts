/**
 * Deciding the step for each registration (pkg/resource/deploy/step_generator.go GenerateSteps,
 * GenerateReadSteps) and answering the monitor (source_eval.go).
 */
import {
  annotateSecrets,
  applyIgnoreChanges,
  changedKeys,
  deepEqual,
  markAdditionalSecrets,
  parsePropertyPath,
  pathContains,
  unwrapSecretsInMap,
  type PropertyMap,
} from "./properties.js";
import { ProviderError, type ResourceRef } from "./providers.js";
import type { ResourceRecord, StepOp, StepResult } from "./types.js";
import { makeUrn, packageOf, PROVIDER_TYPE_PREFIX } from "./urn.js";
import {
  displayValue,
  INIT_ERROR_KEY,
  PROTECT_HINT,
  StepFailure,
  type Goal,
  type ReadGoal,
  type RegisterOutcome,
} from "./deploymentTypes.js";
import { StepExecutor } from "./stepExecutor.js";

export abstract class StepGenerator extends StepExecutor {
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
      throw this.fail(
        urn,
        `explicit provider resources (${goal.type} '${goal.name}') are not modelled by the engine stand-in; ` +
          "configure the default provider through stack config instead",
      );
    }
    this.opts.trace?.("register", urn);
    try {
      return await this.guard(urn, () =>
        this.track(() => (goal.custom ? this.registerCustom(urn, goal) : this.registerComponent(urn, goal))),
      );
    } finally {
      this.opts.trace?.("registered", urn);
    }
  }

  /**
   * Any failure of a registration fails the run at once, even one that is not a provider's answer
   * (a missing plugin, a policy pack that died): the runner then tears the monitor down instead of
   * waiting for the program, which would otherwise linger on its open channels.
   */
  protected async guard<T>(urn: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StepFailure)) throw this.fail(urn, (err as Error).message);
      this.failed = true;
      throw err;
    }
  }

  /** Components and the stack: no provider, a step by comparing inputs (step_generator.go, `prov == nil`). */
  protected async registerComponent(urn: string, goal: Goal): Promise<RegisterOutcome> {
    const old = this.oldFor(urn, goal);
    const policy = await this.analyze(this.analyzed(urn, goal, goal.inputs));
    if (policy.blocked) {
      this.record({
        op: old ? "same" : "create",
        urn,
        type: goal.type,
        name: goal.name,
        status: "failed",
        error: "blocked by a mandatory policy",
      });
      throw new StepFailure("blocked by a mandatory policy", urn);
    }
    const inputs = policy.inputs;
    const op: StepOp = !old ? "create" : deepEqual(old.inputs ?? {}, inputs) ? "same" : "update";
    const outputs = old?.outputs ?? {};
    this.news.set(urn, this.newRecord(urn, goal, undefined, inputs, outputs, undefined, old));
    this.settled.add(urn);
    this.record({
      op,
      urn,
      type: goal.type,
      name: goal.name,
      status: "ok",
      ...(op === "update" ? { diffs: changedKeys(old?.inputs ?? {}, inputs) } : {}),
    });
    this.persist();
    return { urn, id: "", outputs: {}, stables: [] };
  }

  protected async registerCustom(urn: string, goal: Goal): Promise<RegisterOutcome> {
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
          throw new ProviderError(
            `provider does not support importing resources; please try updating the '${packageOf(goal.type)}' plugin`,
          );
        }
      } catch (err) {
        step("import", "failed", { error: (err as Error).message });
        throw this.fail(
          urn,
          `failed to import resource '${goal.name}' (id ${goal.importId}): ${(err as Error).message}`,
        );
      }
      step("import", "failed", { error: "imports of this provider's resources are not modelled" });
      throw this.fail(urn, `importing ${goal.type} is not modelled by the engine stand-in`);
    }

    const news = old ? applyIgnoreChanges(goal.inputs, old.inputs ?? {}, goal.ignoreChanges) : goal.inputs;
    const check = await this.call(urn, () =>
      provider.provider.check(ref, unwrapSecretsInMap(old?.inputs ?? {}), unwrapSecretsInMap(news)),
    );
    if (check.failures.length) {
      for (const f of check.failures) {
        const message = f.property
          ? `${goal.type} resource '${goal.name}': property ${f.property} value ` +
            `{${displayValue(news[f.property])}} has a problem: ${f.reason}`
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

    if (recreating)
      return this.create(
        urn,
        goal,
        ref,
        provider,
        inputs,
        step,
        "replace",
        { diffs: recreating, deleteBeforeReplace: true },
        candidate,
      );
    if (!old) return this.create(urn, goal, ref, provider, inputs, step);
    // Deleted by a delete-before-replace whose create failed: only a create can bring it back.
    if (old.pendingReplacement) {
      return this.create(
        urn,
        goal,
        ref,
        provider,
        inputs,
        step,
        "replace",
        { diffs: changedKeys(old.inputs ?? {}, inputs), deleteBeforeReplace: true },
        old,
      );
    }

    const diff = await this.call(urn, () =>
      provider.provider.diff(
        ref,
        old.id ?? "",
        unwrapSecretsInMap(old.outputs ?? {}),
        unwrapSecretsInMap(inputs),
        unwrapSecretsInMap(old.inputs ?? {}),
        goal.ignoreChanges,
      ),
    );
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
        throw this.fail(
          urn,
          `unable to replace resource "${urn}"\nas it is currently marked for protection. ${PROTECT_HINT}`,
        );
      }
      // A replacement recomputes defaults: Check again without the old inputs.
      const recheck = await this.call(urn, () => provider.provider.check(ref, {}, unwrapSecretsInMap(goal.inputs)));
      if (recheck.failures.length) {
        step("replace", "failed", { diffs, error: "one or more inputs failed to validate" });
        throw this.fail(
          urn,
          `${goal.type} resource '${goal.name}' has check errors: ${recheck.failures.map((f) => f.reason).join("; ")}`,
        );
      }
      const replacementInputs = annotateSecrets(recheck.inputs, goal.inputs);
      return this.replace(urn, goal, ref, provider, replacementInputs, old, diffs, deleteBeforeReplace, step);
    }
    // The dynamic host forwards no key list; the CLI then shows the keys whose inputs differ (its display
    // diffs old and new inputs when a step carries no detailed diff), and so does the step here.
    if (changes === "some")
      return this.update(
        urn,
        goal,
        ref,
        provider,
        inputs,
        old,
        diffKeys.length ? diffKeys : changedKeys(old.inputs ?? {}, inputs),
        step,
      );
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
  protected oldFor(urn: string, goal: Goal): ResourceRecord | undefined {
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
    return this.guard(urn, () =>
      this.track(async () => {
        const ref: ResourceRef = { urn, type: goal.type, name: goal.name };
        const provider = await this.providerFor(goal, urn);
        const plain = unwrapSecretsInMap(goal.inputs);
        let result;
        try {
          result = await provider.provider.read(ref, goal.id, plain, plain);
        } catch (err) {
          this.record({
            op: "read",
            urn,
            type: goal.type,
            name: goal.name,
            status: "failed",
            error: (err as Error).message,
          });
          throw this.fail(urn, `reading ${goal.type} '${goal.name}' (id ${goal.id}): ${(err as Error).message}`);
        }
        if (!result.id) {
          this.record({ op: "read", urn, type: goal.type, name: goal.name, status: "failed", error: "not found" });
          throw this.fail(urn, `resource '${goal.id}' does not exist`);
        }
        const outputs = markAdditionalSecrets(
          annotateSecrets(result.properties, goal.inputs),
          goal.additionalSecretOutputs,
        );
        const record: ResourceRecord = {
          urn,
          custom: true,
          external: true,
          id: result.id,
          type: goal.type,
          inputs: goal.inputs,
          outputs,
          dependencies: goal.dependencies,
          provider: provider.ref,
        };
        if (goal.parent) record.parent = goal.parent;
        this.goals.set(urn, {
          type: goal.type,
          name: goal.name,
          parent: goal.parent,
          custom: true,
          inputs: goal.inputs,
          dependencies: goal.dependencies,
          propertyDependencies: {},
          ignoreChanges: [],
          additionalSecretOutputs: goal.additionalSecretOutputs,
          replaceOnChanges: [],
          importId: "",
          deletedWith: "",
          providerRef: goal.providerRef,
          aliases: [],
        });
        this.news.set(urn, record);
        this.settled.add(urn);
        this.record({ op: "read", urn, type: goal.type, name: goal.name, status: "ok" });
        this.persist();
        return { urn, outputs };
      }),
    );
  }
}
