// Data sources: plain async functions run in the program's process (dynamic providers cannot serve
// invokes), each with an `...Output` twin taking `pulumi.Input`s, as generated Pulumi SDKs do. They resolve
// settings like the resources: per-call placement > stack config `scheduledbackup:*` > environment.
import * as pulumi from "@pulumi/pulumi";
import { collect } from "./api";
import { NotFoundError } from "./api/errors";
import type { Checkpoint } from "./api/types";
import {
  toBackupPlanResult,
  toCheckpointItemResult,
  toCheckpointResult,
} from "./mapping";
import type { BackupPlanResult, CheckpointItemResult, CheckpointResult } from "./mapping";
import { captureConfig, connect, placementOf } from "./resources/connection";
import type { Connection } from "./resources/connection";
import { describeFailure, ProviderError } from "./resources/errors";
import type { Placement } from "./types";

export type { BackupPlanResult, CheckpointItemResult, CheckpointResult };

/** Where to look, when it differs from the stack config. */
export type DataSourcePlacement = Placement;
type OutputArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

function stackConfig(): { get(key: string): string | undefined } {
  // Read per call: the program may construct Config before or after setting it in tests.
  const config = new pulumi.Config("scheduledbackup");
  return { get: (fullKey) => config.get(fullKey.slice(fullKey.indexOf(":") + 1)) };
}

async function run<T>(fn: string, args: Placement, work: (c: Connection) => Promise<T>): Promise<T> {
  let connection: Connection | undefined;
  try {
    connection = connect(captureConfig(stackConfig()), placementOf(args));
    return await work(connection);
  } catch (err) {
    const context = { subject: fn, action: "the lookup" };
    // No `cause`: the original error's text may hold the credentials that describeFailure redacts.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(describeFailure(connection?.projectId === undefined ? context : { ...context, projectHint: connection.projectId }, err, connection?.secrets ?? []));
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
        throw notFound(`no plan with id ${args.id}: check the id (getBackupPlans lists them) and the projectId/endpoint`);
      }
      throw err;
    }
  });
}

export function getBackupPlanOutput(args: OutputArgs<GetBackupPlanArgs>, opts?: pulumi.InvokeOutputOptions): pulumi.Output<BackupPlanResult> {
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
export function getBackupPlans(args: GetBackupPlansArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetBackupPlansResult> {
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

export function getBackupPlansOutput(args: OutputArgs<GetBackupPlansArgs> = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetBackupPlansResult> {
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
        throw notFound(`no checkpoint with id ${args.id}: check the id (getCheckpoints lists them); it may have been pruned by retention`);
      }
      throw err;
    }
  });
}

export function getCheckpointOutput(args: OutputArgs<GetCheckpointArgs>, opts?: pulumi.InvokeOutputOptions): pulumi.Output<CheckpointResult> {
  return pulumi.output(args).apply((a) => getCheckpoint(a as GetCheckpointArgs, opts));
}

export interface GetCheckpointsArgs extends Placement {
  /** Checkpoints of the plan with this exact name. */
  planName?: string;
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
export function getCheckpoints(args: GetCheckpointsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetCheckpointsResult> {
  return run("getCheckpoints", args, async (c) => {
    const checkpoints = await listCheckpoints(c, args.planName, args.volumeName);
    return {
      checkpoints: checkpoints
        .filter((cp) => args.status === undefined || cp.status === args.status)
        .map(toCheckpointResult),
    };
  });
}

export function getCheckpointsOutput(args: OutputArgs<GetCheckpointsArgs> = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetCheckpointsResult> {
  return pulumi.output(args).apply((a) => getCheckpoints(a as GetCheckpointsArgs, opts));
}

function listCheckpoints(c: Connection, planName: string | undefined, volumeName: string | undefined): Promise<Checkpoint[]> {
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
}

/** The newest restorable backup of one volume: what a {@link Restore} takes. */
export interface LatestRestorePointResult extends CheckpointItemResult {
  /** Same as `id`, named for `new Restore(..., { checkpointItemId })`. */
  checkpointItemId: string;
  /** The plan that made the backup. */
  planId: string;
}

/** The newest `available` checkpoint item of a volume (by id or name), optionally within a plan. */
export function getLatestRestorePoint(args: GetLatestRestorePointArgs, _opts?: pulumi.InvokeOptions): Promise<LatestRestorePointResult> {
  return run("getLatestRestorePoint", args, async (c) => {
    if ((args.volumeId === undefined || args.volumeId === "") && (args.volumeName === undefined || args.volumeName === "")) {
      throw new ProviderError("give volumeId or volumeName: the volume whose newest backup to find");
    }
    const checkpoints = await listCheckpoints(c, args.planName, args.volumeName);
    let best: { item: Checkpoint["checkpoint_items"][number]; planId: string } | undefined;
    for (const checkpoint of checkpoints) {
      for (const item of checkpoint.checkpoint_items) {
        if (item.status !== "available") continue;
        if (args.volumeId !== undefined && item.resource.id !== args.volumeId) continue;
        if (args.volumeName !== undefined && item.resource.name !== args.volumeName) continue;
        if (best === undefined || newer(item, best.item)) best = { item, planId: checkpoint.plan_id };
      }
    }
    if (best === undefined) {
      const volume = args.volumeId !== undefined ? `volume ${args.volumeId}` : `volume "${args.volumeName}"`;
      const plan = args.planName === undefined ? "" : ` in plan "${args.planName}"`;
      throw notFound(
        `no available backup of ${volume}${plan} (${checkpoints.length} checkpoint(s) looked at): the plan may not ` +
          "have run yet, or its backups are still `protecting`; check the plan's schedule and status",
      );
    }
    return { ...toCheckpointItemResult(best.item), checkpointItemId: best.item.id, planId: best.planId };
  });
}

export function getLatestRestorePointOutput(
  args: OutputArgs<GetLatestRestorePointArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<LatestRestorePointResult> {
  return pulumi.output(args).apply((a) => getLatestRestorePoint(a as GetLatestRestorePointArgs, opts));
}

function newer(a: { created_at: string; id: string }, b: { created_at: string; id: string }): boolean {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb) return ta > tb;
  return a.id > b.id;
}
