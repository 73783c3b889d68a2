// Request validation. Plan bodies go through the shared rules (provider/rules.ts), so the emulator, the
// provider's check and the policies cannot disagree; this file only adapts them to the API's 422 shape,
// handles the `full_backups_amount` alias and validates the query strings and restore bodies.

import { checkPlanBody } from "../provider/rules";
import { isRecord } from "../provider/values";
import { MAX_PAGE_SIZE } from "./constants";
import { type ValidationEntry, validationFailed } from "./errors";
import type { PlanFields, PlanRecord, PlanStatus, ResourceRecord, Wire } from "./model";
import { PLAN_DIALECT_FIELDS } from "../provider/api/dialectFields";
import {
  PLAN_API,
  PLAN_RESOURCE_KEYS,
  REQUEST_FIELDS,
  UPDATABLE_FIELDS,
  WRITABLE_FIELDS,
} from "../provider/fields/planApi";
import type { ApiFieldSpec, PlanApiField, UpdatableField } from "../provider/fields/planApi";
import { keysMatch } from "../provider/fields/keys";
import { RESTORE_REQUEST_FIELDS } from "../provider/fields/restore";
import type { SameKeys } from "../provider/fields/keys";

const CANONICAL = PLAN_DIALECT_FIELDS.max_backups.seed;
export const ALIAS = PLAN_DIALECT_FIELDS.max_backups.vendor;

type Body = Record<string, unknown>;

function requireObject(body: unknown): Body {
  if (!isRecord(body)) {
    const fix = 'send a JSON object such as {"name": "..."}';
    throw validationFailed([
      { loc: ["body"], msg: "the request body must be a JSON object", type: "dict_type", ctx: { fix } },
    ]);
  }
  return body;
}

/** A retention name this dialect does not speak is an unknown field (pydantic's extra_forbidden). */
function refuseForeignNames(input: Body, entries: ValidationEntry[], wire: Wire): Body {
  let body = input;
  for (const name of [CANONICAL, ALIAS]) {
    if (wire.accepted.includes(name) || !(name in body)) continue;
    if (body[name] !== undefined && body[name] !== null) {
      entries.push({
        loc: ["body", name],
        msg: `unknown field \`${name}\`: this service calls the retention count ${wire.accepted.join(" or ")}`,
        type: "extra_forbidden",
        ctx: { fix: `send ${wire.accepted.join(" or ")} instead of ${name}` },
      });
    }
    const { [name]: _dropped, ...rest } = body;
    body = rest;
  }
  return body;
}

/**
 * Takes the retention count under the names the dialect accepts (`full_backups_amount` is what the vendor's own
 * clients send). Sending both is a problem of its own. Answers the body with the canonical name, and the name
 * problems of the count are reported under (the one the client used, or the only one the dialect knows).
 */
function resolveAlias(input: Body, entries: ValidationEntry[], wire: Wire): { body: Body; retentionName: string } {
  const body = refuseForeignNames(input, entries, wire);
  const fallbackName = wire.accepted.includes(CANONICAL) ? CANONICAL : ALIAS;
  if (body[ALIAS] === undefined || body[ALIAS] === null) {
    const { [ALIAS]: _dropped, ...rest } = body;
    return { body: ALIAS in body ? rest : body, retentionName: fallbackName };
  }
  if (body.max_backups !== undefined && body.max_backups !== null) {
    entries.push({
      loc: ["body", ALIAS],
      msg: "max_backups and full_backups_amount are the same field; it was sent under both names",
      type: "alias_conflict",
      ctx: { fix: "send only max_backups (or only full_backups_amount)" },
    });
    const { [ALIAS]: _dropped, ...rest } = body;
    return { body: rest, retentionName: CANONICAL };
  }
  const { [ALIAS]: value, ...rest } = body;
  return { body: { ...rest, max_backups: value }, retentionName: ALIAS };
}

// From the plan's field table (provider/fields/planApi.ts), once.
/** The fields a client may send at all. */
const PLAN_FIELDS: readonly string[] = REQUEST_FIELDS;
const RESOURCE_KEYS: readonly string[] = PLAN_RESOURCE_KEYS;
const FIELD_SPECS: ReadonlyMap<string, ApiFieldSpec> = new Map(Object.entries(PLAN_API));
/** Fields whose values come from a closed set. */
const ENUM_FIELDS = new Set<string>(
  REQUEST_FIELDS.filter((field) => (PLAN_API[field] as ApiFieldSpec).values !== undefined),
);

function valueAt(body: Body, path: readonly (string | number)[]): unknown {
  let value: unknown = body;
  for (const step of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

function expectedKind(path: readonly (string | number)[]): "string" | "integer" | "array" | "object" | undefined {
  const [field, , key] = path;
  if (field === "resources" && path.length > 1) {
    if (path.length === 2) return "object";
    return typeof key === "string" && RESOURCE_KEYS.includes(key) ? "string" : undefined;
  }
  return path.length === 1 && typeof field === "string" && PLAN_FIELDS.includes(field)
    ? FIELD_SPECS.get(field)?.kind
    : undefined;
}

function hasKind(value: unknown, kind: "string" | "integer" | "array" | "object"): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
  }
}

/**
 * Short machine code of a problem (the 422 entry's `type`, in pydantic's vocabulary where one exists). The
 * shared rules phrase problems for people; the code is derived from the structure (the field, the mode and
 * the value sent), never from the wording, so rewording a rule cannot change it.
 */
function problemType(path: readonly (string | number)[], body: Body, mode: "create" | "update"): string {
  const [field] = path;
  const value = valueAt(body, path);
  if (typeof field !== "string") return "value_error";
  if (path.length === 1 && value === undefined) return "missing";
  if (mode === "update" && field === "backup_mode") return "immutable";
  if (path.length === 1 && (field === "id" || field === "created_at" || (field === "status" && mode === "create")))
    return "read_only";
  if (path.length === 1 && !PLAN_FIELDS.includes(field)) return "extra_forbidden";
  if (field === "resources" && path.length === 3 && !RESOURCE_KEYS.includes(String(path[2]))) return "extra_forbidden";
  const kind = expectedKind(path);
  if (kind !== undefined && !hasKind(value, kind)) return "type_error";
  if (field === "schedule_type" || field === "schedule_pattern") return "schedule";
  if (ENUM_FIELDS.has(field) || (field === "resources" && path[2] === "type")) return "enum";
  if (field === "resources" && path[2] === "id" && typeof path[1] === "number") {
    const earlier = (body.resources as unknown[]).slice(0, path[1]);
    const id = String(value).toLowerCase();
    if (earlier.some((entry) => isRecord(entry) && typeof entry.id === "string" && entry.id.toLowerCase() === id))
      return "unique";
  }
  if (kind !== undefined && kind !== "object") return "range";
  return "value_error";
}

function entriesFor(
  problems: readonly { path: (string | number)[]; message: string; fix: string }[],
  body: Body,
  mode: "create" | "update",
  retentionName: string,
): ValidationEntry[] {
  return problems.map((problem) => {
    const path = problem.path[0] === CANONICAL ? [retentionName, ...problem.path.slice(1)] : problem.path;
    return {
      loc: ["body", ...path],
      msg: problem.message,
      type: problemType(problem.path, body, mode),
      ctx: { fix: problem.fix },
    };
  });
}

function resourcesOf(value: unknown): ResourceRecord[] {
  return (value as Body[]).map((r) => ({ id: String(r.id), name: String(r.name), type: String(r.type) }));
}

/**
 * Where the vendor's clients are served (`wire.descriptionOptional`) a missing `description` is taken as empty:
 * the vendor's Go SDK and Terraform provider do not know the field, and they must work against the emulator
 * unchanged.
 */
export function validateCreate(input: unknown, wire: Wire): PlanFields {
  const entries: ValidationEntry[] = [];
  const object = requireObject(input);
  const withDefaults =
    wire.descriptionOptional && object.description === undefined ? { ...object, description: "" } : object;
  const { body, retentionName } = resolveAlias(withDefaults, entries, wire);
  entries.push(...entriesFor(checkPlanBody(body, { mode: "create" }), body, "create", retentionName));
  if (entries.length > 0) throw validationFailed(entries);
  const fields: Record<string, unknown> = {};
  for (const field of WRITABLE_FIELDS) fields[PLAN_API[field].property] = recordValue(field, body[field]);
  return fields as Partial<Record<keyof PlanFields, unknown>> as PlanFields;
}

/** A valid body's value as the record keeps it (volumes copied to exactly `{id, name, type}`). */
function recordValue(field: PlanApiField, value: unknown): unknown {
  return field === "resources" ? resourcesOf(value) : value;
}

export type PlanPatch = Partial<Omit<PlanFields, "backupMode">> & { status?: PlanStatus };

// What a PATCH takes is the table's updatable fields, by their camelCase names (PlanFields: model.ts).
keysMatch<SameKeys<PlanPatch, (typeof PLAN_API)[UpdatableField]["property"]>>();

function storedBody(plan: PlanRecord): { backup_mode: string; schedule_type: string; schedule_pattern: string } {
  return { backup_mode: plan.backupMode, schedule_type: plan.scheduleType, schedule_pattern: plan.schedulePattern };
}

export function validateUpdate(input: unknown, plan: PlanRecord, wire: Wire): PlanPatch {
  const entries: ValidationEntry[] = [];
  // A field sent as null counts as not sent.
  const sent = Object.fromEntries(Object.entries(requireObject(input)).filter(([, value]) => value !== null));
  const { body, retentionName } = resolveAlias(sent, entries, wire);
  entries.push(
    ...entriesFor(checkPlanBody(body, { mode: "update", stored: storedBody(plan) }), body, "update", retentionName),
  );
  if (entries.length > 0) throw validationFailed(entries);
  const patch: Record<string, unknown> = {};
  for (const field of UPDATABLE_FIELDS) {
    if (body[field] !== undefined) patch[PLAN_API[field].property] = recordValue(field, body[field]);
  }
  return patch as Partial<Record<keyof PlanPatch, unknown>> as PlanPatch;
}

/** What a restore request carries: the Restore table's request fields. */
const RESTORE_BODY_FIELDS: readonly string[] = RESTORE_REQUEST_FIELDS.map(([, field]) => field);
const ITEM_ID_FIX = "pass the id of a checkpoint item (checkpoint_items[].id)";
const RESTORE_NAME_FIX = 'name the new volume, 1 to 255 characters, e.g. "db-restored"';

function entry(field: string, msg: string, type: string, fix: string): ValidationEntry {
  return { loc: ["body", field], msg, type, ctx: { fix } };
}

export function validateRestore(input: unknown): { checkpointItemId: string; restoreName: string } {
  const body = requireObject(input);
  const entries: ValidationEntry[] = [];
  for (const key of Object.keys(body)) {
    if (!RESTORE_BODY_FIELDS.includes(key)) {
      entries.push(
        entry(key, `unknown field \`${key}\``, "extra_forbidden", `send only ${RESTORE_BODY_FIELDS.join(" and ")}`),
      );
    }
  }
  const itemId = body.checkpoint_item_id;
  if (itemId === undefined || itemId === null) {
    entries.push(entry("checkpoint_item_id", "checkpoint_item_id is required", "missing", ITEM_ID_FIX));
  } else if (typeof itemId !== "string") {
    entries.push(entry("checkpoint_item_id", "checkpoint_item_id must be a string", "type_error", ITEM_ID_FIX));
  } else if (itemId.length === 0) {
    entries.push(entry("checkpoint_item_id", "checkpoint_item_id is empty", "range", ITEM_ID_FIX));
  }
  const name = body.restore_name;
  if (name === undefined || name === null) {
    entries.push(entry("restore_name", "restore_name is required", "missing", RESTORE_NAME_FIX));
  } else if (typeof name !== "string") {
    entries.push(entry("restore_name", "restore_name must be a string", "type_error", RESTORE_NAME_FIX));
  } else if (name.length < 1 || name.length > 255) {
    entries.push(
      entry(
        "restore_name",
        `restore_name is ${name.length} characters long; it takes 1 to 255`,
        "range",
        RESTORE_NAME_FIX,
      ),
    );
  }
  if (entries.length > 0) throw validationFailed(entries);
  return { checkpointItemId: itemId as string, restoreName: name as string };
}

export interface ListQuery {
  limit: number;
  marker: string | undefined;
  filters: Record<string, string | undefined>;
}

/** `limit` 1..1000 (default 1000) and exact-match filters; an empty filter value counts as not sent. */
export function parseListQuery(query: URLSearchParams, filterNames: readonly string[]): ListQuery {
  const entries: ValidationEntry[] = [];
  let limit = MAX_PAGE_SIZE;
  const rawLimit = query.get("limit");
  if (rawLimit !== null && rawLimit !== "") {
    const parsed = /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PAGE_SIZE) {
      entries.push({
        loc: ["query", "limit"],
        msg: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}; got ${JSON.stringify(rawLimit)}`,
        type: Number.isInteger(parsed) ? "range" : "int_parsing",
        ctx: { fix: `pass a limit between 1 and ${MAX_PAGE_SIZE}, or omit it for ${MAX_PAGE_SIZE}` },
      });
    } else {
      limit = parsed;
    }
  }
  if (entries.length > 0) throw validationFailed(entries);
  const marker = query.get("marker");
  const filters: Record<string, string | undefined> = {};
  for (const name of filterNames) {
    const value = query.get(name);
    filters[name] = value === null || value === "" ? undefined : value;
  }
  return { limit, marker: marker === null || marker === "" ? undefined : marker, filters };
}
