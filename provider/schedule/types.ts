// Public types of the schedule analysis (docs/design.md §1). Kept apart from the logic so every module of
// the package, and the policy pack, can import them without pulling the analysis in.

// The two enums the schedule maths needs are declared here, the lowest layer; provider/fields/values.ts
// re-exports them beside the plan's other values.
export const SCHEDULE_TYPES = ["crontab", "calendar"] as const;
export const BACKUP_MODES = ["full", "frequency"] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];
export type BackupMode = (typeof BACKUP_MODES)[number];

/** One thing wrong with a schedule, phrased for a person: what is wrong and how to fix it. */
export interface ScheduleProblem {
  field: "schedule_type" | "schedule_pattern";
  code: "type" | "syntax" | "calendar-form" | "never-fires" | "too-frequent";
  /** e.g. "minute field `61` is out of range 0-59" */
  message: string;
  /** e.g. "use a minute between 0 and 59, such as `0 2 * * *`" */
  fix: string;
}

/** Two consecutive fire times. */
export interface Gap {
  minutes: number;
  from: Date;
  to: Date;
}

export interface ScheduleAnalysis {
  type: ScheduleType;
  pattern: string;
  /** Fire times over the horizon, averaged per year. */
  firesPerYear: number;
  /** null when it fires fewer than twice in the horizon. */
  minGap: Gap | null;
  /** The plan's effective RPO (without the execution window); null when it fires fewer than twice. */
  maxGap: Gap | null;
  /** 0..6 (Sunday = 0) on which it fires at least once; lets messages say "weekday-only". */
  weekdays: number[];
  /** Short plain words: "daily at 02:00 UTC", "weekdays (Mon-Fri) at 02:00 UTC", "every 6 h". */
  description: string;
}

export interface Retention {
  /** Backups guaranteed to exist right after the worst-case prune. */
  restorePoints: number;
  /** How far back restores are guaranteed to reach. */
  lookBackMinutes: number;
}

/** Fixed start of every expansion, so CI never flaps: a leap year, Monday 2024-01-01T00:00:00Z. */
export const ANCHOR: Date = new Date(Date.UTC(2024, 0, 1));
/** Frequency mode: a full backup then 6 incrementals. */
export const CHAIN_LENGTH = 7;
/** Long enough for monthly and yearly patterns and for Feb 29 (two leap days, 2024 and 2028). */
export const HORIZON_YEARS = 8;
/** The service's minimum interval between two runs of a plan. */
export const MIN_INTERVAL_MINUTES = 60;
