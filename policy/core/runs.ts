// Fire times of a pattern sampled for the policies that care when runs happen in the day or the week
// (backup-window, schedule-spread) or how several plans combine (volume-tier). The gaps and retention
// come from the schedule analysis; this only samples runs, cached per pattern.
import { ANCHOR, nextRuns, runsBetween } from "../../provider/schedule";

const MINUTE_MS = 60_000;
const DAY_MS = 1440 * MINUTE_MS;
/** Five weeks from the anchor (a Monday): every weekday five times and every day of the month once. */
const WEEKLY_SAMPLE_DAYS = 35;
/** Long enough for monthly patterns to show their gaps when plans are merged. */
export const UNION_SAMPLE_DAYS = 400;
const CACHE_LIMIT = 5000;

const weeklyCache = new Map<string, readonly Date[]>();
const unionCache = new Map<string, readonly Date[]>();

function cached(cache: Map<string, readonly Date[]>, pattern: string, compute: () => Date[]): readonly Date[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const runs = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, runs);
  return runs;
}

/** Runs in the five sample weeks; a pattern that skips them (`0 2 * 6 *`) is sampled at its next runs. */
export function sampleRuns(pattern: string): readonly Date[] {
  return cached(weeklyCache, pattern, () => {
    const runs = runsBetween(pattern, new Date(ANCHOR.getTime() - 1), new Date(ANCHOR.getTime() + WEEKLY_SAMPLE_DAYS * DAY_MS));
    return runs.length > 0 ? runs : nextRuns(pattern, ANCHOR, 35);
  });
}

/** Runs over the union sample span, for merging several plans' schedules. */
export function unionSampleRuns(pattern: string): readonly Date[] {
  return cached(unionCache, pattern, () =>
    runsBetween(pattern, new Date(ANCHOR.getTime() - 1), new Date(ANCHOR.getTime() + UNION_SAMPLE_DAYS * DAY_MS)));
}

export function minuteOfDay(date: Date): number {
  return date.getUTCHours() * 60 + date.getUTCMinutes();
}

/** Distinct start times in the day (minutes after midnight UTC), ascending. */
export function startMinutesOfDay(pattern: string): number[] {
  return [...new Set(sampleRuns(pattern).map(minuteOfDay))].sort((a, b) => a - b);
}

/** Longest gap in minutes between consecutive runs of the merged schedules, or null with fewer than two runs. */
export function unionMaxGapMinutes(patterns: readonly string[]): number | null {
  const times = [...new Set(patterns.flatMap((pattern) => unionSampleRuns(pattern).map((run) => run.getTime())))].sort((a, b) => a - b);
  if (times.length < 2) return null;
  let widest = 0;
  for (let i = 1; i < times.length; i++) widest = Math.max(widest, (times[i]! - times[i - 1]!) / MINUTE_MS);
  return widest;
}
