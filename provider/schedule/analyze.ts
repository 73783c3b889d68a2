import { BoundedCache } from "./cache";
import { MINUTES_PER_DAY, MS_PER_MINUTE } from "./calendar";
import { clearCompileCache, compilePattern, MAX_CACHED_PATTERN_LENGTH, type CompiledPattern } from "./compile";
import { describe } from "./describe";
import { ScheduleError } from "./errors";
import { clearExpansionCache, expand, forEachRun, minSpan, type Expansion } from "./expand";
import { calendarFormProblems, tooFrequentProblem, typeProblem } from "./validate";
import {
  CHAIN_LENGTH,
  HORIZON_YEARS,
  SCHEDULE_TYPES,
  type BackupMode,
  type Retention,
  type ScheduleAnalysis,
  type ScheduleProblem,
  type ScheduleType,
} from "./types";
import { describeValue } from "../values";

/**
 * Every problem with (type, pattern), at once: [] when the service would accept it. Follows the API reference:
 * five fields in UTC, `crontab` any such expression, `calendar` only the weekly form, and either must fire
 * at some time and no more than once an hour.
 */
export function validateSchedule(type: string, pattern: string): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const badType = typeProblem(type);
  if (badType !== undefined) problems.push(badType);
  // Plain-JavaScript callers and policy inputs can hand over anything.
  if (typeof pattern !== "string") {
    problems.push({
      field: "schedule_pattern",
      code: "syntax",
      message: `schedule_pattern must be a string, got ${describeValue(pattern)}`,
      fix: "set schedule_pattern to a five-field cron expression, e.g. `0 2 * * *` (daily at 02:00 UTC)",
    });
    return problems;
  }
  const { compiled, parsed, problems: patternProblems } = compilePattern(pattern);
  problems.push(...patternProblems);
  // The calendar form is judged on the fields as written, so a calendar pattern that also never fires
  // gets both problems at once.
  if (type === "calendar" && parsed !== undefined) problems.push(...calendarFormProblems(parsed));
  if (compiled === undefined) return problems;
  const tooFrequent = tooFrequentProblem(compiled, expand(compiled));
  if (tooFrequent !== undefined) problems.push(tooFrequent);
  return problems;
}

// One cache per type, keyed by the pattern as given: a hit builds no key string (policies ask once per plan).
const analysisCaches = new Map<string, BoundedCache<string, ScheduleAnalysis>>(
  SCHEDULE_TYPES.map((type) => [type, new BoundedCache<string, ScheduleAnalysis>(2048)]),
);
/** Lets `retention` reach the expansion behind an analysis without re-parsing. */
const expansionOf = new WeakMap<ScheduleAnalysis, Expansion>();

/** Throws ScheduleError (carrying the problems) when validateSchedule finds problems. Cached per (type, pattern). */
export function analyzeSchedule(type: ScheduleType, pattern: string): ScheduleAnalysis {
  const cache = analysisCaches.get(type);
  const cached = cache?.get(pattern);
  if (cached !== undefined) return cached;
  const problems = validateSchedule(type, pattern);
  const { compiled } = compilePattern(pattern);
  if (problems.length > 0 || compiled === undefined) throw new ScheduleError(pattern, problems);
  const expansion = expand(compiled);
  const analysis: ScheduleAnalysis = {
    type,
    pattern,
    firesPerYear: (expansion.horizonDays * compiled.minutesOfDay.length) / HORIZON_YEARS,
    minGap: expansion.minGap,
    maxGap: expansion.maxGap,
    weekdays: [0, 1, 2, 3, 4, 5, 6].filter((w) => (expansion.weekdayMask & (1 << w)) !== 0),
    description: describe(compiled),
  };
  Object.freeze(analysis.weekdays);
  Object.freeze(analysis);
  if (pattern.length <= MAX_CACHED_PATTERN_LENGTH) cache?.set(pattern, analysis);
  expansionOf.set(analysis, expansion);
  return analysis;
}

/** Largest maxBackups `retention` accepts: far above the service's 90, low enough to stay instant. */
export const MAX_RETENTION_RUNS = 10_000;

/**
 * full: N backups cover N-1 gaps, so the look-back is the shortest span of N consecutive runs.
 * frequency: maxBackups chains of CHAIN_LENGTH runs, but right after the oldest chain is rotated out the
 * newest chain holds just its full backup: (F-1)*7+1 runs.
 */
export function retention(analysis: ScheduleAnalysis, mode: BackupMode, maxBackups: number): Retention {
  if (!Number.isInteger(maxBackups) || maxBackups < 1 || maxBackups > MAX_RETENTION_RUNS) {
    throw new RangeError(
      `maxBackups must be an integer between 1 and ${MAX_RETENTION_RUNS}, got ${String(maxBackups)}`,
    );
  }
  let runs: number;
  if (mode === "full") runs = maxBackups;
  else if (mode === "frequency") runs = (maxBackups - 1) * CHAIN_LENGTH + 1;
  else throw new RangeError(`backup mode must be "full" or "frequency", got ${JSON.stringify(mode)}`);
  const expansion = expansionOf.get(analysis) ?? expansionFor(analysis.pattern);
  return { restorePoints: runs, lookBackMinutes: minSpan(expansion, runs) };
}

/** For analyses that did not come from analyzeSchedule (copies, deserialised objects). */
function expansionFor(pattern: string): Expansion {
  return expand(compiledOrThrow(pattern));
}

function compiledOrThrow(pattern: string): CompiledPattern {
  const { compiled, problems } = compilePattern(pattern);
  if (compiled === undefined) throw new ScheduleError(pattern, [...problems]);
  return compiled;
}

function checkDate(name: string, value: Date): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

/**
 * Next `count` fire times strictly after `after` (UTC). Only syntax is checked (a too-frequent pattern
 * still has fire times worth showing); a pattern that never fires has none.
 */
export function nextRuns(pattern: string, after: Date, count: number): Date[] {
  const afterMs = checkDate("after", after);
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${String(count)}`);
  const { compiled, problems } = compilePattern(pattern);
  if (compiled === undefined) {
    if (problems.every((p) => p.code === "never-fires")) return [];
    throw new ScheduleError(pattern, [...problems]);
  }
  const runs: Date[] = [];
  if (count === 0) return runs;
  const afterMinute = afterMs / MS_PER_MINUTE;
  forEachRun(compiled, Math.floor(afterMinute), Infinity, (minute) => {
    if (minute > afterMinute) runs.push(new Date(minute * MS_PER_MINUTE));
    return runs.length >= count;
  });
  return runs;
}

/** Every fire time in (from, to], ascending (the emulator's scheduler uses it). */
export function runsBetween(pattern: string, from: Date, to: Date): Date[] {
  return runMinutesBetween(pattern, from, to).map((minute) => new Date(minute * MS_PER_MINUTE));
}

/** `runsBetween` as minutes since the epoch: no Date per run (the policies sample months of runs per schedule). */
export function runMinutesBetween(pattern: string, from: Date, to: Date): number[] {
  const fromMs = checkDate("from", from);
  const toMs = checkDate("to", to);
  const { compiled, problems } = compilePattern(pattern);
  if (compiled === undefined) {
    if (problems.every((p) => p.code === "never-fires")) return [];
    throw new ScheduleError(pattern, [...problems]);
  }
  const runs: number[] = [];
  if (toMs <= fromMs) return runs;
  const fromMinute = fromMs / MS_PER_MINUTE;
  const toMinute = toMs / MS_PER_MINUTE;
  const untilDay = Math.floor(toMinute / MINUTES_PER_DAY) + 1;
  forEachRun(compiled, Math.floor(fromMinute), untilDay, (minute) => {
    if (minute > toMinute) return true;
    if (minute > fromMinute) runs.push(minute);
    return false;
  });
  return runs;
}

/** Benchmark and test hook: forget every cached parse, expansion and analysis (a cold start). */
export function clearScheduleCaches(): void {
  for (const cache of analysisCaches.values()) cache.clear();
  clearExpansionCache();
  clearCompileCache();
}
