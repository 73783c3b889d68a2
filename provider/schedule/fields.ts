// The five-field cron grammar of the API reference, checked by hand before anything reaches cron-parser: cron-parser 5
// silently accepts 4-field and empty strings, wants 6 fields in strict mode, and understands names, `L`,
// `#`, `H` and `@` macros, none of which the service takes. Checking here also lets every problem name the
// field, the offending text and a concrete fix.
import type { ScheduleProblem } from "./types";

type CronFieldName = "minute" | "hour" | "day-of-month" | "month" | "day-of-week";

interface FieldSpec {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  /** "a minute", "an hour"...: for fixes that read as sentences. */
  readonly noun: string;
  /** Position in a pattern, used to build example patterns in fixes. */
  readonly index: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};
const WEEKDAY_NAMES: Readonly<Record<string, number>> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

export const FIELD_SPECS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59, noun: "a minute", index: 0 },
  { name: "hour", min: 0, max: 23, noun: "an hour", index: 1 },
  { name: "day-of-month", min: 1, max: 31, noun: "a day of the month", index: 2 },
  { name: "month", min: 1, max: 12, noun: "a month", index: 3, names: MONTH_NAMES },
  { name: "day-of-week", min: 0, max: 7, noun: "a day of the week (0 or 7 = Sunday)", index: 4, names: WEEKDAY_NAMES },
];

/** What a pattern's field means once checked. */
interface ParsedField {
  /** The field as written. */
  readonly text: string;
  /** Sorted, without duplicates; day-of-week folds 7 into 0 (both are Sunday). */
  readonly values: readonly number[];
  /** Classic cron: a field is restricted unless it is exactly `*` (this decides the day-of-month/day-of-week union). */
  readonly restricted: boolean;
}

export type ParsedFields = Readonly<Record<CronFieldName, ParsedField>>;

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const DAILY_EXAMPLE = "`0 2 * * *` (daily at 02:00 UTC)";

function syntax(message: string, fix: string): ScheduleProblem {
  return { field: "schedule_pattern", code: "syntax", message, fix };
}

/** Splits a pattern into its whitespace-separated fields (tabs and repeated spaces are fine). */
function splitFields(pattern: string): string[] {
  const trimmed = pattern.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/** Checks the field count and each field; on success returns the parsed fields, else every problem found. */
export function parseFields(pattern: string): { fields?: ParsedFields; problems: ScheduleProblem[] } {
  const parts = splitFields(pattern);
  if (parts.length === 0) {
    return {
      problems: [
        syntax(
          "schedule_pattern is empty",
          `write five fields (minute hour day-of-month month day-of-week), e.g. ${DAILY_EXAMPLE}`,
        ),
      ],
    };
  }
  const first = parts[0] ?? "";
  if (first.startsWith("@")) {
    const expansion = MACROS[first.toLowerCase()];
    const fix =
      expansion !== undefined
        ? `write the five fields instead: \`${expansion}\``
        : `write five fields (minute hour day-of-month month day-of-week), e.g. ${DAILY_EXAMPLE}`;
    return { problems: [syntax(`macros such as \`${first}\` are not supported`, fix)] };
  }
  if (parts.length !== 5) return { problems: [fieldCountProblem(parts)] };

  const problems: ScheduleProblem[] = [];
  const parsed: Partial<Record<CronFieldName, ParsedField>> = {};
  for (const spec of FIELD_SPECS) {
    const text = parts[spec.index] ?? "";
    const result = parseField(spec, text, parts);
    problems.push(...result.problems);
    if (result.values !== undefined) parsed[spec.name] = { text, values: result.values, restricted: text !== "*" };
  }
  if (problems.length > 0) return { problems };
  return { fields: parsed as ParsedFields, problems };
}

function fieldCountProblem(parts: string[]): ScheduleProblem {
  const written = `\`${parts.join(" ")}\` has ${parts.length} field${parts.length === 1 ? "" : "s"}`;
  const need = "a schedule has exactly 5: minute hour day-of-month month day-of-week, in UTC";
  if (parts.length === 6) {
    return syntax(
      `${written}; ${need} (no seconds or year field)`,
      `drop the seconds field: \`${parts.slice(1).join(" ")}\`, or the year field: \`${parts.slice(0, 5).join(" ")}\``,
    );
  }
  if (parts.length > 6)
    return syntax(
      `${written}; ${need}`,
      `keep the five fields minute hour day-of-month month day-of-week, e.g. ` +
        `\`${parts.slice(parts.length - 6, parts.length - 1).join(" ")}\``,
    );
  const missing = `add the missing field${5 - parts.length === 1 ? "" : "s"}`;
  const padded = [...parts, ...Array<string>(5 - parts.length).fill("*")].join(" ");
  // Padding with `*` is only a guess at which field is missing: offer it only when it is itself valid.
  const guess = parseFields(padded).problems.length === 0 ? `, e.g. \`${padded}\`` : "";
  return syntax(`${written}; ${need}`, `${missing}${guess}, or start from ${DAILY_EXAMPLE}`);
}

/** Example pattern with `replacement` in this field's position, the rest of the user's pattern kept. */
function withField(parts: readonly string[], spec: FieldSpec, replacement: string): string {
  return parts.map((p, i) => (i === spec.index ? replacement : p)).join(" ");
}

function parseField(
  spec: FieldSpec,
  text: string,
  parts: readonly string[],
): { values?: number[]; problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  const values = new Set<number>();
  const items = text.split(",");
  for (const item of items) {
    const itemProblem = parseItem(spec, item, text, parts, values);
    if (itemProblem !== undefined) problems.push(itemProblem);
  }
  if (problems.length > 0) return { problems };
  const folded = [...values].map((v) => (spec.name === "day-of-week" && v === 7 ? 0 : v));
  return { values: [...new Set(folded)].sort((a, b) => a - b), problems };
}

const ITEM_RE = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/** Adds the item's values to `into`; returns the problem with it, if any. */
function parseItem(
  spec: FieldSpec,
  item: string,
  fieldText: string,
  parts: readonly string[],
  into: Set<number>,
): ScheduleProblem | undefined {
  const where = `${spec.name} field \`${fieldText}\``;
  if (item === "") {
    return syntax(
      `${where} has an empty list element`,
      `separate values with single commas and no spaces, e.g. \`1,15\``,
    );
  }
  const special = specialSyntaxProblem(spec, item, fieldText, parts);
  if (special !== undefined) return special;

  const m = ITEM_RE.exec(item);
  if (m === null) {
    return syntax(
      `${where}: \`${item}\` is not a number, range (\`a-b\`), step (\`*/n\`, \`a-b/n\`) or \`*\``,
      `use ${spec.noun} between ${spec.min} and ${spec.max}, such as \`${withField(parts, spec, String(spec.min))}\``,
    );
  }
  const [, star, startText, endText, stepText] = m;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (stepText !== undefined && step < 1) {
    return syntax(`${where}: step \`/${stepText}\` must be at least 1`, `use a step of 1 or more, e.g. \`*/2\``);
  }
  if (star !== undefined) {
    for (let v = spec.min; v <= spec.max; v += step) into.add(v);
    return undefined;
  }
  const start = Number(startText);
  const end = endText === undefined ? start : Number(endText);
  for (const [valueText, value] of [
    [startText, start],
    [endText, end],
  ] as const) {
    if (valueText !== undefined && (value < spec.min || value > spec.max)) {
      return syntax(
        `${spec.name} field \`${valueText}\` is out of range ${spec.min}` +
          `-${spec.max}${fieldText !== valueText ? ` (in \`${fieldText}\`)` : ""}`,
        `use ${spec.noun} between ${spec.min} and ${spec.max}, ` +
          `such as \`${withField(parts, spec, String(clamp(value, spec.min, spec.max)))}\``,
      );
    }
  }
  if (stepText !== undefined && endText === undefined) {
    return syntax(
      `${where}: a step needs a range or \`*\` before it (\`${item}\`)`,
      `write \`${start}-${spec.max}/${stepText}\` (from ${start} to ${spec.max}) or \`*/${stepText}\``,
    );
  }
  if (start > end) {
    return syntax(
      `${where}: range \`${startText}-${endText}\` runs backwards`,
      `write ranges low to high (\`${end}-${start}\`), or split a wrap-around in two, e.g. ` +
        `\`${start}-${spec.max},${spec.min}-${end}\``,
    );
  }
  for (let v = start; v <= end; v += step) into.add(v);
  return undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Names, `?`, `#`, `H`, `L`, `W`: recognised so the message can say what they mean and what to write instead. */
function specialSyntaxProblem(
  spec: FieldSpec,
  item: string,
  fieldText: string,
  parts: readonly string[],
): ScheduleProblem | undefined {
  const where = `${spec.name} field \`${fieldText}\``;
  // Name the item only when the field holds more than it (`1,5L`), so `L` alone does not read "`L` in `L`".
  const inItem = item === fieldText ? "" : ` in \`${item}\``;
  const tokens = item.split(/[-/]/);
  const upper = (t: string): string => t.toUpperCase();
  if (spec.names !== undefined && tokens.some((t) => spec.names?.[upper(t)] !== undefined)) {
    const numeric = item.replace(/[A-Za-z]{3}/g, (t) => String(spec.names?.[upper(t)] ?? t));
    const legend =
      spec.name === "month" ? "1 = January ... 12 = December" : "0 or 7 = Sunday, 1 = Monday ... 6 = Saturday";
    return syntax(
      `${where}: names such as \`${item}\` are not supported`,
      `use numbers (${legend}): \`${withField(parts, spec, numeric)}\``,
    );
  }
  if (item.includes("?")) {
    return syntax(`${where}: \`?\` is not supported`, `use \`*\` instead: \`${withField(parts, spec, "*")}\``);
  }
  if (item.includes("#")) {
    return syntax(
      `${where}: the nth-weekday form \`${item}\` is not supported`,
      'five-field cron cannot express "the nth weekday"; run on that weekday every week (e.g. `0 2 * * 1`) ' +
        "or on a fixed day of the month (e.g. `0 2 8 * *`)",
    );
  }
  if (/^H/i.test(item)) {
    return syntax(
      `${where}: the hash form \`${item}\` is not supported`,
      `pick a fixed value instead, e.g. ` +
        `\`${withField(parts, spec, String(spec.min === 0 ? 17 % (spec.max + 1) : spec.min))}\``,
    );
  }
  if (/L/i.test(item)) {
    return syntax(
      `${where}: \`L\` (last day)${inItem} is not supported`,
      spec.name === "day-of-month"
        ? `use a day that every month has, e.g. \`${withField(parts, spec, "28")}\`, ` +
            `or the first day of the month: \`${withField(parts, spec, "1")}\``
        : `use explicit numbers, e.g. \`${withField(parts, spec, String(spec.min))}\``,
    );
  }
  if (/W/i.test(item)) {
    return syntax(
      `${where}: \`W\` (nearest weekday)${inItem} is not supported`,
      `use a fixed day of the month, e.g. ` +
        `\`${withField(parts, spec, fieldText.replace(/W/gi, "") || "1")}\`, or weekdays only: ` +
        `\`${parts.slice(0, 2).join(" ")} * * 1-5\``,
    );
  }
  return undefined;
}

/** Days in `month` (1-12) of `year`, Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export const MONTH_SHORT = [
  "",
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;
export const WEEKDAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
