/**
 * Applying the step the generator chose (pkg/resource/deploy/step.go: CreateStep, UpdateStep,
 * ReplaceStep.Apply), with the dependents a delete-before-replace condemns.
 */
import {
  annotateSecrets,
  deepEqual,
  markAdditionalSecrets,
  unwrapSecretsInMap,
  UNKNOWN,
  type PropertyMap,
} from "./properties.js";
import { ProviderError, type ResourceRef } from "./providers.js";
import type { ResourceRecord, StepOp, StepResult } from "./types.js";
import { parseProviderRef, parseUrn } from "./urn.js";
import { dependsOnUrn, type Goal, type ProviderHandle, type RegisterOutcome } from "./deploymentTypes.js";
import { DeploymentBase } from "./deploymentBase.js";

export abstract class StepExecutor extends DeploymentBase {
  protected newRecord(
    urn: string,
    goal: Goal,
    id: string | undefined,
    inputs: PropertyMap,
    outputs: PropertyMap,
    providerRef: string | undefined,
    old: ResourceRecord | undefined,
  ): ResourceRecord {
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

  /** Runs a provider call; a failure becomes the step's error diagnostic and cancels the run. */
  protected async call<T>(urn: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.fail(urn, (err as Error).message);
    }
  }

  protected secretOutputs(outputs: PropertyMap, inputs: PropertyMap, goal: Goal): PropertyMap {
    return markAdditionalSecrets(annotateSecrets(outputs, inputs), goal.additionalSecretOutputs);
  }

  protected async create(
    urn: string,
    goal: Goal,
    ref: ResourceRef,
    provider: ProviderHandle,
    inputs: PropertyMap,
    step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult,
    op: StepOp = "create",
    extra: Partial<StepResult> = {},
    old?: ResourceRecord,
    condemnsOld = false,
  ): Promise<RegisterOutcome> {
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
        const record = this.newRecord(
          urn,
          goal,
          init.id,
          inputs,
          this.secretOutputs(init.properties, inputs, goal),
          provider.ref,
          old,
        );
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

  protected async update(
    urn: string,
    goal: Goal,
    ref: ResourceRef,
    provider: ProviderHandle,
    inputs: PropertyMap,
    old: ResourceRecord,
    diffs: string[],
    step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult,
  ): Promise<RegisterOutcome> {
    if (this.opts.preview) {
      step("update", "ok", { diffs });
      this.news.set(urn, this.newRecord(urn, goal, old.id, inputs, inputs, provider.ref, old));
      return { urn, id: old.id ?? "", outputs: inputs, stables: [] };
    }
    let properties: PropertyMap;
    try {
      properties = await provider.provider.update(
        ref,
        old.id ?? "",
        unwrapSecretsInMap(old.outputs ?? {}),
        unwrapSecretsInMap(inputs),
        unwrapSecretsInMap(old.inputs ?? {}),
        goal.ignoreChanges,
      );
    } catch (err) {
      const init = err instanceof ProviderError ? err.initFailure : undefined;
      if (init) {
        // Updated but unhealthy: keep the new state with its init errors (UpdateStep.Apply).
        const record = this.newRecord(
          urn,
          goal,
          old.id,
          inputs,
          this.secretOutputs(init.properties, inputs, goal),
          provider.ref,
          old,
        );
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
  protected async replace(
    urn: string,
    goal: Goal,
    ref: ResourceRef,
    provider: ProviderHandle,
    inputs: PropertyMap,
    old: ResourceRecord,
    diffs: string[],
    deleteBeforeReplace: boolean,
    step: (op: StepOp, status: StepResult["status"], extra?: Partial<StepResult>) => StepResult,
  ): Promise<RegisterOutcome> {
    const extra: Partial<StepResult> = { diffs, deleteBeforeReplace };
    if (deleteBeforeReplace) await this.condemnDependents(old);
    if (this.opts.preview) return this.create(urn, goal, ref, provider, inputs, step, "replace", extra, old);
    if (deleteBeforeReplace) {
      // Already deleted by an earlier run whose create failed: nothing to delete (GenerateDeletes
      // issues no DeleteStep for a pendingReplacement resource).
      if (!old.retainOnDelete && !old.pendingReplacement) {
        try {
          const oldProvider = old.provider ? await this.providerForState(old) : provider;
          await oldProvider.provider.delete(
            ref,
            old.id ?? "",
            unwrapSecretsInMap(old.outputs ?? {}),
            unwrapSecretsInMap(old.inputs ?? {}),
          );
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
  protected async condemnDependents(root: ResourceRecord): Promise<void> {
    const condemnedHere = new Set([root.urn]);
    const dependentSet = new Set([root.urn]);
    const replacements: { record: ResourceRecord; keys: string[] }[] = [];
    for (const record of this.olds.values()) {
      // Already registered this run means it no longer depends on the root (an "impossible dependent").
      if (record.urn === root.urn || record.delete || this.goals.has(record.urn) || this.condemned.has(record.urn))
        continue;
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
          await provider.provider.delete(
            { urn: record.urn, type, name },
            record.id ?? "",
            unwrapSecretsInMap(record.outputs ?? {}),
            unwrapSecretsInMap(record.inputs ?? {}),
          );
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
  protected async requiresReplacement(
    record: ResourceRecord,
    condemned: ReadonlySet<string>,
  ): Promise<string[] | undefined> {
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
    const diff = await this.call(record.urn, () =>
      provider.provider.diff(
        { urn: record.urn, type, name },
        record.id ?? "",
        unwrapSecretsInMap(record.outputs ?? {}),
        unwrapSecretsInMap(inputsForDiff),
        unwrapSecretsInMap(record.inputs ?? {}),
        [],
      ),
    );
    return diff.replaces.length > 0 ? diff.replaces : undefined;
  }
}
