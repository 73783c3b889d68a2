// The field table of the API's plan: every field once, in the API's snake_case, with its name in each
// dialect, when a client may send it, its zod schemas and its doc. No zod at runtime: a schema is a function
// of the zod module (a type-only import), called by provider/fields/zod.ts, which the client loads with zod.
// Derived from it: the request and response schemas (api/schemas.ts), the renaming between dialects
// (api/dialectFields.ts), the camelCase mapping (mapping.ts), which fields the shared rules demand or refuse
// (rules.ts) and the emulator's records, renderings and 422 codes.
import type { z as Z } from "zod";
import { BACKUP_MODES, PLAN_STATUSES, SCHEDULE_TYPES } from "./values";

/** The zod module, as the schema functions receive it. */
export type ZodModule = typeof Z;

export interface ApiFieldSpec {
  /** The camelCase name: the BackupPlan property and the emulator record's key. */
  readonly property: string;
  /**
   * The vendor dialect's name when it differs from the seed's (the key); `null`: the vendor dialect does not
   * know the field, and it is sent there only when non-empty.
   */
  readonly vendor?: string | null;
  /** On create: `required` in every POST body, or `server` (the service sets it; refused in a request). */
  readonly create: "required" | "server";
  /** On update: `patch` (optional in a PATCH, answered by it), `immutable` (refused), `server` (never sent). */
  readonly update: "patch" | "immutable" | "server";
  /** The JSON kind of a request value (the emulator's `type_error`). */
  readonly kind: "string" | "integer" | "array";
  /** The closed set a request value comes from, if any (the emulator's `enum`). */
  readonly values?: readonly string[];
  /** The value's schema in a request (strict). Server fields have none. */
  readonly request?: (z: ZodModule) => Z.ZodType;
  /** The value's schema in a response (tolerant: statuses and modes are open strings). */
  readonly response: (z: ZodModule) => Z.ZodType;
  /** What a response that leaves the field out (or sends null) reads as; without it the field is required. */
  readonly absentAs?: string;
  readonly doc: string;
}

/** The keys of a volume entry in `resources` (request: strict; response: unknown keys kept). */
export const PLAN_RESOURCE_KEYS = ["id", "name", "type"] as const;

export function resourceRequest(z: ZodModule) {
  return z.strictObject({ id: z.string().min(1), name: z.string(), type: z.string().min(1) });
}

export function resourceResponse(z: ZodModule) {
  return z.looseObject({ id: z.string(), name: z.string(), type: z.string() });
}

/** The plan's fields, in the order the API reference lists them. */
export const PLAN_API = {
  id: {
    property: "id",
    create: "server",
    update: "server",
    kind: "string",
    response: (z) => z.string(),
    doc: "The plan's id (a UUID), assigned by the service.",
  },
  name: {
    property: "name",
    create: "required",
    update: "patch",
    kind: "string",
    request: (z) => z.string(),
    response: (z) => z.string(),
    doc: "Plan name, 1-255 characters.",
  },
  description: {
    property: "description",
    // Older deployments and the vendor's clients dropped `description` (its SDK removed it in 2025).
    vendor: null,
    create: "required",
    update: "patch",
    kind: "string",
    request: (z) => z.string(),
    response: (z) => z.string(),
    absentAs: "",
    doc: "Free text, 0-1024 characters.",
  },
  backup_mode: {
    property: "backupMode",
    create: "required",
    update: "immutable",
    kind: "string",
    values: BACKUP_MODES,
    request: (z) => z.enum(BACKUP_MODES),
    response: (z) => z.string(),
    doc: "`full` or `frequency` (weekly full plus daily incrementals); fixed at create.",
  },
  max_backups: {
    property: "maxBackups",
    vendor: "full_backups_amount",
    create: "required",
    update: "patch",
    kind: "integer",
    request: (z) => z.int(),
    response: (z) => z.number(),
    doc: "Backups (full mode, 1-90) or chains (frequency mode, 1-14) to keep.",
  },
  schedule_type: {
    property: "scheduleType",
    create: "required",
    update: "patch",
    kind: "string",
    values: SCHEDULE_TYPES,
    request: (z) => z.enum(SCHEDULE_TYPES),
    response: (z) => z.string(),
    doc: "`crontab` or `calendar` (the weekly form).",
  },
  schedule_pattern: {
    property: "schedulePattern",
    create: "required",
    update: "patch",
    kind: "string",
    request: (z) => z.string(),
    response: (z) => z.string(),
    doc: "Five-field cron expression in UTC, at most hourly.",
  },
  resources: {
    property: "resources",
    create: "required",
    update: "patch",
    kind: "array",
    request: (z) => z.array(resourceRequest(z)),
    response: (z) => z.array(resourceResponse(z)),
    doc: "The volumes protected, `{id, name, type}`, 1-100, unique ids.",
  },
  status: {
    property: "status",
    create: "server",
    update: "patch",
    kind: "string",
    values: PLAN_STATUSES,
    request: (z) => z.enum(PLAN_STATUSES),
    response: (z) => z.string(),
    doc: "`started` or `suspended`; new plans start `started`.",
  },
  created_at: {
    property: "createdAt",
    create: "server",
    update: "server",
    kind: "string",
    response: (z) => z.string(),
    doc: "When the service created the plan (RFC 3339, UTC).",
  },
} as const satisfies Record<string, ApiFieldSpec>;

export type PlanApiField = keyof typeof PLAN_API;
/** The fields a client writes on create. */
export type WritableField = {
  [K in PlanApiField]: (typeof PLAN_API)[K]["create"] extends "required" ? K : never;
}[PlanApiField];
/** The fields a PATCH may carry. */
export type UpdatableField = {
  [K in PlanApiField]: (typeof PLAN_API)[K]["update"] extends "patch" ? K : never;
}[PlanApiField];

const ENTRIES = Object.entries(PLAN_API) as [PlanApiField, ApiFieldSpec][];

/** Every field, in table order. */
export const PLAN_API_FIELDS: readonly PlanApiField[] = ENTRIES.map(([field]) => field);
/** The fields a client may write on create (all required). */
export const WRITABLE_FIELDS = ENTRIES.filter(([, spec]) => spec.create === "required").map(
  ([field]) => field,
) as readonly WritableField[];
/** The fields a PATCH may carry (every one optional). */
export const UPDATABLE_FIELDS = ENTRIES.filter(([, spec]) => spec.update === "patch").map(
  ([field]) => field,
) as readonly UpdatableField[];
/** Fields the service owns on create: refused in a POST body. */
export const SERVER_FIELDS: readonly PlanApiField[] = ENTRIES.filter(([, spec]) => spec.create === "server").map(
  ([field]) => field,
);
/** Fields a client may send at all (create or update). */
export const REQUEST_FIELDS: readonly PlanApiField[] = ENTRIES.filter(
  ([, spec]) => spec.create === "required" || spec.update === "patch",
).map(([field]) => field);
