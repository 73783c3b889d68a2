// Data sources: plain async functions run in the program's process (dynamic providers cannot serve
// invokes), each with an `...Output` twin taking `pulumi.Input`s, as generated Pulumi SDKs do. They resolve
// settings like the resources: per-call placement > stack config `scheduledbackup:*` > environment.
import * as pulumi from "@pulumi/pulumi";
import { collect } from "./api/pagination";
import { NotFoundError } from "./api/errors";
import type { Checkpoint } from "./api/types";
import type * as Health from "./health";
import type { HealthOptions, HealthReport } from "./health";
import { toBackupPlanResult, toCheckpointItemResult, toCheckpointResult } from "./mapping";
import type { BackupPlanResult, CheckpointItemResult, CheckpointResult } from "./mapping";
import { programConfig } from "./programConfig";
import { connect, placementOf } from "./resources/connection";
import type { Connection } from "./resources/connection";
import { describeFailure, ProviderError } from "./resources/errors";
import { findRestorePoint } from "./resources/restorePoint";
import type { Placement } from "./types";

export type { BackupPlanResult, CheckpointItemResult, CheckpointResult };

/** Where to look, when it differs from the stack config. */
export type DataSourcePlacement = Placement;
type OutputArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

async function run<T>(fn: string, args: Placement, work: (c: Connection) => Promise<T>): Promise<T> {
  let connection: Connection | undefined;
  try {
    connection = connect(programConfig(), placementOf(args));
    return await work(connection);
  } catch (err) {
    const context = { subject: fn, action: "the lookup" };
    // No `cause`: the original error's text may hold the credentials that describeFailure redacts.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      describeFailure(
        connection?.projectId === undefined ? context : { ...context, projectHint: connection.projectId },
        err,
        connection?.secrets ?? [],
      ),
    );
  }
}

function notFound(message: string): ProviderError {
  return new ProviderError(message);
}

// ---------- plans ----------

export interface GetBackupPlanArgs extends Placement {
  /** The plan's id. */
  id: string;
}

/** One plan by id; fails clearly when there is none. */
export function getBackupPlan(args: GetBackupPlanArgs, _opts?: pulumi.InvokeOptions): Promise<BackupPlanResult> {
  return run("getBackupPlan", args, async (c) => {
    try {
      return toBackupPlanResult(await c.client.getPlan(args.id));
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw notFound(
          `no plan with id ${args.id}: check the id (getBackupPlans lists them) and the projectId/endpoint`,
        );
      }
      throw err;
    }
  });
}

export function getBackupPlanOutput(
  args: OutputArgs<GetBackupPlanArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<BackupPlanResult> {
  return pulumi.output(args).apply((a) => getBackupPlan(a as GetBackupPlanArgs, opts));
}

export interface GetBackupPlansArgs extends Placement {
  /** Exact plan name. */
  name?: string;
  /** Plans protecting a volume of this exact name. */
  volumeName?: string;
  /** `started` or `suspended`. */
  status?: string;
}

export interface GetBackupPlansResult {
  /** Every matching plan (all pages), oldest first. */
  plans: BackupPlanResult[];
}

/** Every plan matching the filters (possibly none). */
export function getBackupPlans(
  args: GetBackupPlansArgs = {},
  _opts?: pulumi.InvokeOptions,
): Promise<GetBackupPlansResult> {
  return run("getBackupPlans", args, async (c) => {
    const filter: { name?: string; volumeName?: string } = {};
    if (args.name !== undefined) filter.name = args.name;
    if (args.volumeName !== undefined) filter.volumeName = args.volumeName;
    const plans = await collect(c.client.plans(filter));
    return {
      plans: plans.filter((p) => args.status === undefined || p.status === args.status).map(toBackupPlanResult),
    };
  });
}

export function getBackupPlansOutput(
  args: OutputArgs<GetBackupPlansArgs> = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetBackupPlansResult> {
  return pulumi.output(args).apply((a) => getBackupPlans(a as GetBackupPlansArgs, opts));
}

// ---------- checkpoints ----------

export interface GetCheckpointArgs extends Placement {
  /** The checkpoint's id. */
  id: string;
}

/** One checkpoint by id; fails clearly when there is none. */
export function getCheckpoint(args: GetCheckpointArgs, _opts?: pulumi.InvokeOptions): Promise<CheckpointResult> {
  return run("getCheckpoint", args, async (c) => {
    try {
      return toCheckpointResult(await c.client.getCheckpoint(args.id));
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw notFound(
          `no checkpoint with id ${args.id}: check the id (getCheckpoints lists them); ` +
            `it may have been pruned by retention`,
        );
      }
      throw err;
    }
  });
}

export function getCheckpointOutput(
  args: OutputArgs<GetCheckpointArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<CheckpointResult> {
  return pulumi.output(args).apply((a) => getCheckpoint(a as GetCheckpointArgs, opts));
}

export interface GetCheckpointsArgs extends Placement {
  /** Checkpoints of the plan with this exact name. */
  planName?: string;
  /**
   * Checkpoints of the plan with this id: unlike a name, an id is never shared with older, deleted plans
   * (the API filters by name only, so this one is applied to the listing).
   */
  planId?: string;
  /** Checkpoints holding a backup of a volume with this exact name. */
  volumeName?: string;
  /** `protecting`, `available`, `error` or `deleting`. */
  status?: string;
}

export interface GetCheckpointsResult {
  /** Every matching checkpoint (all pages), oldest first. */
  checkpoints: CheckpointResult[];
}

/** Every checkpoint matching the filters (possibly none). */
export function getCheckpoints(
  args: GetCheckpointsArgs = {},
  _opts?: pulumi.InvokeOptions,
): Promise<GetCheckpointsResult> {
  return run("getCheckpoints", args, async (c) => {
    const checkpoints = await listCheckpoints(c, args.planName, args.volumeName);
    return {
      checkpoints: checkpoints
        .filter((cp) => args.status === undefined || cp.status === args.status)
        .filter((cp) => args.planId === undefined || cp.plan_id === args.planId)
        .map(toCheckpointResult),
    };
  });
}

export function getCheckpointsOutput(
  args: OutputArgs<GetCheckpointsArgs> = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetCheckpointsResult> {
  return pulumi.output(args).apply((a) => getCheckpoints(a as GetCheckpointsArgs, opts));
}

function listCheckpoints(
  c: Connection,
  planName: string | undefined,
  volumeName: string | undefined,
): Promise<Checkpoint[]> {
  const filter: { planName?: string; volumeName?: string } = {};
  if (planName !== undefined) filter.planName = planName;
  if (volumeName !== undefined) filter.volumeName = volumeName;
  return collect(c.client.checkpoints(filter));
}

// ---------- restore points ----------

export interface GetLatestRestorePointArgs extends Placement {
  /** The volume's id (give this or volumeName). */
  volumeId?: string;
  /** The volume's name (give this or volumeId). */
  volumeName?: string;
  /** Only backups made by the plan with this exact name. */
  planName?: string;
  /** Only backups taken at or before this time (RFC 3339), e.g. the last one before an incident. */
  notAfter?: string;
}

/** The newest restorable backup of one volume: what a {@link Restore} takes. */
export interface LatestRestorePointResult extends CheckpointItemResult {
  /** Same as `id`, named for `new Restore(..., { checkpointItemId })`. */
  checkpointItemId: string;
  /** The plan that made the backup. */
  planId: string;
}

/** The newest `available` checkpoint item of a volume (by id or name), optionally within a plan or before a time. */
export function getLatestRestorePoint(
  args: GetLatestRestorePointArgs,
  _opts?: pulumi.InvokeOptions,
): Promise<LatestRestorePointResult> {
  return run("getLatestRestorePoint", args, async (c) => {
    const best = await findRestorePoint(c.client, args);
    return { ...toCheckpointItemResult(best.item), checkpointItemId: best.item.id, planId: best.planId };
  });
}

export function getLatestRestorePointOutput(
  args: OutputArgs<GetLatestRestorePointArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<LatestRestorePointResult> {
  return pulumi.output(args).apply((a) => getLatestRestorePoint(a as GetLatestRestorePointArgs, opts));
}

// ---------- backup health ----------

export interface GetPlanHealthArgs extends Placement {
  /** Only the plan with exactly this name (fails clearly when there is none). */
  planName?: string;
  /** Only this volume (exact name), in every plan that protects it. */
  volumeName?: string;
  /** Time a backup may take to become available after its run (default 30). */
  slackMinutes?: number;
  /** Window for missed runs and failed backups (default 7). */
  lookBackDays?: number;
  /** ISO 8601 time to judge at (default: now). */
  at?: string;
}

/** The same figures as `scheduled-backup health --json`. */
export type PlanHealthResult = HealthReport;

/**
 * Backup health of every plan (or the one named) and every volume it protects: newest usable backup and
 * its age, breach of the schedule's RPO, missed runs, failed backups, restore points, orphaned incrementals.
 * One listing of plans and one of checkpoints, whatever the number of plans.
 */
export function getPlanHealth(args: GetPlanHealthArgs = {}, _opts?: pulumi.InvokeOptions): Promise<PlanHealthResult> {
  return run("getPlanHealth", args, async (c) => {
    // Loaded on first call, as the shim loads the runtime: programs that never ask for health do not
    // load the schedule analysis at start.
    // Loaded on first use, so programs and the first Check do not pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { analyzeHealth, checkHealthOptions, healthListingFilters } = require("./health") as typeof Health;
    const options = healthOptionsOf(args, checkHealthOptions);
    const filters = healthListingFilters(options);
    const [plans, checkpoints] = await Promise.all([
      collect(c.client.plans(filters.plans)),
      collect(c.client.checkpoints(filters.checkpoints)),
    ]);
    const report = analyzeHealth(plans, checkpoints, options);
    if (report.plans.length === 0 && args.planName !== undefined) {
      throw notFound(
        `no plan named "${args.planName}"` +
          `${args.volumeName === undefined ? "" : ` protecting volume "${args.volumeName}"`}: ` +
          `check planName (getBackupPlans lists the plans)`,
      );
    }
    return report;
  });
}

export function getPlanHealthOutput(
  args: OutputArgs<GetPlanHealthArgs> = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<PlanHealthResult> {
  return pulumi.output(args).apply((a) => getPlanHealth(a as GetPlanHealthArgs, opts));
}

function healthOptionsOf(args: GetPlanHealthArgs, checkHealthOptions: typeof Health.checkHealthOptions): HealthOptions {
  const now = args.at === undefined ? new Date() : new Date(args.at);
  if (Number.isNaN(now.getTime()))
    throw new ProviderError(`at must be an ISO 8601 time such as 2025-03-10T06:00:00Z, got ${JSON.stringify(args.at)}`);
  const options: HealthOptions = { now };
  if (args.planName !== undefined) options.planName = args.planName;
  if (args.volumeName !== undefined) options.volumeName = args.volumeName;
  if (args.slackMinutes !== undefined) options.slackMinutes = args.slackMinutes;
  if (args.lookBackDays !== undefined) options.lookBackDays = args.lookBackDays;
  try {
    checkHealthOptions(options);
  } catch (err) {
    throw new ProviderError(`${err instanceof Error ? err.message : String(err)}: fix the getPlanHealth argument`);
  }
  return options;
}
