// Pure schedule analysis (layer 1): validation of the service's five-field cron rules, fire times from a
// fixed anchor, gaps (RPO) and guaranteed look-back. No I/O, no Pulumi, always UTC; cron-parser 5 is the
// oracle the tests hold it to (compile.ts says why it is not on the path).
export {
  ANCHOR,
  BACKUP_MODES,
  CHAIN_LENGTH,
  HORIZON_YEARS,
  MIN_INTERVAL_MINUTES,
  SCHEDULE_TYPES,
  type BackupMode,
  type Gap,
  type Retention,
  type ScheduleAnalysis,
  type ScheduleProblem,
  type ScheduleType,
} from "./types";
export { ScheduleError } from "./errors";
export {
  analyzeSchedule,
  clearScheduleCaches,
  MAX_RETENTION_RUNS,
  nextRuns,
  retention,
  runMinutesBetween,
  runsBetween,
  validateSchedule,
} from "./analyze";
export { weekdaysPhrase } from "./describe";
export { MINUTES_PER_DAY, MS_PER_DAY, MS_PER_MINUTE, weekdayOfEpochDay } from "./calendar";
