// The simulated scheduler: on the virtual clock, started plans take a checkpoint at each of their cron times,
// with chains and retention as the API reference says (checkpoints, chains, retention). Pure over the store; the cron
// evaluation and id generation are injected.

import { CHAIN_LENGTH } from "../provider/schedule";
import { type CheckpointRecord, type ItemRecord, type PlanRecord, effectivePlanStatus, formatTime } from "./model";
import { compareOrdered } from "./sorted";
import type { Store } from "./store";

interface SchedulerDeps {
  /** Every fire time of a five-field UTC cron pattern in (from, to], ascending, at most `limit`. */
  runsBetween(pattern: string, from: Date, to: Date, limit: number): Date[];
  newId(): string;
  protectingSeconds: number;
  realNowMs: number;
  /** Backup faults: whether a run of the plan fails (`error`) or is skipped; undefined runs normally. */
  backupOutcome?: (plan: PlanRecord) => "error" | "skip" | undefined;
}

interface Run {
  atMs: number;
  plan: PlanRecord;
}

/** Bound on the runs of one clock move, so that a typo cannot block the emulator for minutes. */
const MAX_RUNS_PER_ADVANCE = 500_000;

export class TooManyRunsError extends Error {
  constructor(readonly runs: number) {
    super(
      `moving the clock that far would take ${runs} scheduled runs (at most ${MAX_RUNS_PER_ADVANCE}` +
        ` per move); advance in smaller steps`,
    );
    this.name = "TooManyRunsError";
  }
}

/**
 * Moves the virtual clock to `toMs`, running every due schedule in time order across plans. Answers the runs
 * taken. Throws TooManyRunsError, changing nothing, when the move would take more than MAX_RUNS_PER_ADVANCE.
 */
export function advanceClock(store: Store, toMs: number, deps: SchedulerDeps): number {
  const to = new Date(toMs);
  const runs: Run[] = [];
  const considered: PlanRecord[] = [];
  for (const plan of store.plans.values()) {
    const from = Date.parse(plan.scheduledThrough);
    if (from >= toMs) continue;
    considered.push(plan);
    // A plan suspended (or held, or deleting) when the clock moves skips those runs for good.
    if (plan.goneAtMs === null && effectivePlanStatus(plan, deps.realNowMs) === "started") {
      const limit = MAX_RUNS_PER_ADVANCE + 1 - runs.length;
      for (const at of deps.runsBetween(plan.schedulePattern, new Date(from), to, limit))
        runs.push({ atMs: at.getTime(), plan });
      if (runs.length > MAX_RUNS_PER_ADVANCE) throw new TooManyRunsError(runs.length);
    }
  }
  for (const plan of considered) plan.scheduledThrough = formatTime(toMs);
  // Time order across plans; plans due at the same minute run in list order (created_at, then id).
  runs.sort((a, b) => a.atMs - b.atMs || compareOrdered(a.plan, b.plan));
  for (const run of runs) {
    store.clockMs = run.atMs;
    store.settle(formatTime(run.atMs));
    const outcome = deps.backupOutcome?.(run.plan);
    if (outcome === "skip") continue;
    takeCheckpoint(store, run.plan, run.atMs, deps, outcome === "error");
    applyRetention(store, run.plan);
  }
  store.clockMs = toMs;
  store.settle(formatTime(toMs));
  return runs.length;
}

/** One scheduled run: a checkpoint with one item per protected volume (that end `error` when `fails`). */
function takeCheckpoint(
  store: Store,
  plan: PlanRecord,
  atMs: number,
  deps: Pick<SchedulerDeps, "newId" | "protectingSeconds">,
  fails = false,
): CheckpointRecord {
  const createdAt = formatTime(atMs);
  const availableAt = formatTime(atMs + deps.protectingSeconds * 1000);
  const checkpointId = deps.newId();
  const items: ItemRecord[] = plan.resources.map((resource) => {
    const { chainId, isIncremental } = nextLink(store, plan, resource.id, deps.newId);
    return {
      id: deps.newId(),
      backupId: deps.newId(),
      chainId,
      checkpointId,
      createdAt,
      isIncremental,
      resource: { id: resource.id, name: resource.name, type: resource.type },
      status: deps.protectingSeconds > 0 ? "protecting" : fails ? "error" : "available",
      availableAt,
      ...(fails ? { fails: true } : {}),
    };
  });
  const checkpoint: CheckpointRecord = {
    id: checkpointId,
    projectId: plan.projectId,
    planId: plan.id,
    createdAt,
    items,
    goneAtMs: null,
  };
  store.addCheckpoint(checkpoint);
  return checkpoint;
}

/**
 * Where the next backup of a volume goes. Full mode: always a new chain. Frequency mode: backups 1, 8, 15, ...
 * of the volume are full and start a chain; the others extend the last one. A chain that no longer exists
 * (deleted by the user) cannot be extended, so the next backup starts a new one.
 */
function nextLink(
  store: Store,
  plan: PlanRecord,
  volumeId: string,
  newId: () => string,
): { chainId: string; isIncremental: boolean } {
  if (plan.backupMode === "full") return { chainId: newId(), isIncremental: false };
  const series = plan.series[volumeId];
  if (series !== undefined && series.backupsInChain < CHAIN_LENGTH && store.chains.has(series.chainId)) {
    series.backupsInChain += 1;
    return { chainId: series.chainId, isIncremental: true };
  }
  const chainId = newId();
  plan.series[volumeId] = { chainId, backupsInChain: 1 };
  return { chainId, isIncremental: false };
}

/**
 * Retention after a run. Full mode keeps the plan's newest `max_backups` checkpoints; frequency mode keeps, per
 * volume, the newest `max_backups` chains. What falls outside is deleted; checkpoints left empty disappear.
 */
function applyRetention(store: Store, plan: PlanRecord): void {
  const checkpoints = store.checkpointsOfPlan(plan.id).filter((checkpoint) => checkpoint.goneAtMs === null);
  if (plan.backupMode === "full") {
    const excess = checkpoints.length - plan.maxBackups;
    for (const checkpoint of checkpoints.slice(0, Math.max(0, excess))) store.removeCheckpoint(checkpoint);
    return;
  }
  // Per volume, chains in the order they started (checkpoints are ordered oldest first).
  const chainsByVolume = new Map<string, string[]>();
  for (const checkpoint of checkpoints) {
    for (const item of checkpoint.items) {
      const chains = chainsByVolume.get(item.resource.id) ?? [];
      if (!chains.includes(item.chainId)) chains.push(item.chainId);
      chainsByVolume.set(item.resource.id, chains);
    }
  }
  const doomedChains = new Set<string>();
  for (const chains of chainsByVolume.values()) {
    for (const chainId of chains.slice(0, Math.max(0, chains.length - plan.maxBackups))) doomedChains.add(chainId);
  }
  if (doomedChains.size === 0) return;
  for (const checkpoint of checkpoints) {
    const doomed = new Set(checkpoint.items.filter((item) => doomedChains.has(item.chainId)));
    if (doomed.size > 0) store.removeItems(checkpoint, doomed);
  }
}

/**
 * Why a checkpoint cannot be deleted on its own, or null when it can: it is still protecting, or one of its
 * items is the base of a later item of the same chain that is kept.
 */
export function deletionBlocker(store: Store, checkpoint: CheckpointRecord): string | null {
  if (checkpoint.items.some((item) => item.status === "protecting")) {
    return `checkpoint ${checkpoint.id} is still protecting; delete it once its backups are available`;
  }
  for (const item of checkpoint.items) {
    const chain = store.chains.get(item.chainId) ?? [];
    const dependant = chain.find(
      (other) => other !== item && other.createdAt > item.createdAt && other.status !== "deleting",
    );
    if (dependant !== undefined) {
      return (
        `checkpoint ${checkpoint.id} holds backup ${item.id} of volume ${item.resource.name}, which the later ` +
        `backup ${dependant.id} (checkpoint ${dependant.checkpointId}) of chain ${item.chainId} depends on; ` +
        `delete the whole chain with DELETE /checkpoints/?chain_id=${item.chainId}, ` +
        `or delete the later checkpoints first`
      );
    }
  }
  return null;
}
