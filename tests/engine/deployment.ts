/**
 * The heart of the stand-in: one run, after the real engine's pkg/resource/deploy, in a chain of
 * classes that each do one job: DeploymentBase (state, providers, policies), StepExecutor (step.go
 * applies a step), StepGenerator (step_generator.go decides it, source_eval.go answers the monitor)
 * and Deployment here (deployment_executor.go: deletes last in reverse dependency order, stack
 * policies, refresh, destroy). step_executor.go's parallelism and stop-after-failure live in
 * DeploymentBase.track and `failed`.
 */
import type { AnalyzedResource } from "./analyzers.js";
import { annotateSecrets, changedKeys, deepEqual, unwrapSecretsInMap } from "./properties.js";
import { ProviderError, type ResourceRef } from "./providers.js";
import type { ResourceRecord, StepResult } from "./types.js";
import { parseProviderRef, parseUrn, PROVIDER_TYPE_PREFIX, STACK_TYPE } from "./urn.js";
import { dependsOn, PROTECT_HINT, StepFailure, type ProviderHandle } from "./deploymentTypes.js";
import { StepGenerator } from "./stepGenerator.js";

export type { Goal, ProviderSource } from "./deploymentTypes.js";

/** One run: the steps of the program (StepGenerator), then deletes, stack policies, refresh and destroy. */
export class Deployment extends StepGenerator {
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
        resources.push({
          urn: record.urn,
          type: record.type,
          name,
          properties: record.outputs ?? {},
          parent: record.parent ?? "",
          dependencies: record.dependencies ?? [],
          propertyDependencies: {},
          protect: record.protect ?? false,
          ignoreChanges: [],
          additionalSecretOutputs: [],
        });
        continue;
      }
      const goal = this.goals.get(record.urn);
      if (!goal) continue;
      const resource = this.analyzed(record.urn, goal, record.outputs ?? {});
      resource.protect = record.protect ?? false;
      if (record.provider) {
        const providerRecord = this.news.get(parseProviderRef(record.provider).urn);
        if (providerRecord) {
          resource.provider = {
            urn: providerRecord.urn,
            type: providerRecord.type,
            name: "default",
            properties: providerRecord.inputs ?? {},
          };
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
      await Promise.all(
        wave.map((record) =>
          this.track(() => this.deleteOne(record, pendingSet.has(record), deleting)).catch(() => undefined),
        ),
      );
      remaining = remaining.filter((r) => !wave.includes(r));
    }
    if (!this.failed) {
      for (const provider of providers) {
        const stillUsed = [...this.news.values()].some(
          (r) => r.provider && parseProviderRef(r.provider).urn === provider.urn,
        );
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
  private async deleteOne(
    record: ResourceRecord,
    isPendingReplace: boolean,
    deleting: ReadonlySet<string>,
  ): Promise<void> {
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
      throw this.fail(
        record.urn,
        `unable to delete resource "${record.urn}"\nas it is currently marked for protection. ${PROTECT_HINT}`,
      );
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
      await provider.provider.delete(
        { urn: record.urn, type, name },
        record.id ?? "",
        unwrapSecretsInMap(record.outputs ?? {}),
        unwrapSecretsInMap(record.inputs ?? {}),
      );
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
    const targets = [...this.olds.values()].filter(
      (r) => r.custom && !r.type.startsWith(PROVIDER_TYPE_PREFIX) && !r.delete && !r.pendingReplacement,
    );
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
      result = await provider.provider.read(
        ref,
        record.id ?? "",
        unwrapSecretsInMap(record.inputs ?? {}),
        unwrapSecretsInMap(record.outputs ?? {}),
      );
    } catch (err) {
      const init = err instanceof ProviderError ? err.initFailure : undefined;
      if (!init) throw failed(err);
      initErrors = init.reasons.length ? init.reasons : [(err as Error).message];
      this.diagnostics.push({
        severity: "warning",
        urn: record.urn,
        message: `Refreshed resource is in an unhealthy state:\n* ${initErrors.join("\n* ")}`,
      });
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
        diff = await provider.provider.diff(
          ref,
          result.id,
          unwrapSecretsInMap(outputs),
          unwrapSecretsInMap(oldInputs),
          unwrapSecretsInMap(inputs),
          record.ignoreChanges ?? [],
        );
      } catch (err) {
        throw failed(err);
      }
      diffs = diff.changes === "unknown" ? changedKeys(inputs, oldInputs) : diff.changes === "some" ? diff.diffs : [];
      if (diff.changes === "some" && diffs.length === 0) diffs = changedKeys(inputs, oldInputs);
    }
    const { initErrors: _cleared, ...kept } = record;
    const refreshed: ResourceRecord = {
      ...kept,
      id: result.id,
      inputs,
      outputs,
      ...(initErrors ? { initErrors } : {}),
    };
    const changed =
      !deepEqual(unwrapSecretsInMap(record.outputs ?? {}), unwrapSecretsInMap(outputs)) ||
      !deepEqual(unwrapSecretsInMap(record.inputs ?? {}), unwrapSecretsInMap(inputs));
    if (changed) refreshed.modified = new Date().toISOString();
    this.news.set(record.urn, refreshed);
    this.record({ op: "refresh", urn: record.urn, type, name, status: "ok", diffs });
    this.persist();
  }
}
