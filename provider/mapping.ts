// The one place that knows both spellings: the camelCase properties users write and the API's snake_case
// fields. Everything here is pure: conversions between resource inputs/outputs and API bodies, and the
// translation of API field paths and wording into property names.
import type {
  Checkpoint,
  CheckpointItem,
  Plan,
  PlanCreate,
  PlanResource,
  PlanUpdate,
  Restore,
  RestoreCreate,
} from "./api/types";
import { PLAN_DIALECT_FIELDS } from "./api/dialectFields";
import { PLAN_API, WRITABLE_FIELDS } from "./fields/planApi";
import type { PlanApiField, UpdatableField, WritableField } from "./fields/planApi";
import { BACKUP_PLAN, PLAN_PROPERTY_FIELDS } from "./fields/backupPlan";
import type { PatchableProperty, PlanProperty } from "./fields/backupPlan";
import { RESTORE_API_FIELDS, RESTORE_API_NAMES, RESTORE_REQUEST_FIELDS } from "./fields/restore";
import type { RestoreApiProperty } from "./fields/restore";
import type {
  BackupPlanInputs,
  BackupPlanOutputs,
  Placement,
  PlanResourceOutput,
  RestoreInputs,
  RestoreOutputs,
  Timeouts,
} from "./types";

export { DEFAULT_RESOURCE_TYPE } from "./fields/values";
export { PATCHABLE_PROPERTIES } from "./fields/backupPlan";
export type { PatchableProperty } from "./fields/backupPlan";

/** The BackupPlan's plan fields (not the output-only `createdAt`): [property, API field], table order. */
const PLAN_FIELD_PAIRS = [...PLAN_PROPERTY_FIELDS].filter(([property]) => BACKUP_PLAN[property].change !== "output");

/** Every other snake_case name the API uses, for translating paths and messages: the restore's (its table), ... */
const OTHER_FIELDS: Record<string, string> = {
  ...Object.fromEntries(RESTORE_API_NAMES),
  project_id: "projectId",
};

// The plan's fields under each dialect's name (the field table), then the rest.
const SNAKE_TO_CAMEL: ReadonlyMap<string, string> = new Map([
  ...[...PLAN_PROPERTY_FIELDS].map(([camel, snake]) => [snake, camel] as [string, string]),
  ...Object.values(PLAN_DIALECT_FIELDS).flatMap((names) =>
    names.vendor === undefined ? [] : [[names.vendor, PLAN_API[names.seed].property] as [string, string]],
  ),
  ...Object.entries(OTHER_FIELDS),
]);

/** `max_backups` -> `maxBackups`; names the API does not use are returned unchanged. */
export function camelName(apiName: string): string {
  return SNAKE_TO_CAMEL.get(apiName) ?? apiName;
}

/** The camelCase property a snake_case spelling stands for, if it is one of ours (for "did you mean"). */
export function propertyForApiName(apiName: string): string | undefined {
  return SNAKE_TO_CAMEL.get(apiName);
}

/** An API path such as `["body", "resources", 1, "id"]` as a property path: `resources[1].id`. */
export function propertyPath(path: readonly (string | number)[]): string {
  const parts = path[0] === "body" || path[0] === "query" || path[0] === "path" ? path.slice(1) : path;
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? camelName(part) : `.${camelName(part)}`;
  }
  return out;
}

/** Rewrites API field names inside a human message (`max_backups must be ...` -> `maxBackups must be ...`). */
export function camelizeText(text: string): string {
  return text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (word) => SNAKE_TO_CAMEL.get(word) ?? word);
}

// ---------- BackupPlan <-> plan ----------

export function toPlanResources(resources: readonly PlanResourceOutput[]): PlanResource[] {
  return resources.map((r) => ({ id: r.id, name: r.name, type: r.type }));
}

/** [API field, property] of what a POST body holds, once. */
const CREATE_PAIRS = WRITABLE_FIELDS.map((field) => [field, PLAN_API[field].property] as const);

/** A plan field's value as a body carries it: volumes copied to exactly `{id, name, type}`. */
function bodyValue(field: PlanApiField, value: unknown): unknown {
  return field === "resources" ? toPlanResources(value as PlanResourceOutput[]) : value;
}

/** The POST body for a plan: every writable field (status is not one: new plans start `started`). */
export function toPlanCreate(inputs: BackupPlanInputs): PlanCreate {
  const body: Partial<Record<WritableField, unknown>> = {};
  for (const [field, property] of CREATE_PAIRS) body[field] = bodyValue(field, inputs[property]);
  return body as PlanCreate;
}

/** A PATCH body holding exactly the given properties of `inputs`. */
export function toPlanUpdate(inputs: BackupPlanInputs, properties: readonly PatchableProperty[]): PlanUpdate {
  const patch: Partial<Record<UpdatableField, unknown>> = {};
  for (const property of properties) {
    const field = BACKUP_PLAN[property].api;
    patch[field] = bodyValue(field, inputs[property]);
  }
  return patch as PlanUpdate;
}

type PlanFieldProperty = Exclude<PlanProperty, "createdAt" | "nextRunTimes" | "maxIntervalHours" | "retentionDays"> &
  keyof BackupPlanOutputs;

/** Settings that belong to the resource, not to the plan: kept from inputs to outputs unchanged. */
export interface PlanMeta extends Placement {
  adoptExistingId?: string;
  timeouts?: Timeouts;
}

export function planMeta(source: Partial<PlanMeta>): PlanMeta {
  const meta: PlanMeta = {};
  if (typeof source.projectId === "string") meta.projectId = source.projectId;
  if (typeof source.region === "string") meta.region = source.region;
  if (typeof source.endpoint === "string") meta.endpoint = source.endpoint;
  if (typeof source.adoptExistingId === "string") meta.adoptExistingId = source.adoptExistingId;
  if (source.timeouts !== undefined && source.timeouts !== null && typeof source.timeouts === "object") {
    meta.timeouts = { ...source.timeouts };
  }
  return meta;
}

/** Facts derived from the schedule, recorded as outputs. */
export interface PlanFacts {
  nextRunTimes: string[];
  maxIntervalHours: number | null;
  retentionDays: number | null;
}

/** The plan's fields in camelCase (not id, created_at): the one conversion behind outputs, inputs and results. */
function planFields(plan: Plan): Pick<BackupPlanOutputs, PlanFieldProperty> {
  const fields: Record<string, unknown> = {};
  for (const [property, field] of PLAN_FIELD_PAIRS) fields[property] = bodyValue(field, plan[field]);
  return fields as Pick<BackupPlanOutputs, PlanFieldProperty>;
}

/** The resource's outputs: the plan as the API answered it, the resource's own settings and derived facts. */
export function planToOutputs(plan: Plan, meta: PlanMeta, facts: PlanFacts): BackupPlanOutputs {
  return { ...planFields(plan), createdAt: plan.created_at, ...facts, ...meta };
}

/**
 * The inputs a program would write to describe `plan` as it is (what `read` reports, so a refresh records
 * the live values and the next diff compares like with like).
 */
export function planToInputs(plan: Plan, meta: PlanMeta): Record<string, unknown> {
  return { ...planFields(plan), ...meta };
}

/** A plan reconstructed from recorded outputs and a PATCH answer (which omits id, backup_mode, created_at). */
export function outputsAsPlan(id: string, outputs: Partial<BackupPlanOutputs>): Plan {
  const plan: Partial<Record<PlanApiField, unknown>> = { id };
  for (const [property, field] of PLAN_FIELD_PAIRS) {
    // Recorded outputs may be partial (an older release, or a `get` with little state): never crash on them.
    const value = outputs[property];
    plan[field] =
      field !== "resources" ? value : Array.isArray(value) ? toPlanResources(value as PlanResourceOutput[]) : [];
  }
  plan["created_at"] = outputs.createdAt;
  return plan as Plan;
}

/** Whether two plan bodies describe the same plan (resources compared as a set by id). */
export function planMatchesBody(plan: Plan, body: PlanCreate): boolean {
  for (const field of WRITABLE_FIELDS) {
    if (field === "resources" ? !sameResources(plan.resources, body.resources) : plan[field] !== body[field])
      return false;
  }
  return true;
}

/** Resources compared as a set keyed by id (the API gives order no meaning). */
export function sameResources(a: readonly PlanResource[], b: readonly PlanResource[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(a.map((r) => [r.id, r]));
  return b.every((r) => {
    const other = byId.get(r.id);
    return other !== undefined && other.name === r.name && other.type === r.type;
  });
}

/** One line per plan, for messages that list candidates. */
export function describePlan(plan: Plan): string {
  const volumes = plan.resources.map((r) => r.name || r.id).join(", ");
  return (
    `${plan.id} (backupMode ${plan.backup_mode}, maxBackups ${plan.max_backups}, ` +
    `${plan.schedule_type} \`${plan.schedule_pattern}\`, volumes [${volumes}], status ${plan.status}, ` +
    `created ${plan.created_at})`
  );
}

// ---------- Restore ----------

/** The POST body of a restore: the inputs its table sends, under their API names. */
export function toRestoreCreate(inputs: RestoreInputs & { checkpointItemId: string }): RestoreCreate {
  const body: Record<string, unknown> = {};
  for (const [property, field] of RESTORE_REQUEST_FIELDS) body[field] = inputs[property];
  return body as Partial<Record<keyof RestoreCreate, unknown>> as RestoreCreate;
}

export function restoreToOutputs(
  restore: Restore,
  inputs: RestoreInputs & { checkpointItemId: string },
  backupCreatedAt?: string,
): RestoreOutputs {
  const read: Partial<Record<RestoreApiProperty, unknown>> = {};
  for (const [property, field] of RESTORE_API_FIELDS) read[property] = restore[field];
  return {
    ...inputs,
    ...(backupCreatedAt === undefined ? {} : { backupCreatedAt }),
    ...(read as Pick<RestoreOutputs, RestoreApiProperty>),
  };
}

// ---------- data-source results ----------

/** A plan as the data sources answer it: the fields a BackupPlan records, with its id. */
export type BackupPlanResult = { id: string } & Pick<
  BackupPlanOutputs,
  | "name"
  | "description"
  | "backupMode"
  | "maxBackups"
  | "scheduleType"
  | "schedulePattern"
  | "resources"
  | "status"
  | "createdAt"
>;

export function toBackupPlanResult(plan: Plan): BackupPlanResult {
  return { id: plan.id, ...planFields(plan), createdAt: plan.created_at };
}

export interface CheckpointItemResult {
  id: string;
  checkpointId: string;
  backupId: string;
  chainId: string;
  createdAt: string;
  /** When the underlying backup was taken, if the API says. */
  backupCreatedAt?: string;
  isIncremental: boolean;
  resource: PlanResourceOutput;
  status: string;
}

export interface CheckpointResult {
  id: string;
  planId: string;
  createdAt: string;
  status: string;
  items: CheckpointItemResult[];
}

export function toCheckpointItemResult(item: CheckpointItem): CheckpointItemResult {
  const result: CheckpointItemResult = {
    id: item.id,
    checkpointId: item.checkpoint_id,
    backupId: item.backup_id,
    chainId: item.chain_id,
    createdAt: item.created_at,
    isIncremental: item.is_incremental,
    resource: { id: item.resource.id, name: item.resource.name, type: item.resource.type },
    status: item.status,
  };
  if (typeof item.backup_created_at === "string") result.backupCreatedAt = item.backup_created_at;
  return result;
}

export function toCheckpointResult(checkpoint: Checkpoint): CheckpointResult {
  return {
    id: checkpoint.id,
    planId: checkpoint.plan_id,
    createdAt: checkpoint.created_at,
    status: checkpoint.status,
    items: checkpoint.checkpoint_items.map(toCheckpointItemResult),
  };
}
