// Records the emulator keeps, and how they are rendered in the API's snake_case. Records are plain JSON-able
// data so that persistence is a straight dump and reload.

import { PLAN_DIALECT_FIELDS } from "../provider/api/dialectFields";
import { CHECKPOINT_STATUSES, DEFAULT_RESOURCE_TYPE } from "../provider/fields/values";
import { PLAN_API, PLAN_API_FIELDS, UPDATABLE_FIELDS } from "../provider/fields/planApi";
import type { PlanApiField, WritableField } from "../provider/fields/planApi";
import { keysMatch } from "../provider/fields/keys";
import type { SameKeys } from "../provider/fields/keys";
import type { BackupMode, PlanStatus } from "../provider/fields/values";

export type { BackupMode, PlanStatus };
export type BackupStatus = (typeof CHECKPOINT_STATUSES)[number];

export const VOLUME_TYPE = DEFAULT_RESOURCE_TYPE;

export interface ResourceRecord {
  id: string;
  name: string;
  type: string;
}

export interface VolumeRecord {
  id: string;
  name: string;
  projectId: string | null; // null: visible in every project (inventory added without a project)
  createdAt: string;
}

/** Where a volume's incremental series stands in a frequency plan. */
interface SeriesState {
  chainId: string;
  backupsInChain: number;
}

/** What a valid create body sets: the table's writable fields, by their camelCase names. */
export interface PlanFields {
  name: string;
  description: string;
  backupMode: BackupMode;
  maxBackups: number;
  scheduleType: string;
  schedulePattern: string;
  resources: ResourceRecord[];
}

keysMatch<SameKeys<PlanFields, (typeof PLAN_API)[WritableField]["property"]>>();

/** A plan as the emulator keeps it: the fields a client wrote, plus what the service owns. */
export interface PlanRecord extends PlanFields {
  id: string;
  projectId: string;
  createdAt: string;
  /** The status the user asked for; the answered status is `suspended` until `heldUntilMs` (real time). */
  desiredStatus: PlanStatus;
  heldUntilMs: number;
  /** Set once DELETE was accepted; the plan answers 404 from `goneAtMs` (real time) on. */
  goneAtMs: number | null;
  /** Virtual time up to which the scheduler has considered this plan's runs. */
  scheduledThrough: string;
  series: Record<string, SeriesState>;
}

export interface ItemRecord {
  id: string;
  backupId: string;
  chainId: string;
  checkpointId: string;
  createdAt: string;
  isIncremental: boolean;
  resource: ResourceRecord;
  status: BackupStatus;
  /** Virtual time at which `protecting` becomes `available` (or `error` when `fails`). */
  availableAt: string;
  /** A backup fault made this run fail: it ends `error` instead of `available`. */
  fails?: boolean;
}

export interface CheckpointRecord {
  id: string;
  projectId: string;
  planId: string;
  createdAt: string;
  items: ItemRecord[];
  /** Set once DELETE was accepted; the checkpoint is gone from `goneAtMs` (real time) on. */
  goneAtMs: number | null;
}

export interface RestoreRecord {
  id: string;
  projectId: string;
  checkpointId: string;
  checkpointItemId: string;
  resourceId: string;
  resourceType: string;
  status: "success";
  createdAt: string;
}

export function effectivePlanStatus(plan: PlanRecord, realNowMs: number): PlanStatus {
  return realNowMs < plan.heldUntilMs ? "suspended" : plan.desiredStatus;
}

export function checkpointStatus(checkpoint: CheckpointRecord): BackupStatus {
  if (checkpoint.goneAtMs !== null) return "deleting";
  let status: BackupStatus = "available";
  for (const item of checkpoint.items) {
    if (item.status === "deleting") return "deleting";
    if (item.status === "protecting") status = "protecting";
    else if (item.status === "error" && status === "available") status = "error";
  }
  return status;
}

/** Which path layout a request used: `/{project_id}/plans/...` or `/plans/...` (see server.ts). */
export type Layout = "project" | "token";

/**
 * The dialect the emulator speaks (`--dialect`): `seed` (project layout, `max_backups`), `vendor` (no project
 * segment below the catalog URL, `full_backups_amount`, `description` optional) or `both` (every layout and
 * name; plans carry both names on the token layout).
 */
export type EmulatorDialect = "seed" | "vendor" | "both";
export const EMULATOR_DIALECTS: readonly EmulatorDialect[] = ["seed", "vendor", "both"];

const SEED_RETENTION = PLAN_DIALECT_FIELDS.max_backups.seed;
const VENDOR_RETENTION = PLAN_DIALECT_FIELDS.max_backups.vendor;

/** How plans are spelled on the wire for one request. */
export interface Wire {
  /** Retention names answered. */
  rendered: readonly string[];
  /** Retention names taken in requests; the others are refused (422 extra_forbidden). */
  accepted: readonly string[];
  /** A create without `description` takes it as "" (the vendor's clients do not know the field). */
  descriptionOptional: boolean;
}

export function wireOf(dialect: EmulatorDialect, layout: Layout): Wire {
  if (dialect === "seed") return { rendered: [SEED_RETENTION], accepted: [SEED_RETENTION], descriptionOptional: false };
  if (dialect === "vendor")
    return { rendered: [VENDOR_RETENTION], accepted: [VENDOR_RETENTION], descriptionOptional: true };
  const both = [SEED_RETENTION, VENDOR_RETENTION];
  return layout === "token"
    ? { rendered: both, accepted: both, descriptionOptional: true }
    : { rendered: [SEED_RETENTION], accepted: both, descriptionOptional: false };
}

function withRetention(body: Record<string, unknown>, value: number, wire: Wire): Record<string, unknown> {
  for (const name of wire.rendered) body[name] = value;
  return body;
}

/** The plan's fields (the field table's), each under its API name; the retention count last, per dialect. */
function renderFields(
  plan: PlanRecord,
  realNowMs: number,
  wire: Wire,
  fields: readonly PlanApiField[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === SEED_RETENTION) continue;
    if (field === "status") body[field] = effectivePlanStatus(plan, realNowMs);
    else if (field === "resources") body[field] = plan.resources.map((r) => ({ id: r.id, name: r.name, type: r.type }));
    else body[field] = plan[PLAN_API[field].property];
  }
  return withRetention(body, plan.maxBackups, wire);
}

export function renderPlan(plan: PlanRecord, realNowMs: number, wire: Wire): Record<string, unknown> {
  return renderFields(plan, realNowMs, wire, PLAN_API_FIELDS);
}

/** PATCH answers the updatable fields only (not id, backup_mode, created_at). */
export function renderPlanUpdate(plan: PlanRecord, realNowMs: number, wire: Wire): Record<string, unknown> {
  return renderFields(plan, realNowMs, wire, UPDATABLE_FIELDS);
}

export function renderItem(item: ItemRecord, statusOverride?: BackupStatus): Record<string, unknown> {
  const status = statusOverride ?? item.status;
  return {
    id: item.id,
    backup_id: item.backupId,
    chain_id: item.chainId,
    checkpoint_id: item.checkpointId,
    created_at: item.createdAt,
    // The backup's own timestamp exists once the backup is complete.
    backup_created_at: item.status === "protecting" ? null : item.createdAt,
    is_incremental: item.isIncremental,
    resource: { id: item.resource.id, name: item.resource.name, type: item.resource.type },
    status,
  };
}

export function renderCheckpoint(checkpoint: CheckpointRecord): Record<string, unknown> {
  const deleting = checkpoint.goneAtMs !== null;
  return {
    id: checkpoint.id,
    plan_id: checkpoint.planId,
    created_at: checkpoint.createdAt,
    status: checkpointStatus(checkpoint),
    checkpoint_items: checkpoint.items.map((item) => renderItem(item, deleting ? "deleting" : undefined)),
  };
}

export function renderRestore(restore: RestoreRecord): Record<string, unknown> {
  return {
    id: restore.id,
    checkpoint_id: restore.checkpointId,
    checkpoint_item_id: restore.checkpointItemId,
    project_id: restore.projectId,
    resource_id: restore.resourceId,
    resource_type: restore.resourceType,
    status: restore.status,
  };
}

export function renderVolume(volume: VolumeRecord): Record<string, unknown> {
  return {
    id: volume.id,
    name: volume.name,
    type: VOLUME_TYPE,
    project_id: volume.projectId,
    created_at: volume.createdAt,
  };
}

/** One timestamp format everywhere (seconds precision, `Z`), so that string order is time order. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
