// The field table of the Restore resource: every property once, with the field of the API's restore it comes
// from (outputs), how a change applies (every input change is another restore), its check schema, its README
// cells and its doc. No zod at runtime. Derived from it: the outputs the class seeds, the check schema and the
// diff (restoreOperations.ts), the outputs read from the API's answer (mapping.ts) and the README's table.
import type { z as Z } from "zod";
import type { ZodModule } from "./planApi";
import { PROJECT_ID_RE } from "./patterns";
import { describeValue } from "../values";

export interface RestorePropertySpec {
  /** `replace`: an input (a change is another restore); `output`: recorded from the create's answer. */
  readonly change: "replace" | "output";
  /** The field of the API's restore the output is read from. */
  readonly api?: string;
  /** The field of the restore request (POST body) the input is sent as. */
  readonly request?: string;
  /** README: the type and default cells of an input. */
  readonly type?: string;
  readonly defaultText?: string;
  /** README: what follows "replace" in the "on change" cell. */
  readonly note?: string;
  /** The input's check schema. */
  readonly check?: (z: ZodModule) => Z.ZodType;
  readonly doc: string;
}

function optionalName(z: ZodModule, property: string, fix: string) {
  return z
    .string({ error: (issue) => `${property} must be a string, got ${describeValue(issue.input)}` })
    .min(1, { error: `${property} must not be empty: ${fix}` })
    .optional();
}

const PICK_ONE = "one of `volumeName`, `volumeId`, `checkpointItemId`";

export const RESTORE = {
  checkpointItemId: {
    change: "replace",
    request: "checkpoint_item_id",
    type: "string",
    defaultText: PICK_ONE,
    note: ". Instead of a volume: restore exactly this item",
    check: (z) =>
      optionalName(z, "checkpointItemId", "give an item id, or volumeName to restore that volume's newest backup"),
    doc: "The item restored: the input, or the backup the volume was pinned to at create.",
  },
  volumeId: {
    change: "replace",
    type: "string",
    defaultText: PICK_ONE,
    note: ". Like `volumeName`, by the volume's id",
    check: (z) => optionalName(z, "volumeId", "give the volume's id, or leave it out"),
    doc: "Like `volumeName`, by the volume's id.",
  },
  volumeName: {
    change: "replace",
    type: "string",
    defaultText: PICK_ONE,
    note: ". Restore the newest `available` backup of this volume, **pinned at create**",
    check: (z) => optionalName(z, "volumeName", "give the volume's name, or leave it out"),
    doc: "Restore the newest available backup of the volume with this name, resolved once at create.",
  },
  planName: {
    change: "replace",
    type: "string",
    defaultText: "any plan",
    note: ". With a volume: only backups made by this plan",
    check: (z) => optionalName(z, "planName", "give a plan's name, or leave it out"),
    doc: "With `volumeName`/`volumeId`: only backups made by the plan with this exact name.",
  },
  notAfter: {
    change: "replace",
    type: "RFC 3339 time",
    defaultText: "none",
    note: ". With a volume: the newest backup taken at or before this time, e.g. `2026-01-31T23:59:59Z`",
    check: (z) =>
      z.iso
        .datetime({
          offset: true,
          error: (issue) =>
            `notAfter must be an RFC 3339 time such as 2026-01-31T23:59:59Z, got ${describeValue(issue.input)}`,
        })
        .optional(),
    doc: "With `volumeName`/`volumeId`: only backups taken at or before this time (RFC 3339).",
  },
  restoreName: {
    change: "replace",
    request: "restore_name",
    type: "string",
    defaultText: "required",
    note: ". The name of the new volume",
    check: (z) =>
      z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? "restoreName is required: name the new volume the restore creates, e.g. `db-restored`"
              : `restoreName must be a string, got ${describeValue(issue.input)}`,
        })
        .min(1, { error: "restoreName must not be empty: name the new volume, e.g. `db-restored`" })
        .max(255, { error: "restoreName must be at most 255 characters: shorten it" }),
    doc: "Name of the new volume the restore creates.",
  },
  projectId: {
    change: "replace",
    type: "string",
    defaultText: "stack config / token's project",
    check: (z) =>
      z
        .string()
        .regex(PROJECT_ID_RE, {
          error: (issue) =>
            `projectId ${describeValue(issue.input)} is not a project id (a UUID): set the project (tenant) ` +
            `id or leave it out`,
        })
        .optional(),
    doc: "Project (tenant) id; default `scheduledbackup:projectId` or the token's project.",
  },
  region: {
    change: "replace",
    type: "string",
    defaultText: "stack config",
    check: (z) => z.string().min(1, { error: "region must not be empty: set it or leave it out" }).optional(),
    doc: "Region (pool); default `scheduledbackup:region`.",
  },
  endpoint: {
    change: "replace",
    type: "string",
    defaultText: "stack config / catalog",
    check: (z) =>
      z.url({ protocol: /^https?$/, error: "endpoint must be an http(s) URL including /data-protect/v2" }).optional(),
    doc: "Base URL including `/data-protect/v2`; default `scheduledbackup:endpoint` or the catalog.",
  },
  checkpointId: { change: "output", api: "checkpoint_id", doc: "The checkpoint the restored item belongs to." },
  backupCreatedAt: {
    change: "output",
    doc: "When the restored backup was taken (RFC 3339); recorded when the restore was pinned by volume.",
  },
  resourceId: { change: "output", api: "resource_id", doc: "Id of the volume the restore created." },
  resourceType: { change: "output", api: "resource_type", doc: "Type of the volume the restore created." },
  status: {
    change: "output",
    api: "status",
    doc: "`in_progress`, `success` or `error`, as the create answered (the API cannot read a restore later).",
  },
} as const satisfies Record<string, RestorePropertySpec>;

export type RestoreProperty = keyof typeof RESTORE;
type Table = typeof RESTORE;
export type RestoreInputProperty = {
  [K in RestoreProperty]: Table[K]["change"] extends "replace" ? K : never;
}[RestoreProperty];
/** The inputs a restore request sends. */
export type RestoreRequestProperty = {
  [K in RestoreProperty]: Table[K] extends { request: string } ? K : never;
}[RestoreProperty];
/** The outputs read from the API's restore, with their API names. */
export type RestoreApiProperty = {
  [K in RestoreProperty]: Table[K] extends { api: string } ? K : never;
}[RestoreProperty];

const ENTRIES = Object.entries(RESTORE) as [RestoreProperty, RestorePropertySpec][];

/** Every property, in table order: the keys the resource class seeds. */
export const RESTORE_PROPERTIES: readonly RestoreProperty[] = ENTRIES.map(([p]) => p);
/** The inputs, in table order (every change replaces). */
export const RESTORE_INPUT_PROPERTIES = ENTRIES.filter(([, spec]) => spec.change === "replace").map(
  ([p]) => p,
) as readonly RestoreInputProperty[];
/** [property, API field] of the outputs read from the API's restore. */
export const RESTORE_API_FIELDS = ENTRIES.flatMap(([p, spec]) =>
  spec.api === undefined ? [] : [[p, spec.api] as const],
) as readonly (readonly [RestoreApiProperty, string])[];

/** [property, request field] of what a restore request sends: its POST body's fields. */
export const RESTORE_REQUEST_FIELDS = ENTRIES.flatMap(([p, spec]) =>
  spec.request === undefined ? [] : [[p, spec.request] as const],
) as readonly (readonly [RestoreRequestProperty, string])[];

/** Every snake_case name of the restore API the table knows, with its property (for paths and messages). */
export const RESTORE_API_NAMES: readonly (readonly [string, RestoreProperty])[] = [
  ...RESTORE_REQUEST_FIELDS.map(([p, field]) => [field, p] as const),
  ...RESTORE_API_FIELDS.map(([p, field]) => [field, p] as const),
];

/** The check schema of a Restore's inputs; unknown keys are refused. */
export function restoreInputsSchema(z: ZodModule) {
  const shape: Record<string, Z.ZodType> = {};
  for (const [property, spec] of ENTRIES) if (spec.check !== undefined) shape[property] = spec.check(z);
  shape["__provider"] = z.unknown().optional();
  return z.strictObject(shape, { error: "a Restore's inputs must be an object" });
}
