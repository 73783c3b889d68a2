// Plain-words formatting shared by the policy messages, so every policy says durations and days alike.
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** Day numbers (Sunday = 0) in the order people list them: Monday first. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** Names of the days a schedule skips, Monday first. */
export function missingWeekdays(weekdays: readonly number[]): string[] {
  return WEEK_ORDER.filter((day) => !weekdays.includes(day)).map((day) => WEEKDAY_NAMES[day]);
}
const SHORT_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

function trimmed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, "");
}

/** 45 -> "45 min", 90 -> "1.5 h", 4320 -> "72 h". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${trimmed(minutes)} min`;
  return `${trimmed(Math.round((minutes / 60) * 10) / 10)} h`;
}

/** 8640 -> "6 days", 1440 -> "1 day", 2160 -> "1.5 days". */
export function formatDays(minutes: number): string {
  const days = Math.round((minutes / 1440) * 10) / 10;
  return `${trimmed(days)} ${days === 1 ? "day" : "days"}`;
}

export function formatHoursLimit(hours: number): string {
  return hours < 1 ? `${trimmed(hours * 60)} min` : `${trimmed(hours)} h`;
}

export function formatDaysLimit(days: number): string {
  return `${trimmed(days)} ${days === 1 ? "day" : "days"}`;
}

/** "Mon 2024-01-01 02:00 UTC". */
export function formatInstant(date: Date): string {
  return (
    `${SHORT_WEEKDAYS[date.getUTCDay()]} ${date.toISOString().slice(0, 10)}` +
    ` ${formatClock(date.getUTCHours() * 60 + date.getUTCMinutes())} UTC`
  );
}

/** Minute of day -> "02:05". */
export function formatClock(minuteOfDay: number): string {
  const minutes = ((minuteOfDay % 1440) + 1440) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** ["a","b","c"] -> "a, b and c"; long lists are cut with "and N more". */
export function listWords(words: readonly string[], max = 6): string {
  return listFirst(words.slice(0, max), words.length, max);
}

/** `listWords` of a list of `total` words of which only the first (up to `max`) are given. */
export function listFirst(first: readonly string[], total: number, max = 6): string {
  const shown = total > max ? [...first.slice(0, max), `${total - max} more`] : [...first];
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** The `count` smallest words in `sort()` order, without sorting them all (crowds can be thousands). */
export function smallestWords(words: readonly string[], count: number): string[] {
  const kept: string[] = [];
  for (const word of words) {
    if (kept.length === count && word >= kept[count - 1]!) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]! > word) at--;
    kept.splice(at, 0, word);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

export function quoted(words: readonly string[]): string[] {
  return words.map((word) => `\`${word}\``);
}

/** Describes the days a schedule skips, for messages such as "(weekday-only schedule)". */
export function weekdayNote(weekdays: readonly number[]): string | undefined {
  const days = new Set(weekdays);
  if (days.size === 7 || days.size === 0) return undefined;
  if (days.size === 5 && [1, 2, 3, 4, 5].every((d) => days.has(d))) return "weekday-only schedule";
  if (days.size === 2 && days.has(0) && days.has(6)) return "weekend-only schedule";
  return `no runs on ${listWords(missingWeekdays(weekdays))}`;
}

/** Stable small hash of a name: the minute a plan is moved to when schedules are spread out. */
export function spreadMinute(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 60;
}
