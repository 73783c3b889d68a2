// Turns a pattern into what the day walk needs: the times of day it fires at and its calendar rule.
// Our grammar check (fields.ts) already expands every field into its sorted, de-duplicated values, and
// those values are the rule: handing them to cron-parser only to read the same lists back cost the
// plugin's first Check about 30 ms of CPU (loading cron-parser and luxon, whose first DateTime resolves
// the system locale through ICU) and every new pattern a parse. cron-parser 5 stays the oracle the tests
// hold this module to (tests/provider/schedule/properties.test.ts compares the rule and the fire times).
import { BoundedCache } from "./cache";
import type { DayRule } from "./calendar";
import { daysInMonth, FIELD_SPECS, MONTH_SHORT, parseFields, type ParsedFields } from "./fields";
import type { ScheduleProblem } from "./types";

export interface CompiledPattern {
  /** The pattern with fields separated by single spaces, for messages. */
  readonly pattern: string;
  /**
   * The meaning in canonical form (`*` or the expanded list per field; day-of-week 7 folded into 0), so
   * `0 2 * * 7` and `0 2 * * 0` share one expansion; bounded in length whatever the input.
   */
  readonly canonical: string;
  readonly fields: ParsedFields;
  /** Minutes after 00:00 UTC at which every matching day fires, ascending. */
  readonly minutesOfDay: readonly number[];
  readonly rule: DayRule;
}

interface CompileResult {
  readonly compiled?: CompiledPattern;
  /** The fields as written, whenever the syntax is valid (even for a pattern that never fires). */
  readonly parsed?: Pick<CompiledPattern, "pattern" | "fields">;
  /** Syntax and never-fires problems (type-independent). */
  readonly problems: readonly ScheduleProblem[];
}

const compileCache = new BoundedCache<string, CompileResult>(4096);
/** Patterns longer than this (a generous hand-written pattern) are computed but never cached. */
export const MAX_CACHED_PATTERN_LENGTH = 512;

/** Parses `pattern` once; results (including failures) are cached per exact input string. */
export function compilePattern(pattern: string): CompileResult {
  const cached = compileCache.get(pattern);
  if (cached !== undefined) return cached;
  const result = compileUncached(pattern);
  // Anything longer than a generous hand-written pattern is checked but not kept, so hostile input
  // cannot fill the cache with megabyte keys.
  if (pattern.length <= MAX_CACHED_PATTERN_LENGTH) compileCache.set(pattern, result);
  return result;
}

/** Test and benchmark hook: forget every compiled pattern. */
export function clearCompileCache(): void {
  compileCache.clear();
}

function compileUncached(pattern: string): CompileResult {
  const { fields, problems } = parseFields(pattern);
  if (fields === undefined) return { problems };
  const never = neverFiresProblem(fields);
  const parsedFields = { pattern: canonicalSpacing(pattern), fields };
  if (never !== undefined) return { parsed: parsedFields, problems: [never] };

  // `*` stays `*` (unrestricted), anything else becomes its expanded list: `0 2 * * 7` and `0 2 * * 0` share
  // one expansion.
  const canonical = FIELD_SPECS.map((spec) => {
    const field = fields[spec.name];
    return field.restricted ? field.values.join(",") : "*";
  }).join(" ");
  const minutesOfDay: number[] = [];
  for (const h of fields.hour.values) for (const m of fields.minute.values) minutesOfDay.push(h * 60 + m);
  minutesOfDay.sort((a, b) => a - b);

  const rule: DayRule = {
    monthMask: maskOf(fields.month.values),
    domMask: maskOf(fields["day-of-month"].values),
    // Day-of-week 7 is already folded into 0 (fields.ts).
    dowMask: maskOf(fields["day-of-week"].values),
    // Decided from the text as written (the API specification: "neither is `*`").
    union: fields["day-of-month"].restricted && fields["day-of-week"].restricted,
  };
  return { compiled: { ...parsedFields, canonical, minutesOfDay, rule }, parsed: parsedFields, problems: [] };
}

function canonicalSpacing(pattern: string): string {
  return pattern.trim().split(/\s+/).join(" ");
}

function maskOf(values: readonly number[]): number {
  let mask = 0;
  for (const v of values) mask |= 1 << v;
  return mask;
}

/**
 * Only a restricted day-of-month with an unrestricted day-of-week can never fire (with both restricted the
 * weekday alone fires every week). It never fires when no chosen day exists in any chosen month, February
 * counting 29 days since leap years do have it.
 */
function neverFiresProblem(fields: ParsedFields): ScheduleProblem | undefined {
  const dom = fields["day-of-month"];
  if (!dom.restricted || fields["day-of-week"].restricted) return undefined;
  const months = fields.month.values;
  const firstDay = dom.values[0] ?? 1;
  if (months.some((m) => firstDay <= daysInMonth(2024, m))) return undefined;
  const longest = Math.max(...months.map((m) => daysInMonth(2024, m)));
  const monthNames = months.map((m) => MONTH_SHORT[m]).join(", ");
  const parts = [fields.minute.text, fields.hour.text, String(longest), fields.month.text, fields["day-of-week"].text];
  return {
    field: "schedule_pattern",
    code: "never-fires",
    message:
      `schedule never fires: day-of-month \`${dom.text}\` does not exist in month ` +
      `\`${fields.month.text}\` (${monthNames} ${months.length === 1 ? "has" : "have"} at most ${longest}` +
      ` days)`,
    fix:
      `use a day that exists in the chosen month${months.length === 1 ? "" : "s"}, e.g. ` +
      `\`${parts.join(" ")}\`, or pick other months`,
  };
}
