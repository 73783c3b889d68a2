// Fire times of a pattern sampled for the policies that care when runs happen in the day or the week
// (backup-window, schedule-spread) or how several plans combine (volume-tier). The gaps and retention
// come from the schedule analysis; this only samples runs, cached per pattern.
import {
  ANCHOR,
  MINUTES_PER_DAY,
  MS_PER_DAY,
  MS_PER_MINUTE,
  nextRuns,
  runMinutesBetween,
  weekdayOfEpochDay,
} from "../../provider/schedule";

/** Five weeks from the anchor (a Monday): every weekday five times and every day of the month once. */
const WEEKLY_SAMPLE_DAYS = 35;
/** Long enough for monthly patterns to show their gaps when plans are merged. */
const UNION_SAMPLE_DAYS = 400;
const CACHE_LIMIT = 5000;

// Runs are kept as minutes since the epoch (UTC): a Date per run was most of what sampling allocated.

const weeklyCache = new Map<string, readonly number[]>();

function cached(cache: Map<string, readonly number[]>, pattern: string, compute: () => number[]): readonly number[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const runs = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, runs);
  return runs;
}

/** Forgets every sampled run (benchmarks measure cold caches with it). */
export function clearRunSamples(): void {
  weeklyCache.clear();
  unionTimesCache.clear();
  slotCache.clear();
  unionGapCache.clear();
}

/** Runs in the five sample weeks; a pattern that skips them (`0 2 * 6 *`) is sampled at its next runs. */
function sampleRuns(pattern: string): readonly number[] {
  return cached(weeklyCache, pattern, () => {
    const runs = runMinutesBetween(
      pattern,
      new Date(ANCHOR.getTime() - 1),
      new Date(ANCHOR.getTime() + WEEKLY_SAMPLE_DAYS * MS_PER_DAY),
    );
    return runs.length > 0 ? runs : nextRuns(pattern, ANCHOR, 35).map((run) => run.getTime() / MS_PER_MINUTE);
  });
}

/** Runs over the union sample span, for merging several plans' schedules (callers cache what they keep). */
function unionSampleRuns(pattern: string): readonly number[] {
  return runMinutesBetween(
    pattern,
    new Date(ANCHOR.getTime() - 1),
    new Date(ANCHOR.getTime() + UNION_SAMPLE_DAYS * MS_PER_DAY),
  );
}

function minuteOfDay(minute: number): number {
  return minute % MINUTES_PER_DAY;
}

function weekday(minute: number): number {
  return weekdayOfEpochDay(Math.floor(minute / MINUTES_PER_DAY));
}

/** Distinct start times in the day (minutes after midnight UTC), ascending. */
export function startMinutesOfDay(pattern: string): number[] {
  return [...new Set(sampleRuns(pattern).map(minuteOfDay))].sort((a, b) => a - b);
}

const unionTimesCache = new Map<string, Float64Array>();
const slotCache = new Map<string, WeeklySlots>();

/** Fire times (minutes since epoch, ascending) over the union sample span. */
function unionTimes(pattern: string): Float64Array {
  const hit = unionTimesCache.get(pattern);
  if (hit !== undefined) return hit;
  const times = Float64Array.from(unionSampleRuns(pattern));
  if (unionTimesCache.size >= CACHE_LIMIT) unionTimesCache.clear();
  unionTimesCache.set(pattern, times);
  return times;
}

const unionGapCache = new Map<string, number | null>();

/**
 * Longest gap in minutes between consecutive runs of the merged schedules, or null with fewer than two
 * runs. Cached per set of patterns: in a large stack many volumes share the same pair of plans' schedules.
 */
export function unionMaxGapMinutes(patterns: readonly string[]): number | null {
  const distinct = [...new Set(patterns)].sort();
  const key = JSON.stringify(distinct);
  const hit = unionGapCache.get(key);
  if (hit !== undefined) return hit;
  const gap = mergedMaxGap(distinct);
  if (unionGapCache.size >= CACHE_LIMIT) unionGapCache.clear();
  unionGapCache.set(key, gap);
  return gap;
}

/** A k-way merge of the cached, sorted fire times: no merged array is built. */
function mergedMaxGap(patterns: readonly string[]): number | null {
  const lists = patterns.map(unionTimes);
  const heads = new Array<number>(lists.length).fill(0);
  let previous = Number.NaN;
  let widest = -1;
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!;
      if (heads[i]! < list.length && list[heads[i]!]! < next) next = list[heads[i]!]!;
    }
    if (next === Number.POSITIVE_INFINITY) break;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!;
      while (heads[i]! < list.length && list[heads[i]!]! === next) heads[i]!++;
    }
    if (!Number.isNaN(previous)) widest = Math.max(widest, next - previous);
    previous = next;
  }
  return widest < 0 ? null : widest;
}

/** Where in the week a pattern starts runs: distinct (weekday, bucket) slots and distinct minutes of the hour. */
interface WeeklySlots {
  /** weekday * bucketsPerDay + bucket of the day, ascending. */
  slots: Int32Array;
  minutesOfHour: ReadonlySet<number>;
}

export function weeklySlots(pattern: string, bucketMinutes: number): WeeklySlots {
  const key = `${bucketMinutes}|${pattern}`;
  const hit = slotCache.get(key);
  if (hit !== undefined) return hit;
  const bucketsPerDay = Math.ceil(1440 / bucketMinutes);
  const slots = new Set<number>();
  const minutesOfHour = new Set<number>();
  for (const run of sampleRuns(pattern)) {
    minutesOfHour.add(run % 60);
    slots.add(weekday(run) * bucketsPerDay + Math.floor(minuteOfDay(run) / bucketMinutes));
  }
  const result = { slots: Int32Array.from([...slots].sort((a, b) => a - b)), minutesOfHour };
  if (slotCache.size >= CACHE_LIMIT) slotCache.clear();
  slotCache.set(key, result);
  return result;
}
