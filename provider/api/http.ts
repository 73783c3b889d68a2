// One call: per-call deadline, the request sent through the shared dispatcher with its retries, the whole
// body read, and transport failures mapped to typed errors. The retry rules are in retry.ts, the pool in pool.ts.
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { NetworkError, TimeoutError, formatMs, type FailurePhase } from "./errors";
import type { HttpMethod } from "./routes";
import { CONTEXT_KEY, errorCode, headerValue, type Backoff, type CallContext } from "./retry";

export { DEFAULT_BACKOFF, retryVerdict, type Backoff } from "./retry";
export { closeSharedDispatchers, injectedDispatcher, sharedDispatcher } from "./pool";

interface HttpRequest {
  operation: string;
  method: HttpMethod;
  origin: string;
  /** Path without query; errors and logs show this. */
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: string;
  idempotent: boolean;
  timeoutMs: number;
}

export interface HttpSettings {
  dispatcher: Dispatcher;
  maxRetries: number;
  backoff: Backoff;
  now: () => number;
  random: () => number;
  log: ((line: string) => void) | undefined;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  requestId: string | undefined;
  receivedAt: number;
}

function requestIdOf(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, "x-request-id") ?? headerValue(headers, "x-openstack-request-id");
}

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function transportFailure(err: unknown, ctx: CallContext, timeoutMs: number, started: number): Error {
  const code = errorCode(err);
  const name = (err as { name?: unknown } | null)?.name;
  const phase: FailurePhase = ctx.mayHaveCommitted || ctx.lastAttemptSent ? "sent" : "connect";
  const base = { operation: ctx.operation, method: ctx.method, path: ctx.path };
  const elapsed = ctx.now() - started;
  const attempts = ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : "";
  if (ctx.signal.aborted || name === "TimeoutError" || name === "AbortError" || code === "UND_ERR_ABORTED") {
    return new TimeoutError({ ...base, phase, timeoutMs, detail: `no answer within ${formatMs(elapsed)}${attempts}` });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new TimeoutError({ ...base, phase: "sent", timeoutMs, detail: `${code}${attempts}` });
  }
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return new TimeoutError({ ...base, phase: "connect", timeoutMs, detail: `could not connect (${code})${attempts}` });
  }
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    code !== undefined && TLS_CODES.test(code)
      ? "; TLS verification failed: set caCertFile to your CA bundle (insecure=true only for throw-away tests)"
      : "";
  const detail = `${code ?? "error"}: ${message}${attempts}${hint}`;
  return new NetworkError({ ...base, phase, transportCode: code, detail });
}

/**
 * Sends one logical call (with its retries) and reads the whole body. Resolves with any HTTP status: the
 * caller maps statuses to errors. Rejects only with NetworkError or TimeoutError.
 */
export async function sendRequest(settings: HttpSettings, req: HttpRequest): Promise<HttpResponse> {
  const started = settings.now();
  const signal = AbortSignal.timeout(req.timeoutMs);
  const ctx: CallContext = {
    operation: req.operation,
    method: req.method,
    path: req.path,
    idempotent: req.idempotent,
    maxRetries: settings.maxRetries,
    backoff: settings.backoff,
    deadline: started + req.timeoutMs,
    signal,
    now: settings.now,
    random: settings.random,
    log: settings.log,
    attempts: 0,
    lastAttemptSent: false,
    mayHaveCommitted: false,
    nextDelayMs: 0,
  };
  const options: Dispatcher.RequestOptions & { [CONTEXT_KEY]: CallContext } = {
    origin: req.origin,
    path: req.path + (req.query ?? ""),
    method: req.method,
    headers: req.headers,
    signal,
    [CONTEXT_KEY]: ctx,
  };
  if (req.body !== undefined) options.body = req.body;
  let response: Dispatcher.ResponseData;
  try {
    response = await settings.dispatcher.request(options);
  } catch (err) {
    const failure = transportFailure(err, ctx, req.timeoutMs, started);
    settings.log?.(`${req.method} ${req.path} failed: ${failure.message}`);
    throw failure;
  }
  let text: string;
  try {
    // Always read (or fail and destroy) the body: an unread body pins its socket.
    text = await response.body.text();
  } catch (err) {
    const failure = transportFailure(err, ctx, req.timeoutMs, started);
    settings.log?.(`${req.method} ${req.path} failed: ${failure.message}`);
    throw failure;
  }
  const receivedAt = settings.now();
  const requestId = requestIdOf(response.headers);
  const attempts = ctx.attempts > 1 ? ` (${ctx.attempts} attempts)` : "";
  settings.log?.(
    `${req.method} ${req.path} ${response.statusCode} ${Math.round(receivedAt - started)}ms${attempts}` +
      (requestId === undefined ? "" : ` req ${requestId}`),
  );
  return { status: response.statusCode, headers: response.headers, text, requestId, receivedAt };
}
