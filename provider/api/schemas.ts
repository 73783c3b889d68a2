// zod schemas of every body the client sends or reads. Requests are strict: an unknown key is a bug in the
// caller and is refused before any I/O. Responses are tolerant: unknown keys are kept, status strings are
// open, and the retention count is read under either dialect's name (PLAN_DIALECT_FIELDS) as `max_backups`.
import { z } from "zod";
import { resourceResponse } from "../fields/planApi";
import { planRequestSchemas, planResponseSchemas } from "../fields/zod";
import type { ChainDeleted, Checkpoint, CheckpointDeleted, CheckpointPage, Plan, PlanPage, Restore } from "./types";

// ---------- requests (strict) ----------

import { RETENTION_FIELDS } from "./dialectFields";
export {
  DIALECTS,
  dialectOfPlan,
  PLAN_DIALECT_FIELDS,
  RETENTION_FIELDS,
  retentionField,
  toWireBody,
} from "./dialectFields";
export type { Dialect } from "./dialectFields";

// The plan's bodies are built from its field table (provider/fields/planApi.ts).
const planRequests = planRequestSchemas(z);
export const planCreateSchema = compiled(planRequests.create);
export const planUpdateSchema = planRequests.update;

export const restoreCreateSchema = z.strictObject({
  checkpoint_item_id: z.string().min(1),
  restore_name: z.string(),
});

const pageLimit = z.int().min(1).max(1000);

export const planListQuerySchema = compiled(
  z.strictObject({
    name: z.string().optional(),
    volume_name: z.string().optional(),
    limit: pageLimit.optional(),
    marker: z.string().min(1).optional(),
  }),
);

export const checkpointListQuerySchema = z.strictObject({
  plan_name: z.string().optional(),
  volume_name: z.string().optional(),
  limit: pageLimit.optional(),
  marker: z.string().min(1).optional(),
});

// ---------- responses (tolerant) ----------

/** Reads the retention count under whichever dialect's name the service used, as `max_backups`. */
export function aliasRetentionField(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  if (record["max_backups"] !== undefined) return input;
  const found = RETENTION_FIELDS.find((name) => record[name] !== undefined);
  return found === undefined ? input : { ...record, max_backups: record[found] };
}

/**
 * zod's compiled fast path (`z.compile`) for what every create checks (its body, the name lookup's query, the
 * answers) and for answers read in bulk (plan and checkpoint pages): a validator generated once, tried first;
 * on any failure the runtime parser runs, so the issues (and messages) are the runtime's. A checkpoint page's
 * check costs about a third of the runtime's.
 */
function compiled<T extends z.ZodType>(schema: T): T {
  return z.compile(schema);
}

const planResponses = planResponseSchemas(z, aliasRetentionField);
export const planSchema: z.ZodType<Plan> = compiled(planResponses.plan);
/** PATCH answers only the updatable fields; every one optional. */
export const planUpdatedSchema: z.ZodType<Partial<Plan>> = planResponses.updated;

export const planPageSchema: z.ZodType<PlanPage> = compiled(
  z.looseObject({
    plans: z.array(planSchema),
    total: z.number(),
  }),
);

type ObjectKind = typeof z.looseObject | typeof z.object;

/**
 * The checkpoint bodies, built twice from one field list: tolerant (`z.looseObject`, unknown keys kept; the
 * documented shapes) and as checks (`z.object`, the same fields and no transforms). A check accepts exactly
 * what the tolerant schema accepts, and the answer is then the parsed JSON itself, unknown keys and all:
 * listing skips the tolerant schema's per-object walk over unknown keys and its copy of every checkpoint.
 */
function checkpointSchemas(object: ObjectKind) {
  const item = object({
    id: z.string(),
    backup_id: z.string(),
    chain_id: z.string(),
    checkpoint_id: z.string(),
    created_at: z.string(),
    backup_created_at: z.string().nullish(),
    is_incremental: z.boolean(),
    resource: object(resourceResponse(z).shape),
    status: z.string(),
  });
  const checkpoint = object({
    id: z.string(),
    plan_id: z.string(),
    created_at: z.string(),
    status: z.string(),
    checkpoint_items: z.array(item),
  });
  return {
    checkpoint,
    page: object({ checkpoints: z.array(checkpoint), total: z.number() }),
    chainDeleted: object({ deleted: z.array(checkpoint) }),
  };
}

const tolerantCheckpoints = checkpointSchemas(z.looseObject);
export const checkpointSchema: z.ZodType<Checkpoint> = tolerantCheckpoints.checkpoint;
export const checkpointPageSchema: z.ZodType<CheckpointPage> = tolerantCheckpoints.page;
export const chainDeletedSchema: z.ZodType<ChainDeleted> = tolerantCheckpoints.chainDeleted;

/** Checks for the schemas above (see `checkpointSchemas`): a call passes one as `check`, not `schema`. */
export const checkpointChecks: {
  checkpoint: z.ZodType<Checkpoint>;
  page: z.ZodType<CheckpointPage>;
  chainDeleted: z.ZodType<ChainDeleted>;
} = ((checks) => ({
  checkpoint: compiled(checks.checkpoint),
  page: compiled(checks.page),
  chainDeleted: compiled(checks.chainDeleted),
}))(checkpointSchemas(z.object));

export const checkpointDeletedSchema: z.ZodType<CheckpointDeleted> = z.looseObject({
  id: z.string(),
  status: z.string(),
});

export const restoreSchema: z.ZodType<Restore> = z.looseObject({
  id: z.string(),
  checkpoint_id: z.string(),
  checkpoint_item_id: z.string(),
  project_id: z.string(),
  resource_id: z.string(),
  resource_type: z.string(),
  status: z.string(),
});

/** The API's error body; every field optional so that a half-formed error still reads. */
export const apiErrorBodySchema = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_key: z.string().nullish(),
  details: z.unknown().optional(),
  detail: z.unknown().optional(),
});

export const validationEntrySchema = z.looseObject({
  loc: z.array(z.union([z.string(), z.number()])).optional(),
  msg: z.string().optional(),
  message: z.string().optional(),
  type: z.string().optional(),
});

// ---------- Keystone ----------

export const catalogEndpointSchema = z.looseObject({
  interface: z.string().optional(),
  region_id: z.string().nullish(),
  region: z.string().nullish(),
  url: z.string(),
});

export const catalogEntrySchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  endpoints: z.array(catalogEndpointSchema),
});

export const keystoneTokenBodySchema = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string().optional(),
    project: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
    catalog: z.array(catalogEntrySchema).optional(),
  }),
});

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

// ---------- issue formatting ----------

/** ["plans", 3, "id"] -> "plans[3].id" */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

export interface SchemaFailure {
  /** Path of the first issue, formatted. */
  field: string;
  /** Every issue, "path: message", at most a handful. */
  issues: string[];
}

export function describeZodError(error: z.ZodError, max = 5): SchemaFailure {
  const issues = error.issues.slice(0, max).map((issue) => {
    const where = formatPath(issue.path);
    const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
    return `${where === "" ? "(root)" : where}: ${issue.message}${keys}`;
  });
  if (error.issues.length > max) issues.push(`... and ${error.issues.length - max} more`);
  const first = error.issues[0];
  let field = first === undefined ? "" : formatPath(first.path);
  if (first !== undefined && first.code === "unrecognized_keys" && first.keys.length > 0) {
    field = field === "" ? first.keys[0]! : `${field}.${first.keys[0]!}`;
  }
  return { field, issues };
}
