// Fire times over the horizon, computed a day at a time: every matching day fires at the same set of
// minutes, so a pattern's whole sequence is (matching days) x (minutes of day). Gaps and spans of N
// consecutive runs follow from the matching days alone, without materialising 70,000 Dates per pattern.
import { BoundedCache } from "./cache";
import { epochDayOf, MINUTES_PER_DAY, minuteToDate, walkMatchingDays, type DayRule } from "./calendar";
import type { CompiledPattern } from "./compile";
import { ANCHOR, HORIZON_YEARS, type Gap } from "./types";

const ANCHOR_DAY = epochDayOf(ANCHOR.getTime());
/** [ANCHOR_DAY, HORIZON_END_DAY): 2024-01-01 to 2032-01-01, two leap days. */
const HORIZON_END_DAY = epochDayOf(Date.UTC(ANCHOR.getUTCFullYear() + HORIZON_YEARS, 0, 1));
/**
 * The Gregorian calendar repeats (weekdays included) every 400 years: a day rule that matches nothing in that span
 * never will.
 */
const GREGORIAN_CYCLE_DAYS = 146_097;
const LAST_REPRESENTABLE_DAY = 100_000_000;

/**
 * The days a calendar rule matches, shared by every pattern with that rule: the day walk over the horizon
 * is most of a cold analysis, and patterns that differ only in their times of day (`0 2 * * *`,
 * `30 4 * * *`, ...) match the same days.
 */
interface DayList {
  /** Matching days (epoch days) in the horizon, then any days appended by `ensureDays` past its end. */
  days: Int32Array;
  /** How many of `days` lie inside the horizon. */
  readonly horizonDays: number;
  /** Bit w set when it fires on weekday w (0-6) inside the horizon. */
  readonly weekdayMask: number;
  /** Index d of the first smallest and first largest days[d+1] - days[d] in the horizon (-1: fewer than 2 days). */
  readonly closestPair: number;
  readonly farthestPair: number;
  /** Memo of `minDayOffset` by offset. */
  readonly offsets: Map<number, number>;
}

export interface Expansion {
  readonly compiled: CompiledPattern;
  readonly dayList: DayList;
  /** How many matching days lie inside the horizon. */
  readonly horizonDays: number;
  /** Bit w set when it fires on weekday w (0-6) inside the horizon. */
  readonly weekdayMask: number;
  readonly minGap: Gap | null;
  readonly maxGap: Gap | null;
  /** Memo of `minSpan` by run count. */
  readonly spans: Map<number, number>;
}

const expansionCache = new BoundedCache<string, Expansion>(2048);
const dayListCache = new BoundedCache<string, DayList>(1024);

export function clearExpansionCache(): void {
  expansionCache.clear();
  dayListCache.clear();
}

function dayListOf(rule: DayRule): DayList {
  const key = `${rule.monthMask}/${rule.domMask}/${rule.dowMask}/${rule.union ? "or" : "and"}`;
  const cached = dayListCache.get(key);
  if (cached !== undefined) return cached;
  const days: number[] = [];
  let weekdayMask = 0;
  walkMatchingDays(rule, ANCHOR_DAY, HORIZON_END_DAY, (day, weekday) => {
    days.push(day);
    weekdayMask |= 1 << weekday;
  });
  let closestPair = -1;
  let farthestPair = -1;
  for (let d = 0; d + 1 < days.length; d++) {
    const diff = (days[d + 1] ?? 0) - (days[d] ?? 0);
    if (closestPair < 0 || diff < (days[closestPair + 1] ?? 0) - (days[closestPair] ?? 0)) closestPair = d;
    if (farthestPair < 0 || diff > (days[farthestPair + 1] ?? 0) - (days[farthestPair] ?? 0)) farthestPair = d;
  }
  const list: DayList = {
    days: Int32Array.from(days),
    horizonDays: days.length,
    weekdayMask,
    closestPair,
    farthestPair,
    offsets: new Map(),
  };
  dayListCache.set(key, list);
  return list;
}

export function expand(compiled: CompiledPattern): Expansion {
  const cached = expansionCache.get(compiled.canonical);
  if (cached !== undefined) return cached;
  const dayList = dayListOf(compiled.rule);
  const { minGap, maxGap } = gapsOf(dayList, compiled.minutesOfDay);
  const expansion: Expansion = {
    compiled,
    dayList,
    horizonDays: dayList.horizonDays,
    weekdayMask: dayList.weekdayMask,
    minGap,
    maxGap,
    spans: new Map(),
  };
  expansionCache.set(compiled.canonical, expansion);
  return expansion;
}

function gap(fromMinute: number, toMinute: number): Gap {
  return { minutes: toMinute - fromMinute, from: minuteToDate(fromMinute), to: minuteToDate(toMinute) };
}

/**
 * Two kinds of consecutive runs: within a day (between neighbouring minutes of day; the same on every
 * matching day, so the first matching day is the earliest instance) and across days (last run of one
 * matching day to the first of the next: a constant plus the days between them, so the first closest and
 * the first farthest pair of matching days are the only candidates). Ties keep the earliest instance.
 */
function gapsOf(list: DayList, minutesOfDay: readonly number[]): { minGap: Gap | null; maxGap: Gap | null } {
  const days = list.days;
  const perDay = minutesOfDay.length;
  if (list.horizonDays * perDay < 2) return { minGap: null, maxGap: null };
  const first = minutesOfDay[0] ?? 0;
  const last = minutesOfDay[perDay - 1] ?? 0;

  let minFrom = 0,
    minTo = 0,
    maxFrom = 0,
    maxTo = 0;
  let minSize = Infinity,
    maxSize = -Infinity;
  const consider = (from: number, to: number): void => {
    const size = to - from;
    if (size < minSize || (size === minSize && from < minFrom)) {
      minSize = size;
      minFrom = from;
      minTo = to;
    }
    if (size > maxSize || (size === maxSize && from < maxFrom)) {
      maxSize = size;
      maxFrom = from;
      maxTo = to;
    }
  };
  const firstDayStart = (days[0] ?? 0) * MINUTES_PER_DAY;
  for (let r = 0; r + 1 < perDay; r++)
    consider(firstDayStart + (minutesOfDay[r] ?? 0), firstDayStart + (minutesOfDay[r + 1] ?? 0));
  for (const d of [list.closestPair, list.farthestPair]) {
    if (d >= 0) consider((days[d] ?? 0) * MINUTES_PER_DAY + last, (days[d + 1] ?? 0) * MINUTES_PER_DAY + first);
  }
  return { minGap: gap(minFrom, minTo), maxGap: gap(maxFrom, maxTo) };
}

/** Appends matching days after the horizon until the list holds at least `count`. */
function ensureDays(list: DayList, rule: DayRule, pattern: string, count: number): void {
  if (list.days.length >= count) return;
  const grown: number[] = Array.from(list.days);
  let cursor = (grown[grown.length - 1] ?? HORIZON_END_DAY - 1) + 1;
  while (grown.length < count) {
    const before = grown.length;
    const chunkEnd = cursor + GREGORIAN_CYCLE_DAYS;
    walkMatchingDays(rule, cursor, chunkEnd, (day) => {
      grown.push(day);
      return grown.length >= count;
    });
    if (grown.length === before) throw new Error(`schedule \`${pattern}\` stops firing after the horizon`);
    cursor = (grown[grown.length - 1] ?? chunkEnd) + 1;
  }
  list.days = Int32Array.from(grown);
}

/** Smallest days[d + offset] - days[d] over the horizon's days d (the list must reach that far). */
function minDayOffset(list: DayList, offset: number): number {
  const memo = list.offsets.get(offset);
  if (memo !== undefined) return memo;
  const days = list.days;
  let best = Infinity;
  for (let d = 0; d < list.horizonDays; d++) {
    const diff = (days[d + offset] ?? Infinity) - (days[d] ?? 0);
    if (diff < best) best = diff;
  }
  list.offsets.set(offset, best);
  return best;
}

/**
 * Shortest span, in minutes, of `runs` consecutive fire times, over every run inside the horizon as the
 * first (runs past the horizon's end complete the last windows). Run i is day floor(i/T), minute of day
 * i mod T (T runs a day), so with runs-1 = q*T + s the window from (d, r) ends on day d+q at minute r+s,
 * or on day d+q+1 at minute r+s-T when that wraps. The day part and the minute part minimise separately.
 */
export function minSpan(expansion: Expansion, runs: number): number {
  const memo = expansion.spans.get(runs);
  if (memo !== undefined) return memo;
  const tod = expansion.compiled.minutesOfDay;
  const perDay = tod.length;
  const q = Math.floor((runs - 1) / perDay);
  const s = (runs - 1) % perDay;
  const list = expansion.dayList;
  ensureDays(list, expansion.compiled.rule, expansion.compiled.pattern, list.horizonDays + q + 1);
  let sameDayTod = Infinity;
  let wrappedTod = Infinity;
  for (let r = 0; r < perDay; r++) {
    const end = r + s;
    if (end < perDay) sameDayTod = Math.min(sameDayTod, (tod[end] ?? 0) - (tod[r] ?? 0));
    else wrappedTod = Math.min(wrappedTod, (tod[end - perDay] ?? 0) - (tod[r] ?? 0));
  }
  let best = Infinity;
  if (sameDayTod !== Infinity) best = Math.min(best, minDayOffset(list, q) * MINUTES_PER_DAY + sameDayTod);
  if (wrappedTod !== Infinity) best = Math.min(best, minDayOffset(list, q + 1) * MINUTES_PER_DAY + wrappedTod);
  expansion.spans.set(runs, best);
  return best;
}

/** Calls `visit` with each fire time (epoch minutes) from the day of `fromMinute` on, until it returns true. */
export function forEachRun(
  compiled: CompiledPattern,
  fromMinute: number,
  untilDayExclusive: number,
  visit: (epochMinute: number) => boolean | void,
): void {
  const tod = compiled.minutesOfDay;
  let startDay = Math.floor(fromMinute / MINUTES_PER_DAY);
  // Dates end at ±8.64e15 ms (day ±100,000,000): runs beyond that could not be represented.
  untilDayExclusive = Math.min(untilDayExclusive, LAST_REPRESENTABLE_DAY);
  // Walk in 400-year chunks: a pattern that compiled fires at least once in any such window, so a chunk
  // without a run means the caller's range is exhausted, never an endless loop.
  while (startDay < untilDayExclusive) {
    const chunkEnd = Math.min(untilDayExclusive, startDay + GREGORIAN_CYCLE_DAYS);
    let stopped = false;
    let firedInChunk = false;
    walkMatchingDays(compiled.rule, startDay, chunkEnd, (day) => {
      firedInChunk = true;
      const base = day * MINUTES_PER_DAY;
      for (const minute of tod) {
        if (visit(base + minute) === true) {
          stopped = true;
          return true;
        }
      }
      return false;
    });
    if (stopped || (!firedInChunk && chunkEnd - startDay >= GREGORIAN_CYCLE_DAYS)) return;
    startDay = chunkEnd;
  }
}
