// The enums and defaults of plans and restores, declared once. Pure and import-free at runtime (the schedule
// types module holds no logic), so programs, the plugin's first Check, the policies and the emulator share it.
export { BACKUP_MODES, SCHEDULE_TYPES } from "../schedule/types";
export type { BackupMode, ScheduleType } from "../schedule/types";

/** The statuses a client may ask a plan for (the service may report others: read as open strings). */
export const PLAN_STATUSES = ["started", "suspended"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The resource types the API protects: only Cinder volumes. The first is the default of `resources[].type`. */
export const RESOURCE_TYPES = ["OS::Cinder::Volume"] as const;
export const DEFAULT_RESOURCE_TYPE = RESOURCE_TYPES[0];

/** What a restore answers, as documented (open: the service may grow states). */
export const RESTORE_STATUSES = ["in_progress", "success", "error"] as const;
/** What a checkpoint or item reports, as documented (open likewise). */
export const CHECKPOINT_STATUSES = ["protecting", "available", "error", "deleting"] as const;

/** Default wait of each operation in seconds: twice the vendor Terraform provider's 5 minutes. */
export const DEFAULT_WAIT_SECONDS = 600;
/** The longest wait a `timeouts` entry may ask for: a day. */
export const MAX_WAIT_SECONDS = 86_400;
