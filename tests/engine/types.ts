/**
 * Public types of the engine stand-in (docs/design.md §5). Test infrastructure only: this is not a
 * Pulumi replacement, it drives the real Pulumi Node.js runtime so tests see what users would see.
 */

export interface RunOptions {
  /** Program directory (holds `Pulumi.yaml`); the state lives in `<cwd>/.pulumi-test/<stack>.json`. */
  cwd: string;
  /** Stack name; default `dev`. */
  stack?: string;
  /** Plain config, `namespace:key` (a bare key belongs to the project). */
  config?: Record<string, string>;
  /** Secret config, same keys; reaches the program as secret and the state only encoded. */
  secrets?: Record<string, string>;
  /** Policy pack directories (each started with `run-policy-pack`). */
  policyPacks?: string[];
  /** Path of a policy pack config file in the `pulumi --policy-pack-config` format. */
  policyPackConfig?: string;
  /** Packages whose custom resources the built-in echo provider serves (test fixtures). */
  fakePackages?: string[];
  /** Step parallelism; default 4 x available CPUs like the engine. */
  parallel?: number;
  /** Extra environment for the program, the provider plugin and the policy packs. */
  env?: Record<string, string>;
  /** Extension: organization name passed to the runtime (default `organization`). */
  organization?: string;
  /** Extension: keep the SDK's debug log lines in `diagnostics` (default false: they are noise). */
  includeDebugLogs?: boolean;
  /** Extension: abort the run (kill every child) after this many ms; default 300000. */
  timeoutMs?: number;
  /** Extension: called with timestamps of the run's phases (benchmarks break the wall time down with it). */
  trace?: (event: TraceEvent) => void;
  /**
   * refresh/destroy only, like the CLI's `--run-program`: configure providers from this run's
   * `config`/`secrets` instead of the inputs their provider resources got at the last update.
   */
  runProgram?: boolean;
}

/** Extension: one timestamped event of a run (`RunOptions.trace`). */
export interface TraceEvent {
  /** Milliseconds since the run started. */
  atMs: number;
  kind: "program-started" | "program-exited" | "register" | "registered" | "provider-call" | "provider-answered";
  /** The resource registered or operated on. */
  urn?: string;
  /** The provider method (`configure`, `check`, `diff`, `create`, `read`, `update`, `delete`). */
  method?: string;
}

export type StepOp = "create" | "same" | "update" | "replace" | "delete" | "read" | "refresh" | "import";

export interface StepResult {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** Changed top-level properties (update/replace), or the replace-causing ones first. */
  diffs?: string[];
  status: "ok" | "failed" | "skipped";
  /** Extension: delete-before-replace was used (replace only). */
  deleteBeforeReplace?: boolean;
  /** Extension: why the step failed or was skipped. */
  error?: string;
}

export interface Diagnostic {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn?: string;
  policy?: { pack: string; name: string; enforcementLevel: string };
}

export interface RunResult {
  command: "preview" | "up" | "refresh" | "destroy";
  ok: boolean;
  steps: StepResult[];
  diagnostics: Diagnostic[];
  /** Stack outputs, secrets kept in Pulumi's wrapped form (`{4dabf1...: 1b4706..., value}`). */
  outputs: Record<string, unknown>;
  statePath: string;
  durationMs: number;
}

// ---- checkpoint (the `pulumi stack export` shape) ----

export interface ResourceRecord {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  external?: boolean;
  dependencies?: string[];
  initErrors?: string[];
  provider?: string;
  /** Deleted by a delete-before-replace whose create has not happened yet (step.go DeleteStep.Apply). */
  pendingReplacement?: boolean;
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  importID?: string;
  retainOnDelete?: boolean;
  deletedWith?: string;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  created?: string;
  modified?: string;
}

export interface Deployment {
  manifest: { time: string; magic: string; version: string };
  secrets_providers: { type: string; state: Record<string, unknown> };
  resources: ResourceRecord[];
}

export interface Checkpoint {
  version: 3;
  deployment: Deployment;
}
