// The newest restorable backup of one volume: the one rule behind `getLatestRestorePoint` and behind a
// `Restore` pinned by volume (resolved once, at create). Knows nothing of Pulumi.
import { collect } from "../api/pagination";
import type { ScheduledBackupClient } from "../api/client";
import type { CheckpointItem } from "../api/types";
import { ProviderError } from "./errors";

export type RestorePointApi = Pick<ScheduledBackupClient, "checkpoints">;

interface RestorePointQuery {
  /** The volume's id (give this or volumeName). */
  volumeId?: string | undefined;
  /** The volume's name (give this or volumeId). */
  volumeName?: string | undefined;
  /** Only backups made by the plan with this exact name. */
  planName?: string | undefined;
  /** Only backups taken at or before this time (RFC 3339). */
  notAfter?: string | undefined;
}

interface RestorePoint {
  item: CheckpointItem;
  planId: string;
}

function given(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/** How the query names its volume in messages: `volume "db-data"` or `volume 7a1e...`. */
export function describeVolume(query: RestorePointQuery): string {
  return given(query.volumeId) ? `volume ${query.volumeId}` : `volume "${query.volumeName ?? ""}"`;
}

/** Newest `available` item of the volume (ties broken by id, so the answer is stable), or a clear failure. */
export async function findRestorePoint(api: RestorePointApi, query: RestorePointQuery): Promise<RestorePoint> {
  if (!given(query.volumeId) && !given(query.volumeName)) {
    throw new ProviderError("give volumeId or volumeName: the volume whose newest backup to find");
  }
  const limit = given(query.notAfter) ? Date.parse(query.notAfter) : undefined;
  if (limit !== undefined && Number.isNaN(limit)) {
    throw new ProviderError(
      `notAfter must be an RFC 3339 time such as 2026-01-31T23:59:59Z, got ${JSON.stringify(query.notAfter)}`,
    );
  }
  const filter: { planName?: string; volumeName?: string } = {};
  if (given(query.planName)) filter.planName = query.planName;
  if (given(query.volumeName)) filter.volumeName = query.volumeName;
  const checkpoints = await collect(api.checkpoints(filter));
  let best: RestorePoint | undefined;
  for (const checkpoint of checkpoints) {
    for (const item of checkpoint.checkpoint_items) {
      if (item.status !== "available") continue;
      if (given(query.volumeId) && item.resource.id !== query.volumeId) continue;
      if (given(query.volumeName) && item.resource.name !== query.volumeName) continue;
      if (limit !== undefined && Date.parse(item.created_at) > limit) continue;
      if (best === undefined || newer(item, best.item)) best = { item, planId: checkpoint.plan_id };
    }
  }
  if (best === undefined) {
    const plan = given(query.planName) ? ` in plan "${query.planName}"` : "";
    const before = given(query.notAfter) ? ` taken at or before ${query.notAfter}` : "";
    throw new ProviderError(
      `no available backup of ${describeVolume(query)}${plan}${before} (${checkpoints.length} checkpoint(s) ` +
        `looked at): the plan may not ` +
        "have run yet, or its backups are still `protecting`; check the plan's schedule and status" +
        (before === "" ? "" : ", or move notAfter later"),
    );
  }
  return best;
}

function newer(a: { created_at: string; id: string }, b: { created_at: string; id: string }): boolean {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb) return ta > tb;
  return a.id > b.id;
}
