// The checks beyond syntax: the schedule type, the calendar (weekly) form, and the service's minimum
// interval. Syntax and never-fires come from compile.ts.
import { clockTime } from "./describe";
import { compilePattern, type CompiledPattern } from "./compile";
import { expand, type Expansion } from "./expand";
import { MIN_INTERVAL_MINUTES, SCHEDULE_TYPES, type ScheduleProblem } from "./types";
import { describeValue } from "../values";

export function typeProblem(type: unknown): ScheduleProblem | undefined {
  if (typeof type === "string" && (SCHEDULE_TYPES as readonly string[]).includes(type)) return undefined;
  return {
    field: "schedule_type",
    code: "type",
    message:
      typeof type === "string"
        ? `schedule_type \`${type}\` is not supported`
        : `schedule_type must be a string, got ${describeValue(type)}`,
    fix: "use `crontab` (any five-field cron expression) or `calendar` (the weekly form, e.g. `30 2 * * 1,3,5`)",
  };
}

const SINGLE_NUMBER = /^\d+$/;
/** `*`, or weekdays as numbers, ranges and lists: no steps. */
const WEEKDAY_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/**
 * `calendar` takes only what the console's calendar picker produces: one minute, one hour, `*` for
 * day-of-month and month, and `*` or a list/range of weekdays without steps (e.g. `30 2 * * 1,3,5`).
 */
export function calendarFormProblems(c: Pick<CompiledPattern, "pattern" | "fields">): ScheduleProblem[] {
  const f = c.fields;
  const minute = f.minute.values[0] ?? 0;
  const hour = f.hour.values[0] ?? 0;
  const weekdays = WEEKDAY_LIST.test(f["day-of-week"].text) ? f["day-of-week"].text : "*";
  const weekly = `${minute} ${hour} * * ${weekdays}`;
  const useCrontab = `or set schedule_type to \`crontab\` to keep \`${c.pattern}\``;
  const problems: ScheduleProblem[] = [];
  const push = (message: string, fix: string): void => {
    problems.push({
      field: "schedule_pattern",
      code: "calendar-form",
      message: `calendar schedules take the weekly form (minute hour * * weekdays); ${message}`,
      fix,
    });
  };
  if (!SINGLE_NUMBER.test(f.minute.text))
    push(
      `the minute field \`${f.minute.text}\` is not a single minute`,
      `use one minute, e.g. \`${weekly}\`, ${useCrontab}`,
    );
  if (!SINGLE_NUMBER.test(f.hour.text))
    push(`the hour field \`${f.hour.text}\` is not a single hour`, `use one hour, e.g. \`${weekly}\`, ${useCrontab}`);
  if (f["day-of-month"].text !== "*")
    push(
      `the day-of-month field must be \`*\`, not \`${f["day-of-month"].text}\``,
      `use \`*\`, e.g. \`${weekly}\`, ${useCrontab}`,
    );
  if (f.month.text !== "*")
    push(`the month field must be \`*\`, not \`${f.month.text}\``, `use \`*\`, e.g. \`${weekly}\`, ${useCrontab}`);
  const dow = f["day-of-week"].text;
  if (dow !== "*" && !WEEKDAY_LIST.test(dow)) {
    const listed = f["day-of-week"].values.join(",");
    push(
      `the day-of-week field \`${dow}\` uses a step`,
      `list the weekdays instead, e.g. \`${minute} ${hour} * * ${listed}\`, ${useCrontab}`,
    );
  }
  return problems;
}

/** The service allows at most one run an hour: the shortest gap between two runs must be at least 60 min. */
export function tooFrequentProblem(c: CompiledPattern, expansion: Expansion): ScheduleProblem | undefined {
  const shortest = expansion.minGap;
  if (shortest === null || shortest.minutes >= MIN_INTERVAL_MINUTES) return undefined;
  const at = (d: Date): string => clockTime(d.getUTCHours() * 60 + d.getUTCMinutes());
  return {
    field: "schedule_pattern",
    code: "too-frequent",
    message:
      `\`${c.pattern}\` runs ${shortest.minutes} min apart (e.g. ${at(shortest.from)} and ${at(shortest.to)}` +
      ` UTC); the service allows at most one run an hour`,
    fix: `run at most hourly, e.g. \`${hourlyAlternative(c)}\``,
  };
}

/** The user's pattern with a single minute (and, if that is still too frequent, hourly on the same days). */
function hourlyAlternative(c: CompiledPattern): string {
  const f = c.fields;
  const minute = String(f.minute.values[0] ?? 0);
  const days = `${f["day-of-month"].text} ${f.month.text} ${f["day-of-week"].text}`;
  for (const candidate of [`${minute} ${f.hour.text} ${days}`, `${minute} * ${days}`]) {
    const { compiled } = compilePattern(candidate);
    if (compiled === undefined) continue;
    const gap = expand(compiled).minGap;
    if (gap === null || gap.minutes >= MIN_INTERVAL_MINUTES) return candidate;
  }
  return `${minute} * * * *`;
}
