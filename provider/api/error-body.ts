// Turns a non-2xx answer into the typed error for its status. Pure: no I/O, so the unit tests feed it bodies.
import {
  ApiError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  ValidationError,
  type ApiErrorInit,
  type ValidationProblem,
} from "./errors";
import { apiErrorBodySchema, formatPath, validationEntrySchema } from "./schemas";

interface FailedCall {
  operation: string;
  method: string;
  path: string;
  status: number;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** The path layout in use, named in the error (see dialect.ts). */
  layout?: string | undefined;
}

/** Location prefixes FastAPI-style services put before the field path. */
const LOCATION_PREFIXES = new Set(["body", "query", "path", "header"]);

function problemFromEntry(entry: unknown): ValidationProblem | undefined {
  const parsed = validationEntrySchema.safeParse(entry);
  if (!parsed.success) return undefined;
  const loc = parsed.data.loc ?? [];
  const rest = loc.length > 0 && typeof loc[0] === "string" && LOCATION_PREFIXES.has(loc[0]) ? loc.slice(1) : loc;
  return {
    loc,
    msg: parsed.data.msg ?? parsed.data.message ?? "invalid",
    type: parsed.data.type ?? "invalid",
    field: formatPath(rest),
  };
}

/** Both 422 shapes: the API's `details.errors` and FastAPI's `detail`. */
export function validationProblems(body: unknown): ValidationProblem[] {
  if (typeof body !== "object" || body === null) return [];
  const record = body as Record<string, unknown>;
  const details = record["details"];
  const candidates: unknown[] = [];
  if (
    typeof details === "object" &&
    details !== null &&
    Array.isArray((details as Record<string, unknown>)["errors"])
  ) {
    candidates.push(...((details as Record<string, unknown>)["errors"] as unknown[]));
  } else if (Array.isArray(record["detail"])) {
    candidates.push(...(record["detail"] as unknown[]));
  }
  return candidates.map(problemFromEntry).filter((p): p is ValidationProblem => p !== undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short, single-line excerpt of a non-JSON body (a proxy's HTML page, say), so errors stay readable. */
function excerpt(text: string): string | undefined {
  const flat = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (flat === "") return undefined;
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

/** Keystone's own error shape: `{"error": {"code": 401, "title": "Unauthorized", "message": "..."}}`. */
function keystoneError(json: unknown): Pick<ApiErrorInit, "code" | "title" | "apiMessage"> | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const inner = (json as Record<string, unknown>)["error"];
  if (typeof inner !== "object" || inner === null) return undefined;
  const e = inner as Record<string, unknown>;
  const out: Pick<ApiErrorInit, "code" | "title" | "apiMessage"> = {};
  if (typeof e["code"] === "number" || typeof e["code"] === "string") out.code = String(e["code"]);
  if (typeof e["title"] === "string") out.title = e["title"];
  if (typeof e["message"] === "string") out.apiMessage = e["message"];
  return out.apiMessage === undefined && out.title === undefined ? undefined : out;
}

export function errorFromResponse(call: FailedCall, bodyText: string): ApiError {
  const json = parseJson(bodyText);
  const parsed = apiErrorBodySchema.safeParse(json);
  const init: ApiErrorInit = {
    operation: call.operation,
    method: call.method,
    path: call.path,
    status: call.status,
    requestId: call.requestId,
  };
  if (call.layout !== undefined) init.layout = call.layout;
  const keystone = keystoneError(json);
  if (keystone !== undefined) {
    Object.assign(init, keystone);
  } else if (parsed.success) {
    const b = parsed.data;
    if (b.code !== undefined) init.code = String(b.code);
    if (b.title !== undefined) init.title = b.title;
    if (b.error_key !== undefined && b.error_key !== null) init.errorKey = b.error_key;
    if (b.message !== undefined) init.apiMessage = b.message;
    else if (typeof b.detail === "string") init.apiMessage = b.detail;
  } else {
    const text = excerpt(bodyText);
    if (text !== undefined) init.apiMessage = text;
  }
  return errorForStatus(init, json, call.retryAfterMs);
}

function errorForStatus(init: ApiErrorInit, json: unknown, retryAfterMs: number | undefined): ApiError {
  const status = init.status ?? 0;
  switch (status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new UnauthorizedError(init);
    case 403:
      return new ForbiddenError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 422:
      return new ValidationError({ ...init, problems: validationProblems(json) });
    case 429:
      return new RateLimitedError({ ...init, retryAfterMs });
    default:
      if (status >= 500) return new ServerError(init);
      return new ApiError(init);
  }
}

/** `Retry-After` as milliseconds from `now`: both the delta-seconds and the HTTP-date forms. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
