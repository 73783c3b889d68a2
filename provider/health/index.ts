// Backup health (docs/design.md): pure analysis of one plan listing and one checkpoint listing, used by the
// CLI's `health` command and the `getPlanHealth` data source.
export { analyzeHealth, checkHealthOptions, healthListingFilters, usableBackups, type Timed } from "./analyze";
export { formatAge } from "./format";
export {
  DEFAULT_LOOK_BACK_DAYS,
  DEFAULT_SLACK_MINUTES,
  type BackupRef,
  type HealthOptions,
  type HealthReport,
  type PlanHealth,
  type VolumeHealth,
} from "./types";
