// `npm run bench -- schedule [--count N]`: N distinct valid schedule patterns analysed from a cold cache.
// Target (docs/design.md §1): 1,000 patterns in under 2 s.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { mulberry32 } from "../provider/random";
import { analyzeSchedule, clearScheduleCaches, retention, validateSchedule } from "../provider/schedule";

const TARGET_MS = 2000;
const TARGET_COUNT = 1000;

/**
 * `count` distinct valid patterns covering the shapes plans use: daily, hourly and every-N-hours, weekday
 * sets, monthly, yearly, Feb 29, and day-of-month/day-of-week unions. Hourly shapes are the costliest
 * (24 runs a day), so they are well represented.
 */
export function schedulePatterns(count: number, seed = 20240101): string[] {
  const random = mulberry32(seed); // deterministic: every run measures the same patterns
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const shapes: (() => string)[] = [
    () => `${int(0, 59)} ${int(0, 23)} * * *`,
    () => `${int(0, 59)} * * * *`,
    () => `${int(0, 59)} */${pick([2, 3, 4, 6, 8, 12])} * * *`,
    () => `${int(0, 59)} ${int(0, 11)}-${int(12, 23)} * * ${pick(["*", "1-5", "0,6", "1-6"])}`,
    () => `${int(0, 59)} ${int(0, 23)} * * ${pick(["1-5", "0", "6", "1,3,5", "2,4", "0,6", "1-6", "5"])}`,
    () => `${int(0, 59)} ${int(0, 23)} ${int(1, 28)} * *`,
    () => `${int(0, 59)} ${int(0, 23)} ${int(1, 28)},${int(29, 31)} */${pick([1, 2, 3, 6])} *`,
    () => `${int(0, 59)} ${int(0, 23)} ${int(1, 31)} ${int(1, 12)} *`,
    () => `${int(0, 59)} ${int(0, 23)} 29 2 *`,
    () => `${int(0, 59)} ${int(0, 23)} ${int(1, 15)} * ${int(0, 7)}`,
    () => `${int(0, 59)} ${int(0, 23)},${int(0, 23)} * ${pick(["*", "1-6", "3,6,9,12"])} ${pick(["*", "1-5"])}`,
  ];
  const patterns = new Set<string>();
  let attempts = 0;
  while (patterns.size < count) {
    if (++attempts > count * 100) throw new Error(`could only generate ${patterns.size} distinct valid patterns`);
    const pattern = pick(shapes)();
    if (!patterns.has(pattern) && validateSchedule("crontab", pattern).length === 0) patterns.add(pattern);
  }
  clearScheduleCaches();
  return [...patterns];
}

/** Analyses `count` distinct patterns from a cold cache; reusable by the policy benchmark. */
export function measureScheduleAnalysis(count: number): { count: number; totalMs: number } {
  const patterns = schedulePatterns(count);
  clearScheduleCaches();
  const start = performance.now();
  for (const pattern of patterns) analyzeSchedule("crontab", pattern);
  return { count, totalMs: performance.now() - start };
}

function measureRetention(count: number): { count: number; totalMs: number } {
  const analyses = schedulePatterns(count).map((p) => analyzeSchedule("crontab", p));
  const start = performance.now();
  for (const a of analyses) {
    retention(a, "full", 90);
    retention(a, "frequency", 14);
  }
  return { count, totalMs: performance.now() - start };
}

export async function run(args: string[]): Promise<boolean> {
  const { values } = parseArgs({ args, options: { count: { type: "string", default: String(TARGET_COUNT) } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--count must be a positive integer, got ${values.count ?? ""}`);

  // A first pass loads and JIT-compiles the code paths; the measured pass starts from a cold cache.
  measureScheduleAnalysis(Math.min(count, 100));
  const analysis = measureScheduleAnalysis(count);
  const perPatternUs = (analysis.totalMs * 1000) / analysis.count;
  const scaledToTarget = (analysis.totalMs / analysis.count) * TARGET_COUNT;
  const met = scaledToTarget < TARGET_MS;
  const kept = measureRetention(count);

  const lines = [
    `schedule analysis: ${analysis.count} distinct patterns, cold cache`,
    `  total          ${analysis.totalMs.toFixed(1)} ms`,
    `  per pattern    ${perPatternUs.toFixed(1)} µs`,
    `  target         ${TARGET_COUNT} patterns < ${TARGET_MS} ms: ` +
      `${met ? "met" : "NOT met"} (${scaledToTarget.toFixed(1)} ms per ${TARGET_COUNT})`,
    `retention (full 90 + frequency 14 per pattern, expansion cached): ${kept.totalMs.toFixed(1)} ms, ` +
      `${((kept.totalMs * 1000) / kept.count).toFixed(1)} µs per pattern`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return met;
}
