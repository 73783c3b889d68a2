// Facts derived from a plan's schedule, recorded as outputs: the next runs, the longest gap between runs
// (the effective RPO) and how far back restores reach. Pure: the caller passes the current time.
import type { PlanFacts } from "../mapping";
import { analyzeSchedule, nextRuns, retention } from "../schedule";

const NEXT_RUN_COUNT = 5;

interface ScheduleFields {
  scheduleType: string;
  schedulePattern: string;
  backupMode: string;
  maxBackups: number;
}

/**
 * Derives the facts, or empty facts when the plan's schedule is one we cannot analyse (a plan adopted or
 * read from the service may carry a pattern the service accepts and we do not): outputs must never fail.
 */
export function derivePlanFacts(plan: ScheduleFields, now: Date): PlanFacts {
  const type = plan.scheduleType;
  const mode = plan.backupMode;
  if ((type !== "crontab" && type !== "calendar") || (mode !== "full" && mode !== "frequency")) {
    return { nextRunTimes: [], maxIntervalHours: null, retentionDays: null };
  }
  try {
    const analysis = analyzeSchedule(type, plan.schedulePattern);
    const runs = nextRuns(plan.schedulePattern, now, NEXT_RUN_COUNT).map((d) => d.toISOString());
    const maxIntervalHours = analysis.maxGap === null ? null : round2(analysis.maxGap.minutes / 60);
    let retentionDays: number | null = null;
    if (Number.isInteger(plan.maxBackups) && plan.maxBackups >= 1) {
      const kept = retention(analysis, mode, plan.maxBackups);
      retentionDays = round2(kept.lookBackMinutes / (24 * 60));
    }
    return { nextRunTimes: runs, maxIntervalHours, retentionDays };
  } catch {
    return { nextRunTimes: [], maxIntervalHours: null, retentionDays: null };
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
