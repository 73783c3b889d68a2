// pulumi-scheduled-backup: Pulumi resources and data sources for the Scheduled Backup API v2.
//
//   import { BackupPlan, Restore, getLatestRestorePointOutput } from "pulumi-scheduled-backup";
//
// Settings come from the stack config namespace `scheduledbackup:` (each one declared in api/settings.ts and
// listed in the README's Configuration table), falling back to SCHEDULED_BACKUP_* and the OpenStack OS_*
// environment variables.
export { BackupPlan } from "./backupPlan";
export type { BackupPlanArgs, BackupPlanResourceArgs, BackupPlanState, BackupPlanTimeoutsArgs } from "./backupPlan";
export { Restore } from "./restore";
export type { RestoreArgs } from "./restore";
export {
  getBackupPlan,
  getBackupPlanOutput,
  getBackupPlans,
  getBackupPlansOutput,
  getCheckpoint,
  getCheckpointOutput,
  getCheckpoints,
  getCheckpointsOutput,
  getLatestRestorePoint,
  getLatestRestorePointOutput,
  getPlanHealth,
  getPlanHealthOutput,
} from "./dataSources";
export type {
  BackupPlanResult,
  CheckpointItemResult,
  CheckpointResult,
  DataSourcePlacement,
  GetBackupPlanArgs,
  GetBackupPlansArgs,
  GetBackupPlansResult,
  GetCheckpointArgs,
  GetCheckpointsArgs,
  GetCheckpointsResult,
  GetLatestRestorePointArgs,
  LatestRestorePointResult,
  GetPlanHealthArgs,
  PlanHealthResult,
} from "./dataSources";
export type { BackupRef, PlanHealth, VolumeHealth } from "./health";
export type * from "./types";
export { BACKUP_PLAN_TYPE, RESTORE_TYPE } from "./tokens";

// The API client (undici, zod) loads on first use, so a program that only declares resources never loads
// it (the data sources load it on their first call). The getters are written in the form Node's ESM
// loader detects as named exports of a CommonJS module.
import type * as Api from "./api";
/** The API client, for what the resources and data sources do not cover. */
export declare const ScheduledBackupClient: typeof Api.ScheduledBackupClient;
export type ScheduledBackupClient = Api.ScheduledBackupClient;
export declare const api: typeof Api;
const lazy = {
  get api(): typeof Api {
    // Loaded on first use, so programs and the first Check do not pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./api") as typeof Api;
  },
  get ScheduledBackupClient(): typeof Api.ScheduledBackupClient {
    return lazy.api.ScheduledBackupClient;
  },
};
Object.defineProperty(exports, "ScheduledBackupClient", {
  enumerable: true,
  get: function () {
    return lazy.ScheduledBackupClient;
  },
});
Object.defineProperty(exports, "api", {
  enumerable: true,
  get: function () {
    return lazy.api;
  },
});
