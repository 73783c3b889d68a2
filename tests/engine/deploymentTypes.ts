/** The shapes a deployment is driven with, and the small pieces its steps share. */
import type { PolicyAnalyzer } from "./analyzers.js";
import { redactForDisplay, type PropertyMap } from "./properties.js";
import type { ResourceProvider } from "./providers.js";
import type { ResourceRecord } from "./types.js";
import { parseProviderRef } from "./urn.js";

/** A step failed: the run fails, what succeeded stays in state. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly urn: string,
  ) {
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

export interface RegisterOutcome {
  urn: string;
  id: string;
  outputs: PropertyMap;
  stables: string[];
}

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
  /**
   * Namespaced stack config, secrets wrapped (as GetPackageConfig sees it); undefined = take providers' stored inputs.
   */
  config: PropertyMap | undefined;
  providers: ProviderSource;
  policyPacks: () => Promise<PolicyAnalyzer[]>;
  parallel: number;
  /** Called after every change worth persisting (never during preview). */
  persist: () => void;
  /** Timestamps of registrations (`RunOptions.trace`). */
  trace?: (kind: "register" | "registered", urn: string) => void;
}

export class Semaphore {
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
export const INIT_ERROR_KEY = "#initerror";

export const PROTECT_HINT =
  "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`";

export interface ProviderHandle {
  provider: ResourceProvider;
  ref: string;
  record: ResourceRecord;
}

/** A property value in a message: never a secret's plaintext (the engine prints `[secret]`). */
export function displayValue(value: unknown): string {
  return JSON.stringify(redactForDisplay(value)) ?? "undefined";
}

/** Whether `dependent` must be deleted before `dependency` (dependencies, parent, property deps, deletedWith). */
export function dependsOn(dependent: ResourceRecord, dependency: ResourceRecord): boolean {
  if (dependent.urn === dependency.urn) return false;
  return dependent.parent === dependency.urn || dependsOnUrn(dependent, dependency.urn);
}

/** A dependency edge other than parenthood (graph.DependingOn without children): dependencies,
 *  property dependencies, deletedWith, provider. */
export function dependsOnUrn(dependent: ResourceRecord, urn: string): boolean {
  if (dependent.dependencies?.includes(urn) || dependent.deletedWith === urn) return true;
  if (dependent.provider && parseProviderRef(dependent.provider).urn === urn) return true;
  return Object.values(dependent.propertyDependencies ?? {}).some((urns) => urns.includes(urn));
}
