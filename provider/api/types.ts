// API objects, in the API's own snake_case. Status fields are open: the service may grow states the client
// does not know yet, and an unknown status must be kept, not rejected.

import type { z as Z } from "zod";
import { keysMatch } from "../fields/keys";
import type { KnownKeys, SameKeys } from "../fields/keys";
import type { PLAN_API, PlanApiField, UpdatableField, WritableField, ZodModule } from "../fields/planApi";
import type { BackupMode, CHECKPOINT_STATUSES, PLAN_STATUSES, RESTORE_STATUSES, ScheduleType } from "../fields/values";

// The enums are declared once (provider/fields/values.ts).
export type { BackupMode, ScheduleType };
// `(string & {})` keeps editor completion for the known values while accepting any string.
export type PlanStatus = (typeof PLAN_STATUSES)[number] | (string & {});
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number] | (string & {});
export type RestoreStatus = (typeof RESTORE_STATUSES)[number] | (string & {});

export interface PlanResource {
  id: string;
  name: string;
  type: string;
}

export interface Plan {
  id: string;
  name: string;
  description: string;
  backup_mode: string;
  max_backups: number;
  schedule_type: string;
  schedule_pattern: string;
  resources: PlanResource[];
  status: PlanStatus;
  created_at: string;
  /** Fields the contract does not name are kept as the service sent them. */
  [extra: string]: unknown;
}

// The response keeps open strings (completion-friendly), so it is written out; the table checks its keys.
keysMatch<SameKeys<Pick<Plan, KnownKeys<Plan>>, PlanApiField>>();

/** What a field's request schema in the table (provider/fields/planApi.ts) accepts. */
type RequestValue<K extends PlanApiField> = (typeof PLAN_API)[K] extends {
  request: (z: ZodModule) => infer S extends Z.ZodType;
}
  ? Z.output<S>
  : never;

/** A POST body: every field the table marks `create: "required"`, typed by its request schema. */
export type PlanCreate = { [K in WritableField]: RequestValue<K> };

/** A PATCH body: any of the fields the table marks `update: "patch"`. */
export type PlanUpdate = { [K in UpdatableField]?: RequestValue<K> };

export interface CheckpointItem {
  id: string;
  backup_id: string;
  chain_id: string;
  checkpoint_id: string;
  created_at: string;
  backup_created_at?: string | null;
  is_incremental: boolean;
  resource: PlanResource;
  status: CheckpointStatus;
  [extra: string]: unknown;
}

export interface Checkpoint {
  id: string;
  plan_id: string;
  created_at: string;
  status: CheckpointStatus;
  checkpoint_items: CheckpointItem[];
  [extra: string]: unknown;
}

export interface RestoreCreate {
  checkpoint_item_id: string;
  restore_name: string;
}

export interface Restore {
  id: string;
  checkpoint_id: string;
  checkpoint_item_id: string;
  project_id: string;
  /** Id of the volume the restore created. */
  resource_id: string;
  resource_type: string;
  status: RestoreStatus;
  [extra: string]: unknown;
}

export interface PlanListQuery {
  name?: string;
  volume_name?: string;
  limit?: number;
  marker?: string;
}

export interface CheckpointListQuery {
  plan_name?: string;
  volume_name?: string;
  limit?: number;
  marker?: string;
}

export interface PlanPage {
  plans: Plan[];
  total: number;
}

export interface CheckpointPage {
  checkpoints: Checkpoint[];
  total: number;
}

export interface CheckpointDeleted {
  id: string;
  status: CheckpointStatus;
  [extra: string]: unknown;
}

export interface ChainDeleted {
  deleted: Checkpoint[];
  [extra: string]: unknown;
}
