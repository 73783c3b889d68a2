// Day-level calendar arithmetic in UTC. Fire times are handled as whole minutes since the Unix epoch and
// days as whole days since the epoch: integers, so gap arithmetic is exact and allocation-free.
import { daysInMonth } from "./fields";

export const MINUTES_PER_DAY = 1440;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** Whole days since 1970-01-01 of the UTC day containing `ms`. */
export function epochDayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Sunday = 0 ... Saturday = 6; 1970-01-01 was a Thursday. */
export function weekdayOfEpochDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function minuteToDate(epochMinute: number): Date {
  return new Date(epochMinute * MS_PER_MINUTE);
}

/** A pattern's calendar rule reduced to bit masks, so the day walk does no allocation and no lookups. */
export interface DayRule {
  /** Bit m set for each month m (1-12). */
  readonly monthMask: number;
  /** Bit d set for each day of the month d (1-31). */
  readonly domMask: number;
  /** Bit w set for each weekday w (0-6). */
  readonly dowMask: number;
  /** Both day-of-month and day-of-week restricted: classic cron fires when either matches. */
  readonly union: boolean;
}

/**
 * Calls `visit(epochDay, weekday)` for each day in [startDay, endDay) the rule matches, in order, until
 * `visit` returns true (stop). Walks by incrementing a civil date, which is cheaper than a Date per day.
 */
export function walkMatchingDays(
  rule: DayRule,
  startDay: number,
  endDay: number,
  visit: (day: number, weekday: number) => boolean | void,
): void {
  const start = new Date(startDay * MS_PER_DAY);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  let dom = start.getUTCDate();
  let monthLength = daysInMonth(year, month);
  let weekday = weekdayOfEpochDay(startDay);
  const { monthMask, domMask, dowMask, union } = rule;
  for (let day = startDay; day < endDay; day++) {
    if ((monthMask & (1 << month)) !== 0) {
      const domHit = (domMask & (1 << dom)) !== 0;
      const dowHit = (dowMask & (1 << weekday)) !== 0;
      if (union ? domHit || dowHit : domHit && dowHit) {
        if (visit(day, weekday) === true) return;
      }
    }
    weekday = weekday === 6 ? 0 : weekday + 1;
    if (dom < monthLength) {
      dom++;
    } else {
      dom = 1;
      if (month < 12) {
        month++;
      } else {
        month = 1;
        year++;
      }
      monthLength = daysInMonth(year, month);
    }
  }
}
