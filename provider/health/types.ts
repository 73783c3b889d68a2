// Public shape of a backup-health report. Plain JSON-able data in camelCase: the CLI prints it with
// --json, the data source returns it as a stack output, the Prometheus and SVG renderers read it.

/** Time a scheduled backup may take to become `available` after its nominal run time (Karbor's window). */
export const DEFAULT_SLACK_MINUTES = 30;
/** How far back missed runs and failed backups are counted. */
export const DEFAULT_LOOK_BACK_DAYS = 7;

export interface HealthOptions {
  /** The time the report is for (the API's clock; the emulator's virtual clock in tests). */
  now: Date;
  /** Default DEFAULT_SLACK_MINUTES. */
  slackMinutes?: number;
  /** Default DEFAULT_LOOK_BACK_DAYS. */
  lookBackDays?: number;
  /** Only the plan with exactly this name. */
  planName?: string;
  /** Only this volume (by exact name), in the plans that protect it. */
  volumeName?: string;
}

/** One backup of one volume (a checkpoint item). */
export interface BackupRef {
  itemId: string;
  checkpointId: string;
  createdAt: string;
  incremental: boolean;
}

export interface VolumeHealth {
  volumeId: string;
  volumeName: string;
  /** The newest backup a restore can use: `available`, and for an incremental its whole chain available. */
  newestBackup: BackupRef | null;
  newestBackupAgeMinutes: number | null;
  /** When the volume is (or was) in breach: newest usable backup (or plan creation) + longest gap + slack. */
  breachAt: string | null;
  /** The newest usable backup is older than the schedule's longest gap plus the slack. */
  breach: boolean;
  /** Backups of this volume that ended `error` within the look-back. */
  failedBackups: number;
  /** Usable backups kept now. */
  restorePoints: number;
  /** What the retention guarantees once the plan has run long enough (null: schedule not analysable). */
  restorePointsPromised: number | null;
  /** The promise, capped by the runs the plan could have made since it was created. */
  restorePointsExpected: number | null;
  /** Frequency mode: incremental backups whose chain has no usable full backup (they cannot be restored). */
  orphanedIncrementals: number;
}

export interface PlanHealth {
  planId: string;
  planName: string;
  status: string;
  suspended: boolean;
  backupMode: string;
  maxBackups: number;
  scheduleType: string;
  schedulePattern: string;
  /** e.g. "daily at 02:00 UTC"; null when the schedule cannot be analysed. */
  scheduleDescription: string | null;
  /** The schedule's longest gap between two runs (from provider/schedule); null when not analysable. */
  longestGapMinutes: number | null;
  /** longestGapMinutes + slack: the age at which a backup is overdue. */
  rpoMinutes: number | null;
  /** Why the schedule could not be analysed (then no breach can be judged for this plan). */
  scheduleProblem: string | null;
  /** Start of the window in which runs were judged (after the look-back, creation and retention cut-offs). */
  judgedFrom: string;
  /** Scheduled runs in the judged window that should have produced a checkpoint by now. */
  expectedRuns: number;
  /** Of those, runs with no checkpoint within the slack after their time. */
  missedRuns: number;
  /** Backups (checkpoint items) that ended `error` within the look-back, all volumes. */
  failedBackups: number;
  breach: boolean;
  /** Plain phrases for everything that is not right, breach or not. */
  warnings: string[];
  volumes: VolumeHealth[];
}

export interface HealthReport {
  at: string;
  slackMinutes: number;
  lookBackDays: number;
  /** No volume in breach. */
  healthy: boolean;
  /** Volumes in breach, across plans. */
  breaches: number;
  plans: PlanHealth[];
}
