// The zod objects the field tables describe, built from them. No zod import at runtime: the caller passes
// the module (the client has it loaded; planCheck and restoreOperations load it on first need), so the
// tables stay free for programs and the plugin's first Check.
import type { z as Z } from "zod";
import { PLAN_API, PLAN_API_FIELDS, UPDATABLE_FIELDS, WRITABLE_FIELDS } from "./planApi";
import type { ApiFieldSpec, PlanApiField, ZodModule } from "./planApi";

function spec(field: PlanApiField): ApiFieldSpec {
  return PLAN_API[field];
}

function requestSchema(z: ZodModule, field: PlanApiField): Z.ZodType {
  const request = spec(field).request;
  if (request === undefined) throw new Error(`plan field ${field} is not sent by clients`);
  return request(z);
}

/** A response field: required, or (with `absentAs`) read as that value when left out or null. */
function responseSchema(z: ZodModule, field: PlanApiField, partial: boolean): Z.ZodType {
  const { response, absentAs } = spec(field);
  if (absentAs === undefined) return partial ? response(z).optional() : response(z);
  const fallback = partial ? undefined : absentAs;
  return response(z)
    .nullish()
    .transform((value: unknown) => value ?? fallback);
}

/** The POST body (every writable field) and the PATCH body (every updatable field, optional): strict. */
export function planRequestSchemas(z: ZodModule) {
  const create: Record<string, Z.ZodType> = {};
  for (const field of WRITABLE_FIELDS) create[field] = requestSchema(z, field);
  const update: Record<string, Z.ZodType> = {};
  for (const field of UPDATABLE_FIELDS) update[field] = requestSchema(z, field).optional();
  return { create: z.strictObject(create), update: z.strictObject(update) };
}

type Table = typeof PLAN_API;
// The shapes the loops below build, spelled out for the type checker: each field's own response schema.
type ResponseShape = { -readonly [K in PlanApiField]: ReturnType<Table[K]["response"]> };
type PartialResponseShape = { -readonly [K in PlanApiField]: Z.ZodOptional<ReturnType<Table[K]["response"]>> };

/**
 * The plan as GET answers it, and as PATCH answers it (every field optional): tolerant, unknown keys kept.
 * `preprocess` runs first (the dialects' renaming).
 */
export function planResponseSchemas(z: ZodModule, preprocess: (input: unknown) => unknown) {
  const full: Record<string, Z.ZodType> = {};
  const partial: Record<string, Z.ZodType> = {};
  for (const field of PLAN_API_FIELDS) {
    full[field] = responseSchema(z, field, false);
    partial[field] = responseSchema(z, field, true);
  }
  return {
    plan: z.preprocess(preprocess, z.looseObject(full as ResponseShape)),
    updated: z.preprocess(preprocess, z.looseObject(partial as PartialResponseShape)),
  };
}
