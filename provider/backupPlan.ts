import * as pulumi from "@pulumi/pulumi";
import { BackupPlanProvider } from "./shim";
import { assertRuntimeReachableFromProgram } from "./programDirectory";
import { warnAboutConfigOnce } from "./configWarnings";
import { afterPreviewCheck } from "./previewCheck";
import { BACKUP_PLAN_TYPE, BACKUP_PLAN_TYPE_NAME, PROVIDER_MODULE } from "./tokens";
import type { BackupMode, BackupPlanOutputs, PlanResourceOutput, PlanStatus, ScheduleType, Timeouts } from "./types";
import { PLAN_PROPERTIES } from "./fields/backupPlan";
import type { PlanInputProperty, PlanProperty } from "./fields/backupPlan";
import { keysMatch } from "./fields/keys";
import type { SameKeys } from "./fields/keys";

// Every output key must be present (seeded `undefined`) or the engine's value never reaches the object: the
// keys are the field table's (provider/fields/backupPlan.ts), once.
const SEEDED: Readonly<Record<string, undefined>> = Object.fromEntries(PLAN_PROPERTIES.map((p) => [p, undefined]));

// The hand-written interfaces carry the docs users read in their IDE; their keys are the table's, checked here.
keysMatch<SameKeys<BackupPlanArgs, PlanInputProperty>>();
keysMatch<SameKeys<BackupPlanState, Exclude<PlanInputProperty, "adoptExistingId">>>();
keysMatch<SameKeys<BackupPlanOutputs, PlanProperty>>();

/** A BackupPlan has an output for every property of the table. */
type PlanOutputMembers = { readonly [K in PlanProperty]: pulumi.Output<BackupPlanOutputs[K]> };

// One provider object for every BackupPlan: the SDK caches serializations by object, so 200 plans serialize
// the shim once, and every resource's `__provider` is the same text.
const provider = new BackupPlanProvider();

/** A volume a plan protects. */
export interface BackupPlanResourceArgs {
  /** The volume's id (a UUID). */
  id: pulumi.Input<string>;
  /** The volume's name. */
  name: pulumi.Input<string>;
  /** Default `OS::Cinder::Volume`, the only type the API accepts. */
  type?: pulumi.Input<string>;
}

/** Waits in seconds (default 600 each); Pulumi's `customTimeouts` never reach dynamic providers. */
export interface BackupPlanTimeoutsArgs {
  create?: pulumi.Input<number>;
  update?: pulumi.Input<number>;
  delete?: pulumi.Input<number>;
}

/** The arguments of a {@link BackupPlan}. */
export interface BackupPlanArgs {
  /** Plan name; keep it unique in the project (create recovers interrupted POSTs by name). */
  name: pulumi.Input<string>;
  /** Default "". */
  description?: pulumi.Input<string>;
  /**
   * `full` (default): every backup is full. `frequency`: weekly full plus daily incrementals. Changing it replaces the
   * plan.
   */
  backupMode?: pulumi.Input<BackupMode>;
  /** Backups to keep: 1-90 in `full` mode; chains (a full plus 6 incrementals) to keep, 1-14, in `frequency` mode. */
  maxBackups: pulumi.Input<number>;
  /** `crontab` (default) or `calendar` (the weekly form `M H * * D[,D...]`). */
  scheduleType?: pulumi.Input<ScheduleType>;
  /** Five-field cron expression in UTC, at most hourly, e.g. `0 2 * * *`. */
  schedulePattern: pulumi.Input<string>;
  /** The volumes to protect (1-100, unique ids). */
  resources: pulumi.Input<pulumi.Input<BackupPlanResourceArgs>[]>;
  /** `started` (default) or `suspended` (no new backups). */
  status?: pulumi.Input<PlanStatus>;
  /** Project (tenant) id; default `scheduledbackup:projectId` or the token's project. Changing it replaces the plan. */
  projectId?: pulumi.Input<string>;
  /**
   * Region (pool) whose endpoint the Keystone catalog gives; default `scheduledbackup:region`. Changing it replaces the
   * plan.
   */
  region?: pulumi.Input<string>;
  /** Base URL including `/data-protect/v2`; default `scheduledbackup:endpoint` or the catalog. */
  endpoint?: pulumi.Input<string>;
  /**
   * Take this existing plan under management instead of creating one: create reads it, refuses a different
   * `backupMode`, and updates it to match these arguments. Pulumi's `import` option cannot work with dynamic
   * providers (pulumi/pulumi#16175); this is the way in.
   */
  adoptExistingId?: pulumi.Input<string>;
  /** How long to wait for the service, in seconds. */
  timeouts?: pulumi.Input<BackupPlanTimeoutsArgs>;
}

/** Known properties of an existing plan, for {@link BackupPlan.get} (placement settings matter most). */
export interface BackupPlanState {
  name?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  backupMode?: pulumi.Input<string>;
  maxBackups?: pulumi.Input<number>;
  scheduleType?: pulumi.Input<string>;
  schedulePattern?: pulumi.Input<string>;
  resources?: pulumi.Input<pulumi.Input<BackupPlanResourceArgs>[]>;
  status?: pulumi.Input<string>;
  projectId?: pulumi.Input<string>;
  region?: pulumi.Input<string>;
  endpoint?: pulumi.Input<string>;
  timeouts?: pulumi.Input<BackupPlanTimeoutsArgs>;
}

/**
 * A backup plan of the Scheduled Backup API v2: which volumes to back up, when (cron, UTC), and how many
 * backups to keep. Its outputs add what the schedule implies: the next runs, the longest gap between runs
 * (RPO) and how far back restores reach.
 *
 * ```ts
 * const plan = new BackupPlan("db", {
 *   name: "db-nightly",
 *   maxBackups: 14,
 *   schedulePattern: "0 2 * * *",
 *   resources: [{ id: volumeId, name: "db-data" }],
 * });
 * ```
 */
export class BackupPlan extends pulumi.dynamic.Resource implements PlanOutputMembers {
  /** The Pulumi type token (what policy packs match on). */
  static readonly __pulumiType = BACKUP_PLAN_TYPE;

  /** True when `obj` is a BackupPlan, even one built by another copy of this package. */
  static override isInstance(obj: unknown): obj is BackupPlan {
    if (obj === undefined || obj === null || typeof obj !== "object") return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === BackupPlan.__pulumiType;
  }

  /**
   * A read-only reference to an existing plan (a ReadResource: Pulumi never changes or deletes it). Pass the
   * placement (`projectId`, `region`, `endpoint`) in `state` when it differs from the stack config.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: BackupPlanState,
    opts?: pulumi.CustomResourceOptions,
  ): BackupPlan {
    return new BackupPlan(name, state, { ...opts, id });
  }

  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly backupMode: pulumi.Output<string>;
  declare readonly maxBackups: pulumi.Output<number>;
  declare readonly scheduleType: pulumi.Output<string>;
  declare readonly schedulePattern: pulumi.Output<string>;
  declare readonly resources: pulumi.Output<PlanResourceOutput[]>;
  /** The status as last seen. */
  declare readonly status: pulumi.Output<string>;
  declare readonly projectId: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  declare readonly adoptExistingId: pulumi.Output<string | undefined>;
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  /** When the service created the plan (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;
  /** The next 5 runs after the last create, update or refresh (RFC 3339, UTC). */
  declare readonly nextRunTimes: pulumi.Output<string[]>;
  /** Longest gap between two runs, in hours: the plan's effective RPO. */
  declare readonly maxIntervalHours: pulumi.Output<number | null>;
  /** How far back restores are guaranteed to reach, in days. */
  declare readonly retentionDays: pulumi.Output<number | null>;

  constructor(name: string, args: BackupPlanArgs, opts?: pulumi.CustomResourceOptions);
  constructor(
    name: string,
    argsOrState: BackupPlanArgs | BackupPlanState | undefined,
    opts?: pulumi.CustomResourceOptions,
  );
  constructor(
    name: string,
    argsOrState: BackupPlanArgs | BackupPlanState | undefined,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const given: Record<string, unknown> = { ...(argsOrState ?? {}) };
    const props: Record<string, unknown> = { ...SEEDED, ...given };
    assertRuntimeReachableFromProgram();
    warnAboutConfigOnce();
    super(provider, name, props, afterPreviewCheck("BackupPlan", given, opts), PROVIDER_MODULE, BACKUP_PLAN_TYPE_NAME);
  }
}
