// The retry rules: undici's retry interceptor with our own decision function.
//
// Every request made here carries a `CallContext` in its dispatch options. Two interceptors read it:
// `attemptTracker` (innermost) notes, per attempt, whether the request reached a socket, and the retry
// interceptor (outermost) asks `decideRetry`, which knows the method's rules, the deadline and that note.
// That is how a POST is retried when it failed before being written, and never after.
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { formatMs } from "./errors";
import { parseRetryAfter } from "./error-body";
import type { HttpMethod } from "./routes";
import { undiciParts } from "./undici";

export interface Backoff {
  /** First retry waits up to this (full jitter). */
  baseMs: number;
  /** No single wait exceeds this (Retry-After included). */
  capMs: number;
}
export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, capMs: 30_000 };

/**
 * Status codes retried for idempotent calls. A non-idempotent call (a create POST) is never retried on any
 * status: a 429 or 503 from a gateway or load balancer does not prove the service behind it did not act
 * (some save, then answer an error), so the caller reconciles instead of re-sending blindly.
 */
const RETRY_STATUS_IDEMPOTENT = new Set([429, 500, 502, 503, 504]);
/** Transport failures worth another attempt. TLS and certificate errors are deliberately absent. */
const RETRY_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_CLOSED",
]);

export const CONTEXT_KEY = "scheduledBackupCall";

/** What one logical call knows, shared by all its attempts. */
export interface CallContext {
  operation: string;
  method: HttpMethod;
  path: string;
  idempotent: boolean;
  maxRetries: number;
  backoff: Backoff;
  deadline: number;
  signal: AbortSignal;
  now: () => number;
  random: () => number;
  log: ((line: string) => void) | undefined;
  attempts: number;
  /** The latest attempt reached a socket (the request may have been written). */
  lastAttemptSent: boolean;
  /** Some attempt failed after reaching a socket and before an answer: the server may have acted on it. */
  mayHaveCommitted: boolean;
  /** Backoff before the next attempt, set by the retry decision, spent by the attempt tracker. */
  nextDelayMs: number;
}

type ContextOptions = Dispatcher.DispatchOptions & { [CONTEXT_KEY]?: CallContext };

function contextOf(opts: Dispatcher.DispatchOptions): CallContext | undefined {
  return (opts as ContextOptions)[CONTEXT_KEY];
}

class AttemptHandler implements Dispatcher.DispatchHandler {
  private answered = false;
  constructor(
    private readonly ctx: CallContext,
    private readonly inner: Dispatcher.DispatchHandler,
  ) {}
  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.ctx.lastAttemptSent = true;
    this.inner.onRequestStart?.(controller, context);
  }
  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: import("node:stream").Duplex,
  ): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.answered = true;
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    if (this.ctx.lastAttemptSent && !this.answered) this.ctx.mayHaveCommitted = true;
    this.inner.onResponseError?.(controller, error);
  }
}

/**
 * Innermost interceptor: one AttemptHandler per attempt, so each retry starts "not sent". It also holds a
 * retry's backoff: the decision function answers at once (undici keeps reading the failed answer meanwhile,
 * and a mock dispatcher ignores pause), and the wait happens here, before the next attempt is dispatched.
 */
function attemptTracker(dispatch: Dispatcher.Dispatch): Dispatcher.Dispatch {
  return (opts, handler) => {
    const ctx = contextOf(opts);
    if (ctx === undefined) return dispatch(opts, handler);
    const delayMs = ctx.nextDelayMs;
    ctx.nextDelayMs = 0;
    const start = (): boolean => {
      ctx.attempts += 1;
      ctx.lastAttemptSent = false;
      return dispatch(opts, new AttemptHandler(ctx, handler));
    };
    if (delayMs <= 0) return start();
    const onAbort = (): void => {
      clearTimeout(timer);
      // An aborted controller makes the retry handler pass the error straight down instead of retrying.
      handler.onResponseError?.(abortedController(ctx.signal.reason), ctx.signal.reason as Error);
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener("abort", onAbort);
      start();
    }, delayMs);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    return true;
  };
}

function abortedController(reason: unknown): Dispatcher.DispatchController {
  return {
    aborted: true,
    paused: false,
    reason: reason instanceof Error ? reason : null,
    abort: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
  };
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Why a retry is (not) taken and after how long; pure, so the rules are unit-testable. */
interface RetryVerdict {
  retry: boolean;
  delayMs: number;
  reason: string;
  /** The failure is of a retryable kind, but a limit (attempts, deadline, already sent) stopped the retry. */
  stoppedByLimit: boolean;
}

export function retryVerdict(
  ctx: Pick<
    CallContext,
    "idempotent" | "maxRetries" | "backoff" | "deadline" | "now" | "random" | "lastAttemptSent" | "mayHaveCommitted"
  >,
  failure: { status?: number | undefined; code?: string | undefined; retryAfter?: string | undefined },
  attempt: number,
): RetryVerdict {
  const { status, code } = failure;
  const reason = status !== undefined ? `HTTP ${status}` : (code ?? "network error");
  const no = (why: string, stoppedByLimit = true): RetryVerdict => ({
    retry: false,
    delayMs: 0,
    reason: `${reason}: ${why}`,
    stoppedByLimit,
  });
  if (status !== undefined) {
    if (!ctx.idempotent) return no("a create answered an error may still have been applied; not re-sent", false);
    if (!RETRY_STATUS_IDEMPOTENT.has(status)) return no("not retryable for this method", false);
  } else {
    if (code === undefined || !RETRY_ERROR_CODES.has(code)) return no("not a transient failure", false);
    // A create whose bytes reached the server may have been committed: repeating it could duplicate.
    if (!ctx.idempotent && (ctx.lastAttemptSent || ctx.mayHaveCommitted)) return no("request was already sent");
  }
  if (attempt > ctx.maxRetries) return no(`gave up after ${attempt} attempts`);
  const remaining = ctx.deadline - ctx.now();
  const retryAfterMs = parseRetryAfter(failure.retryAfter, ctx.now());
  let delayMs: number;
  if (retryAfterMs !== undefined) {
    // The service said when to come back: honour it even beyond the backoff cap, if the deadline allows.
    if (retryAfterMs >= remaining) {
      return no(
        `the service asked to wait ${formatMs(retryAfterMs)} (Retry-After), ` +
          `beyond the call's deadline (${formatMs(remaining)} left)`,
      );
    }
    delayMs = retryAfterMs;
  } else {
    const ceiling = Math.min(ctx.backoff.capMs, ctx.backoff.baseMs * 2 ** (attempt - 1));
    delayMs = Math.floor(ctx.random() * ceiling); // full jitter
  }
  if (delayMs >= remaining) return no("the call's deadline would pass first");
  return { retry: true, delayMs, reason, stoppedByLimit: false };
}

/** The retry interceptor's decision function: applies `retryVerdict`; the attempt tracker does the waiting. */
function decideRetry(
  err: Error,
  { state, opts }: { state: { counter: number }; opts: Dispatcher.DispatchOptions },
  callback: (result?: Error | null) => void,
): void {
  const ctx = contextOf(opts);
  if (ctx === undefined || ctx.signal.aborted) {
    callback(err);
    return;
  }
  const code = errorCode(err);
  const statusCode = (err as { statusCode?: unknown }).statusCode;
  const headers = (err as { headers?: IncomingHttpHeaders }).headers;
  const isStatus = code === "UND_ERR_REQ_RETRY" && typeof statusCode === "number";
  const verdict = retryVerdict(
    ctx,
    isStatus ? { status: statusCode, retryAfter: headerValue(headers, "retry-after") } : { code },
    state.counter,
  );
  if (!verdict.retry) {
    if (verdict.stoppedByLimit) ctx.log?.(`${ctx.method} ${ctx.path}: ${verdict.reason}; not retried`);
    callback(err);
    return;
  }
  ctx.log?.(
    `${ctx.method} ${ctx.path}: ${verdict.reason}, ` +
      `retry ${state.counter} of ${ctx.maxRetries} in ${formatMs(verdict.delayMs)}`,
  );
  ctx.nextDelayMs = verdict.delayMs;
  callback(null);
}

/** Composes the attempt tracker and the retry interceptor over any dispatcher (shared Agent or a MockAgent). */
export function withRetries(base: Dispatcher): Dispatcher {
  return base.compose(
    attemptTracker,
    undiciParts().retry({
      throwOnError: false,
      retry: decideRetry,
      // The decision function applies the real rules; these only keep undici's own prefilters out of its way.
      methods: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "POST", "PATCH"],
      statusCodes: [...RETRY_STATUS_IDEMPOTENT],
      errorCodes: [...RETRY_ERROR_CODES],
    }),
  );
}
