// Short plain-words descriptions of a schedule for policy, provider and CLI messages:
// "daily at 02:00 UTC", "weekdays (Mon-Fri) at 02:00 UTC", "every 6 h", "on day 1 of each month at 03:00 UTC".
import type { CompiledPattern } from "./compile";
import { MONTH_SHORT, WEEKDAY_SHORT } from "./fields";

const WEEKDAY_PLURAL = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"] as const;

export function clockTime(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

/** Runs of consecutive numbers collapsed: [1,2,3,5] -> ["1-3", "5"]. */
function runsOf(values: readonly number[], label: (v: number) => string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] ?? 0) === (values[j] ?? 0) + 1) j++;
    const a = values[i] ?? 0;
    const b = values[j] ?? 0;
    if (j - i >= 2) out.push(`${label(a)}-${label(b)}`);
    else for (let k = i; k <= j; k++) out.push(label(values[k] ?? 0));
    i = j + 1;
  }
  return out;
}

export function weekdaysPhrase(days: readonly number[]): string {
  const key = days.join(",");
  if (key === "1,2,3,4,5") return "weekdays (Mon-Fri)";
  if (key === "0,6") return "weekends (Sat-Sun)";
  if (days.length === 1) return WEEKDAY_PLURAL[days[0] ?? 0] ?? "";
  return joinWords(runsOf(days, (d) => WEEKDAY_SHORT[d] ?? String(d)));
}

function monthsPhrase(months: readonly number[]): string {
  return joinWords(runsOf(months, (m) => MONTH_SHORT[m] ?? String(m)));
}

function daysOfMonthPhrase(days: readonly number[]): string {
  if (days.length === 1) return `day ${days[0] ?? ""}`;
  if (days.length > 8) return `${days.length} days`;
  return `days ${joinWords(runsOf(days, String))}`;
}

interface DayPhrases {
  /** Starts a description: "daily", "weekdays (Mon-Fri)", "on day 1 of each month". */
  lead: string;
  /** Follows a time phrase: "", "on weekdays (Mon-Fri)", "on day 1 of each month". */
  trail: string;
}

function dayPhrases(c: CompiledPattern): DayPhrases {
  const f = c.fields;
  const months = f.month.restricted && f.month.values.length < 12 ? f.month.values : null;
  const allDom = f["day-of-month"].values.length === 31;
  const allDow = f["day-of-week"].values.length === 7;
  // With the union rule, a day-of-week covering the whole week (e.g. `0-6`) makes every day match, and so
  // does a day-of-month covering the whole month; without it, a full field simply restricts nothing.
  const everyDay = c.rule.union && (allDom || allDow);
  const dom = f["day-of-month"].restricted && !allDom && !everyDay ? f["day-of-month"].values : null;
  const dow = f["day-of-week"].restricted && !allDow && !everyDay ? f["day-of-week"].values : null;
  const inMonths = months === null ? "" : ` in ${monthsPhrase(months)}`;
  if (dom !== null && dow !== null) {
    const ofMonths = months === null ? "of each month" : `of ${monthsPhrase(months)}`;
    const text = `on ${daysOfMonthPhrase(dom)} ${ofMonths} and on ${weekdaysPhrase(dow)}${inMonths}`;
    return { lead: text, trail: text };
  }
  if (dom !== null) {
    if (months !== null && months.length === 1 && dom.length === 1) {
      const date = `${MONTH_SHORT[months[0] ?? 1]} ${dom[0] ?? 1}`;
      if (date === "Feb 29") return { lead: "on Feb 29 (leap years only)", trail: "on Feb 29 (leap years only)" };
      return { lead: `yearly on ${date}`, trail: `on ${date} each year` };
    }
    const text = `on ${daysOfMonthPhrase(dom)} ${months === null ? "of each month" : `of ${monthsPhrase(months)}`}`;
    return { lead: text, trail: text };
  }
  if (dow !== null) {
    const text = `${weekdaysPhrase(dow)}${inMonths}`;
    return { lead: text, trail: `on ${text}` };
  }
  return months === null ? { lead: "daily", trail: "" } : { lead: `daily${inMonths}`, trail: inMonths.trim() };
}

/** "every 6 h", "every hour", "every hour at :15", "every 2 h from 01:30 UTC"; null when runs are not evenly spaced. */
function periodicPhrase(tod: readonly number[]): string | null {
  if (tod.length < 2) return null;
  const step = (tod[1] ?? 0) - (tod[0] ?? 0);
  for (let i = 1; i < tod.length; i++) if ((tod[i] ?? 0) - (tod[i - 1] ?? 0) !== step) return null;
  const start = tod[0] ?? 0;
  const last = tod[tod.length - 1] ?? 0;
  const every = step % 60 === 0 ? (step === 60 ? "every hour" : `every ${step / 60} h`) : `every ${step} min`;
  const wholeDay = start + 1440 - last === step;
  if (wholeDay) {
    if (start === 0) return every;
    return step === 60 ? `every hour at :${clockTime(start).slice(3)}` : `${every} from ${clockTime(start)} UTC`;
  }
  // Two runs are clearer listed ("at 01:00 and 05:00") than as a window.
  return tod.length >= 3 ? `${every} from ${clockTime(start)} to ${clockTime(last)} UTC` : null;
}

export function describe(c: CompiledPattern): string {
  const tod = c.minutesOfDay;
  const { lead, trail } = dayPhrases(c);
  if (tod.length === 1) return `${lead} at ${clockTime(tod[0] ?? 0)} UTC`;
  const periodic = periodicPhrase(tod);
  if (periodic !== null) return trail === "" ? periodic : `${periodic} ${trail}`;
  if (tod.length <= 4) return `${lead} at ${joinWords(tod.map(clockTime))} UTC`;
  const [first, last] = [clockTime(tod[0] ?? 0), clockTime(tod[tod.length - 1] ?? 0)];
  return `${lead}, ${tod.length} times between ${first} and ${last} UTC`;
}
