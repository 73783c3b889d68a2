// Backup health: are the backups really happening? Pure over one listing of plans and one of checkpoints
// (no I/O, no Pulumi), with the schedule facts from provider/schedule, so the CLI, the data source and the
// benchmark judge the same way. Linear in the number of checkpoint items.
import type { Checkpoint, CheckpointItem, Plan } from "../api/types";
import {
  analyzeSchedule,
  MS_PER_DAY,
  MS_PER_MINUTE,
  nextRuns,
  ScheduleError,
  retention,
  runsBetween,
  type BackupMode,
  type ScheduleAnalysis,
  type ScheduleType,
} from "../schedule";
import {
  DEFAULT_LOOK_BACK_DAYS,
  DEFAULT_SLACK_MINUTES,
  type BackupRef,
  type HealthOptions,
  type HealthReport,
  type PlanHealth,
  type VolumeHealth,
} from "./types";
import { formatAge } from "./format";

/** What to ask the API for: one listing of plans and one of checkpoints, narrowed by the same filters. */
export function healthListingFilters(options: Pick<HealthOptions, "planName" | "volumeName">): {
  plans: { name?: string; volumeName?: string };
  checkpoints: { planName?: string; volumeName?: string };
} {
  const plans: { name?: string; volumeName?: string } = {};
  const checkpoints: { planName?: string; volumeName?: string } = {};
  if (options.planName !== undefined) {
    plans.name = options.planName;
    checkpoints.planName = options.planName;
  }
  if (options.volumeName !== undefined) {
    plans.volumeName = options.volumeName;
    checkpoints.volumeName = options.volumeName;
  }
  return { plans, checkpoints };
}

export function checkHealthOptions(options: HealthOptions): {
  nowMs: number;
  slackMinutes: number;
  lookBackDays: number;
} {
  const nowMs = options.now instanceof Date ? options.now.getTime() : NaN;
  if (Number.isNaN(nowMs)) throw new RangeError("now must be a valid Date");
  const slackMinutes = options.slackMinutes ?? DEFAULT_SLACK_MINUTES;
  if (!Number.isInteger(slackMinutes) || slackMinutes < 0 || slackMinutes > 10_080) {
    throw new RangeError(
      `slackMinutes must be a whole number of minutes from 0 to 10080 (7 days), got ${String(options.slackMinutes)}`,
    );
  }
  const lookBackDays = options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
  if (!Number.isInteger(lookBackDays) || lookBackDays < 1 || lookBackDays > 400) {
    throw new RangeError(
      `lookBackDays must be a whole number of days from 1 to 400, got ${String(options.lookBackDays)}`,
    );
  }
  return { nowMs, slackMinutes, lookBackDays };
}

/** A checkpoint item with its parsed time. */
export interface Timed {
  item: CheckpointItem;
  ms: number;
}

/** The report for every plan (and every volume it protects) matching the options' filters. */
export function analyzeHealth(
  plans: readonly Plan[],
  checkpoints: readonly Checkpoint[],
  options: HealthOptions,
): HealthReport {
  const { nowMs, slackMinutes, lookBackDays } = checkHealthOptions(options);
  // Each timestamp is parsed once: at 100,000 checkpoints the parsing is most of the analysis.
  const byPlan = new Map<string, TimedCheckpoint[]>();
  for (const checkpoint of checkpoints) {
    const timed = { checkpoint, ms: Date.parse(checkpoint.created_at) };
    const list = byPlan.get(checkpoint.plan_id);
    if (list === undefined) byPlan.set(checkpoint.plan_id, [timed]);
    else list.push(timed);
  }
  const selected = plans.filter(
    (plan) =>
      (options.planName === undefined || plan.name === options.planName) &&
      (options.volumeName === undefined || plan.resources.some((r) => r.name === options.volumeName)),
  );
  const context: Context = {
    nowMs,
    slackMs: slackMinutes * MS_PER_MINUTE,
    lookBackFromMs: nowMs - lookBackDays * MS_PER_DAY,
    volumeName: options.volumeName,
  };
  const planReports = selected.map((plan) => planHealth(plan, byPlan.get(plan.id) ?? [], context));
  const breaches = planReports.reduce((sum, p) => sum + p.volumes.filter((v) => v.breach).length, 0);
  return { at: iso(nowMs), slackMinutes, lookBackDays, healthy: breaches === 0, breaches, plans: planReports };
}

interface TimedCheckpoint {
  checkpoint: Checkpoint;
  ms: number;
}

interface Context {
  nowMs: number;
  slackMs: number;
  lookBackFromMs: number;
  volumeName: string | undefined;
}

interface ScheduleFacts {
  analysis: ScheduleAnalysis;
  promised: number;
}

function scheduleFacts(plan: Plan): ScheduleFacts | string {
  try {
    const analysis = analyzeSchedule(plan.schedule_type as ScheduleType, plan.schedule_pattern);
    const promised = retention(analysis, plan.backup_mode as BackupMode, plan.max_backups).restorePoints;
    return { analysis, promised };
  } catch (err) {
    if (err instanceof ScheduleError) return err.problems.map((p) => p.message).join("; ");
    return err instanceof Error ? err.message : String(err);
  }
}

function planHealth(plan: Plan, checkpoints: TimedCheckpoint[], ctx: Context): PlanHealth {
  const sorted = isSorted(checkpoints) ? checkpoints : [...checkpoints].sort(compareCheckpoints);
  const facts = scheduleFacts(plan);
  const createdMs = Date.parse(plan.created_at);
  const longestGapMinutes = typeof facts === "string" ? null : (facts.analysis.maxGap?.minutes ?? null);
  const rpoMs = longestGapMinutes === null ? null : longestGapMinutes * MS_PER_MINUTE + ctx.slackMs;

  // Runs are judged from the look-back or the plan's creation, and not before its oldest checkpoint once
  // retention may have pruned (older runs' checkpoints are gone by design, not missed).
  let kept = 0;
  let oldestKeptMs = Infinity;
  for (const c of sorted) {
    if (c.checkpoint.status === "deleting") continue;
    kept += 1;
    if (c.ms < oldestKeptMs) oldestKeptMs = c.ms;
  }
  let judgedFromMs = Math.max(ctx.lookBackFromMs, Number.isNaN(createdMs) ? ctx.lookBackFromMs : createdMs);
  if (typeof facts !== "string" && kept > 0 && kept >= facts.promised)
    judgedFromMs = Math.max(judgedFromMs, oldestKeptMs);
  let expectedRuns = 0;
  let missedRuns = 0;
  if (typeof facts !== "string") {
    ({ expectedRuns, missedRuns } = judgeRuns(plan.schedule_pattern, sorted, judgedFromMs, ctx));
  }

  const itemsByVolume = new Map<string, Timed[]>();
  for (const { checkpoint, ms } of sorted) {
    for (const item of checkpoint.checkpoint_items) {
      if (item.status === "deleting") continue;
      const list = itemsByVolume.get(item.resource.id);
      const timed = { item, ms: item.created_at === checkpoint.created_at ? ms : Date.parse(item.created_at) };
      if (list === undefined) itemsByVolume.set(item.resource.id, [timed]);
      else list.push(timed);
    }
  }
  const expectedPoints =
    typeof facts === "string"
      ? null
      : Math.min(facts.promised, runsSince(plan.schedule_pattern, createdMs, facts.promised, ctx));
  const resources = plan.resources.filter((r) => ctx.volumeName === undefined || r.name === ctx.volumeName);
  const volumes = resources.map((resource) =>
    volumeHealth(resource, itemsByVolume.get(resource.id) ?? [], {
      ctx,
      createdMs,
      rpoMs,
      promised: typeof facts === "string" ? null : facts.promised,
      expectedPoints,
    }),
  );
  const suspended = plan.status === "suspended";
  const failedBackups = volumes.reduce((sum, v) => sum + v.failedBackups, 0);
  const report: PlanHealth = {
    planId: plan.id,
    planName: plan.name,
    status: plan.status,
    suspended,
    backupMode: plan.backup_mode,
    maxBackups: plan.max_backups,
    scheduleType: plan.schedule_type,
    schedulePattern: plan.schedule_pattern,
    scheduleDescription: typeof facts === "string" ? null : facts.analysis.description,
    longestGapMinutes,
    rpoMinutes: rpoMs === null ? null : rpoMs / MS_PER_MINUTE,
    scheduleProblem: typeof facts === "string" ? facts : null,
    judgedFrom: iso(judgedFromMs),
    expectedRuns,
    missedRuns,
    failedBackups,
    breach: volumes.some((v) => v.breach),
    warnings: [],
    volumes,
  };
  report.warnings = warningsOf(report);
  return report;
}

/** Expected runs in [from, now - slack] and how many found no checkpoint within the slack after them. */
function judgeRuns(
  pattern: string,
  checkpoints: readonly TimedCheckpoint[],
  fromMs: number,
  ctx: Context,
): { expectedRuns: number; missedRuns: number } {
  const untilMs = ctx.nowMs - ctx.slackMs;
  if (untilMs <= fromMs) return { expectedRuns: 0, missedRuns: 0 };
  const runs = runsBetween(pattern, new Date(fromMs - 1), new Date(untilMs));
  const times = checkpoints.map((c) => c.ms);
  let j = 0;
  let missed = 0;
  for (const run of runs) {
    const at = run.getTime();
    while (j < times.length && times[j]! < at) j += 1;
    // Each checkpoint answers at most one run: a late run must not hide the next one.
    if (j < times.length && times[j]! <= at + ctx.slackMs) j += 1;
    else missed += 1;
  }
  return { expectedRuns: runs.length, missedRuns: missed };
}

/** Runs from the plan's creation until now - slack, counting no further than `cap`. */
function runsSince(pattern: string, createdMs: number, cap: number, ctx: Context): number {
  if (Number.isNaN(createdMs)) return cap;
  const untilMs = ctx.nowMs - ctx.slackMs;
  return nextRuns(pattern, new Date(createdMs), cap).filter((run) => run.getTime() <= untilMs).length;
}

interface VolumeContext {
  ctx: Context;
  createdMs: number;
  rpoMs: number | null;
  promised: number | null;
  expectedPoints: number | null;
}

function volumeHealth(resource: { id: string; name: string }, items: readonly Timed[], v: VolumeContext): VolumeHealth {
  const { usable, orphaned } = usableBackups(items);
  let newest: Timed | undefined;
  for (const timed of usable)
    if (newest === undefined || timed.ms > newest.ms || (timed.ms === newest.ms && timed.item.id > newest.item.id))
      newest = timed;
  let failedBackups = 0;
  for (const t of items) if (t.item.status === "error" && t.ms > v.ctx.lookBackFromMs) failedBackups += 1;
  const baseMs = newest?.ms ?? v.createdMs;
  const breachAtMs = v.rpoMs === null || Number.isNaN(baseMs) ? null : baseMs + v.rpoMs;
  return {
    volumeId: resource.id,
    volumeName: resource.name,
    newestBackup: newest === undefined ? null : backupRef(newest.item),
    newestBackupAgeMinutes:
      newest === undefined ? null : Math.max(0, Math.round((v.ctx.nowMs - newest.ms) / MS_PER_MINUTE)),
    breachAt: breachAtMs === null ? null : iso(breachAtMs),
    breach: breachAtMs !== null && v.ctx.nowMs > breachAtMs,
    failedBackups,
    restorePoints: usable.length,
    restorePointsPromised: v.promised,
    restorePointsExpected: v.expectedPoints,
    orphanedIncrementals: orphaned,
  };
}

/**
 * A full backup is usable when available; an incremental when it and every earlier backup of its chain back
 * to the full one are available. Incrementals of a chain without a usable full backup are orphaned.
 */
export function usableBackups(items: readonly Timed[]): { usable: Timed[]; orphaned: number } {
  const usable: Timed[] = [];
  let orphaned = 0;
  // Full mode (no incrementals at all): every backup is its own chain, usable when available.
  if (!items.some((t) => t.item.is_incremental)) {
    for (const timed of items) if (timed.item.status === "available") usable.push(timed);
    return { usable, orphaned };
  }
  const chains = new Map<string, Timed[]>();
  for (const timed of items) {
    const chain = chains.get(timed.item.chain_id);
    if (chain === undefined) chains.set(timed.item.chain_id, [timed]);
    else chain.push(timed);
  }
  for (const chain of chains.values()) {
    chain.sort((a, b) => a.ms - b.ms || Number(a.item.is_incremental) - Number(b.item.is_incremental));
    const fullUsable = chain.some((t) => !t.item.is_incremental && t.item.status === "available");
    let intact = false;
    for (const timed of chain) {
      if (!timed.item.is_incremental) {
        intact = timed.item.status === "available";
      } else {
        if (!fullUsable && timed.item.status !== "error") orphaned += 1;
        intact = intact && timed.item.status === "available";
      }
      if (intact) usable.push(timed);
    }
  }
  return { usable, orphaned };
}

function warningsOf(plan: PlanHealth): string[] {
  const warnings: string[] = [];
  if (plan.scheduleProblem !== null) warnings.push(`schedule cannot be analysed: ${plan.scheduleProblem}`);
  if (plan.suspended) warnings.push("plan is suspended: no new backups are taken");
  if (plan.missedRuns > 0)
    warnings.push(
      `${plan.missedRuns} of ${plan.expectedRuns} scheduled runs since ${plan.judgedFrom} made no checkpoint`,
    );
  for (const volume of plan.volumes) {
    const name = volume.volumeName;
    if (volume.breach) {
      warnings.push(
        volume.newestBackup === null
          ? `${name}: no usable backup, due by ${volume.breachAt ?? "-"}`
          : `${name}: newest usable backup is ${formatAge(volume.newestBackupAgeMinutes ?? 0)} old, ` +
              `over the ${formatAge(plan.rpoMinutes ?? 0)} the schedule allows`,
      );
    }
    if (volume.failedBackups > 0) warnings.push(`${name}: ${volume.failedBackups} failed backup(s) in the look-back`);
    if (volume.restorePointsExpected !== null && volume.restorePoints < volume.restorePointsExpected) {
      warnings.push(
        `${name}: ${volume.restorePoints} restore point(s), retention promises ${volume.restorePointsExpected}`,
      );
    }
    if (volume.orphanedIncrementals > 0)
      warnings.push(`${name}: ${volume.orphanedIncrementals} incremental backup(s) whose full backup is gone`);
  }
  return warnings;
}

function backupRef(item: CheckpointItem): BackupRef {
  return {
    itemId: item.id,
    checkpointId: item.checkpoint_id,
    createdAt: item.created_at,
    incremental: item.is_incremental,
  };
}

function compareCheckpoints(a: TimedCheckpoint, b: TimedCheckpoint): number {
  return a.ms - b.ms || (a.checkpoint.id < b.checkpoint.id ? -1 : a.checkpoint.id > b.checkpoint.id ? 1 : 0);
}

function isSorted(checkpoints: readonly TimedCheckpoint[]): boolean {
  for (let i = 1; i < checkpoints.length; i += 1)
    if (compareCheckpoints(checkpoints[i - 1]!, checkpoints[i]!) > 0) return false;
  return true;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
