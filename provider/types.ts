// Plain (resolved) shapes of the resources' inputs and outputs, in the camelCase users write. The resource
// classes wrap these in `pulumi.Input`/`pulumi.Output`; the runtime works on them after `check` normalized
// them. Kept free of imports with runtime cost, so the public classes can use them for free.

// The enums are declared once, beside the field tables.
export type { BackupMode, PlanStatus, ScheduleType } from "./fields/values";
import type { BackupMode, PlanStatus, ScheduleType } from "./fields/values";

/** A volume protected by a plan, as the service answers it. */
export interface PlanResourceOutput {
  id: string;
  name: string;
  type: string;
}

/**
 * How long the provider waits for the service before failing, in seconds (default 600 each). Pulumi's own
 * `customTimeouts` option never reaches dynamic providers, hence this input.
 */
export interface Timeouts {
  /** Create: POST plus the wait until the plan has the desired status. */
  create?: number;
  /** Update: PATCH plus the wait until the plan has the desired status. */
  update?: number;
  /** Delete: DELETE plus the wait until the plan is gone. */
  delete?: number;
}

/** Settings that select where a resource lives; they override the `scheduledbackup:*` stack config. */
export interface Placement {
  /** Project (tenant) id; default: `scheduledbackup:projectId` or the token's project. */
  projectId?: string;
  /** Region (pool) used to find the endpoint in the Keystone catalog; default: `scheduledbackup:region`. */
  region?: string;
  /** Base URL including `/data-protect/v2`; default: `scheduledbackup:endpoint` or the catalog. */
  endpoint?: string;
}

/** BackupPlan inputs after `check`: defaults applied, every resource typed. */
export interface BackupPlanInputs extends Placement {
  name: string;
  description: string;
  backupMode: BackupMode;
  maxBackups: number;
  scheduleType: ScheduleType;
  schedulePattern: string;
  resources: PlanResourceOutput[];
  status: PlanStatus;
  /** Take this existing plan under management on create instead of creating one. */
  adoptExistingId?: string;
  timeouts?: Timeouts;
}

/** What a BackupPlan resource records: the plan as the API answered it, plus what we derive from it. */
export interface BackupPlanOutputs extends Placement {
  name: string;
  description: string;
  backupMode: string;
  maxBackups: number;
  scheduleType: string;
  schedulePattern: string;
  resources: PlanResourceOutput[];
  /** The plan's status as last seen (`started` or `suspended`; the service may report others). */
  status: string;
  /** When the service created the plan (RFC 3339, UTC). */
  createdAt: string;
  /** The next 5 scheduled runs after the last create, update or refresh (RFC 3339, UTC). */
  nextRunTimes: string[];
  /** Longest gap between two runs, in hours: the plan's effective RPO. Null when it cannot be computed. */
  maxIntervalHours: number | null;
  /** How far back restores are guaranteed to reach, in days (derived from mode, maxBackups and schedule). */
  retentionDays: number | null;
  adoptExistingId?: string;
  timeouts?: Timeouts;
}

/** Restore inputs after `check`: either an explicit `checkpointItemId`, or a volume to pin at create. */
export interface RestoreInputs extends Placement {
  /** The checkpoint item (one volume's backup) to restore; see `getLatestRestorePoint`. */
  checkpointItemId?: string;
  /** Restore the newest available backup of this volume (by id), resolved once at create. */
  volumeId?: string;
  /** Restore the newest available backup of this volume (by name), resolved once at create. */
  volumeName?: string;
  /** With volumeId/volumeName: only backups made by the plan with this exact name. */
  planName?: string;
  /** With volumeId/volumeName: only backups taken at or before this time (RFC 3339). */
  notAfter?: string;
  /** Name of the new volume the restore creates. */
  restoreName: string;
}

export interface RestoreOutputs extends RestoreInputs {
  /** The item restored: the input, or the one the volume was pinned to at create. */
  checkpointItemId: string;
  checkpointId: string;
  /** When the restored backup was taken (RFC 3339); recorded when the restore was pinned by volume. */
  backupCreatedAt?: string;
  /** Id of the volume the restore created. */
  resourceId: string;
  resourceType: string;
  /** `in_progress`, `success` or `error`, as the create answered (the API cannot read a restore later). */
  status: string;
}
