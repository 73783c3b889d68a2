// Typed errors of the API client. Every message is built from the operation, method, path, status and the
// API's own error fields; request headers, bodies and credentials never reach an error, so the stack the
// Pulumi dynamic-provider host prints (`${e}: ${e.stack}`) is safe to show.

/** One problem of a 422 answer, in either body shape the API may use. */
export interface ValidationProblem {
  /** As the API sent it, e.g. ["body", "resources", 1, "id"]. */
  loc: (string | number)[];
  msg: string;
  type: string;
  /** `loc` without its leading "body"/"query"/"path" part, readable: "resources[1].id". */
  field: string;
}

/** What the client knows about a failed call; every ApiError carries it. */
export interface ApiErrorInit {
  operation: string;
  method: string;
  /** Path without query string (query values may carry names users consider private). */
  path: string;
  status?: number;
  code?: string;
  title?: string;
  apiMessage?: string;
  errorKey?: string;
  requestId?: string;
  /** The path layout and dialect in use, e.g. "token layout (detected), vendor dialect" (see dialect.ts). */
  layout?: string;
  /** Overrides the generated message (schema and wait errors word their own). */
  message?: string;
}

export class ApiError extends Error {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly apiMessage: string | undefined;
  readonly errorKey: string | undefined;
  readonly requestId: string | undefined;
  readonly layout: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message ?? describeApiFailure(init));
    this.name = new.target.name;
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.apiMessage = init.apiMessage;
    this.errorKey = init.errorKey;
    this.requestId = init.requestId;
    this.layout = init.layout;
  }
}

function describeApiFailure(init: ApiErrorInit): string {
  const what = [init.title, init.apiMessage].filter((s) => s !== undefined && s !== "").join(": ");
  const codes = [init.code, init.errorKey].filter((s) => s !== undefined && s !== "").join(", ");
  let text = `${init.operation} failed: HTTP ${init.status ?? "?"}`;
  if (what !== "") text += ` ${what}`;
  if (codes !== "") text += ` (${codes})`;
  return text + suffix(init);
}

function suffix(init: {
  method: string;
  path: string;
  requestId?: string | undefined;
  layout?: string | undefined;
}): string {
  const layout = init.layout === undefined ? "" : `, ${init.layout}`;
  const id = init.requestId === undefined ? "" : `, request id ${init.requestId}`;
  return ` [${init.method} ${init.path}${layout}${id}]`;
}

export class BadRequestError extends ApiError {}
export class UnauthorizedError extends ApiError {}
export class ForbiddenError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class ServerError extends ApiError {}

export class ValidationError extends ApiError {
  readonly problems: ValidationProblem[];
  constructor(init: ApiErrorInit & { problems: ValidationProblem[] }) {
    const list = init.problems.map((p) => `${p.field === "" ? "(request)" : p.field}: ${p.msg}`).join("; ");
    super({
      ...init,
      message:
        init.message ??
        `${init.operation} failed: HTTP 422 validation: ${list === "" ? (init.apiMessage ?? "no details") : list}` +
          suffix(init),
    });
    this.problems = init.problems;
  }
}

export class RateLimitedError extends ApiError {
  /** From `Retry-After`, when the API sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit & { retryAfterMs?: number | undefined }) {
    const wait =
      init.retryAfterMs === undefined
        ? ""
        : `; the service asked to wait ${formatMs(init.retryAfterMs)} (Retry-After), more than the call's deadline ` +
          "allows: retry after that, or raise timeoutSeconds";
    super(init.message === undefined && wait !== "" ? { ...init, message: describeApiFailure(init) + wait } : init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The call may have reached the server ("sent") or certainly did not ("connect"). */
export type FailurePhase = "connect" | "sent";

export class NetworkError extends ApiError {
  readonly phase: FailurePhase;
  /** The transport's error code, e.g. ECONNRESET, UND_ERR_SOCKET. */
  readonly transportCode: string | undefined;
  constructor(init: ApiErrorInit & { phase: FailurePhase; transportCode?: string | undefined; detail: string }) {
    const where = init.phase === "connect" ? "before the request was sent" : "after the request was sent";
    super({
      ...init,
      message: init.message ?? `${init.operation} failed: network error ${where}: ${init.detail}${suffix(init)}`,
    });
    this.phase = init.phase;
    this.transportCode = init.transportCode;
  }
}

export class TimeoutError extends ApiError {
  readonly phase: FailurePhase;
  readonly timeoutMs: number;
  constructor(init: ApiErrorInit & { phase: FailurePhase; timeoutMs: number; detail: string }) {
    super({
      ...init,
      message:
        init.message ??
        `${init.operation} timed out (${init.detail}, deadline ${formatMs(init.timeoutMs)})${suffix(init)}; ` +
          "raise timeoutSeconds if the service is slow",
    });
    this.phase = init.phase;
    this.timeoutMs = init.timeoutMs;
  }
}

/** The API answered, but not with what the contract says. `field` is the offending path, e.g. "plans[3].id". */
export class ResponseSchemaError extends ApiError {
  readonly field: string;
  readonly issues: string[];
  constructor(init: ApiErrorInit & { field: string; issues: string[] }) {
    super({
      ...init,
      message:
        init.message ??
        `${init.operation}: the API's answer ` +
          `does not match the contract at \`${init.field === "" ? "(root)" : init.field}\`: ` +
          `${init.issues.join("; ")}${suffix(init)}`,
    });
    this.field = init.field;
    this.issues = init.issues;
  }
}

/** A waiter gave up; `lastStatus` is the last plan status it saw ("(none)" when no poll succeeded). */
export class WaitTimeoutError extends ApiError {
  readonly lastStatus: string;
  readonly waitedMs: number;
  readonly targetStatus: string;
  constructor(init: ApiErrorInit & { lastStatus: string; waitedMs: number; targetStatus: string }) {
    super({
      ...init,
      message:
        init.message ??
        `${init.operation}: plan did not become ${init.targetStatus} within ${formatMs(init.waitedMs)}; ` +
          `last status seen: ${init.lastStatus}${suffix(init)}`,
    });
    this.lastStatus = init.lastStatus;
    this.waitedMs = init.waitedMs;
    this.targetStatus = init.targetStatus;
  }
}

/** A request body the client refuses to send: a bug in the caller, reported before any I/O. */
export class RequestSchemaError extends Error {
  readonly operation: string;
  readonly field: string;
  readonly issues: string[];
  constructor(operation: string, field: string, issues: string[]) {
    super(`${operation}: invalid request at \`${field === "" ? "(root)" : field}\`: ${issues.join("; ")}`);
    this.name = "RequestSchemaError";
    this.operation = operation;
    this.field = field;
    this.issues = issues;
  }
}

/** Missing or contradictory client settings. Not an ApiError: nothing was sent. */
export class ConfigError extends Error {
  /** The settings (config keys) at fault, e.g. ["authUrl", "region"]. */
  readonly keys: string[];
  constructor(message: string, keys: string[] = []) {
    super(message);
    this.name = "ConfigError";
    this.keys = keys;
  }
}

/** Answers that prove the service did not apply the request: it refused it as asked. */
const DEFINITE_STATUSES = new Set([400, 401, 403, 404, 422]);

/**
 * True when a failed create (POST) may nevertheless have been committed by the service. Only two outcomes
 * prove it was not: a refusal the service gives before acting (400/401/403/404/422), and a connection that
 * failed before the request was written. Everything else (any 5xx, 429, 409, a reset after sending, a
 * timeout, a success in a shape we could not read) is ambiguous: the caller must look the object up
 * before creating again.
 */
export function isAmbiguousCreateFailure(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.method !== "POST") return false;
  if (err instanceof NetworkError || err instanceof TimeoutError) return err.phase === "sent";
  if (err instanceof ResponseSchemaError) return true;
  return err.status === undefined || !DEFINITE_STATUSES.has(err.status);
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}
