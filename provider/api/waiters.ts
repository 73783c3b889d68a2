// Polling for the service's asynchronous transitions: a new or updated plan becoming `started`, a deleted
// plan disappearing. Backoff starts at 250 ms and grows to 2 s, so the wait ends well within twice the
// service's own delay (the vendor's Terraform provider polls every 10 s). Clock and sleep are injected.
import {
  ApiError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  WaitTimeoutError,
} from "./errors";
import type { Plan } from "./types";

const WAIT_FIRST_DELAY_MS = 250;
const WAIT_MAX_DELAY_MS = 2000;
const WAIT_GROWTH = 1.5;
/** A poll issued right at the deadline still gets this long to answer. */
const LAST_POLL_BUDGET_MS = 1000;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Reads a plan with a call deadline of `timeoutMs`. */
type PlanReader = (id: string, timeoutMs: number) => Promise<Plan>;

export interface WaitContext {
  read: PlanReader;
  clock: Clock;
  /** Upper bound for one poll (the client's per-call deadline). */
  callTimeoutMs: number;
  /** Path of the plan, for error messages. */
  pathOf: (id: string) => string;
}

/** The status a terminal failure reports; waiting for anything else then is pointless. */
const TERMINAL_FAILURE = "error";

export class UnexpectedPlanStatusError extends ApiError {
  readonly planStatus: string;
  constructor(init: { operation: string; method: string; path: string; planStatus: string; target: string }) {
    super({
      ...init,
      message:
        `${init.operation}: plan entered status \`${init.planStatus}\` while waiting for \`${init.target}\`; ` +
        `check the plan in the console or with \`scheduled-backup plans get\` [${init.method} ${init.path}]`,
    });
    this.planStatus = init.planStatus;
  }
}

export function nextDelay(previous: number | undefined): number {
  return previous === undefined ? WAIT_FIRST_DELAY_MS : Math.min(WAIT_MAX_DELAY_MS, Math.round(previous * WAIT_GROWTH));
}

/** A failed poll the next one may not meet (the call's own retries already ran out): keep waiting. */
function isTransient(err: unknown): boolean {
  return (
    err instanceof ServerError ||
    err instanceof RateLimitedError ||
    err instanceof NetworkError ||
    err instanceof TimeoutError
  );
}

function checkTimeout(operation: string, timeoutMs: number): void {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`${operation}: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
}

interface PollOutcome<T> {
  done: boolean;
  value?: T;
  status: string;
}

async function poll<T>(
  operation: string,
  id: string,
  target: string,
  timeoutMs: number,
  ctx: WaitContext,
  step: (remainingMs: number) => Promise<PollOutcome<T>>,
): Promise<T> {
  checkTimeout(operation, timeoutMs);
  const started = ctx.clock.now();
  const deadline = started + timeoutMs;
  let lastStatus = "(none)";
  /** The latest poll failed (transiently) with this. */
  let lastFailure: string | undefined;
  let delay: number | undefined;
  const timeout = (): WaitTimeoutError =>
    new WaitTimeoutError({
      operation,
      method: "GET",
      path: ctx.pathOf(id),
      lastStatus: lastFailure === undefined ? lastStatus : `${lastStatus}, then a failed poll (${lastFailure})`,
      waitedMs: ctx.clock.now() - started,
      targetStatus: target,
    });
  for (;;) {
    const remaining = deadline - ctx.clock.now();
    let outcome: PollOutcome<T> | undefined;
    try {
      outcome = await step(Math.min(ctx.callTimeoutMs, Math.max(remaining, LAST_POLL_BUDGET_MS)));
    } catch (err) {
      // A poll that ran out of time because the wait did is the wait's timeout, not a transport failure.
      if (err instanceof TimeoutError && ctx.clock.now() >= deadline) throw timeout();
      // A transient failure (5xx, 429, network, a slow answer) does not end the wait: the deadline does.
      if (!isTransient(err)) throw err;
      lastFailure = err instanceof Error ? err.message : String(err);
    }
    if (outcome !== undefined) {
      lastFailure = undefined;
      lastStatus = outcome.status;
      if (outcome.done) return outcome.value as T;
    }
    const left = deadline - ctx.clock.now();
    if (left <= 0) throw timeout();
    delay = nextDelay(delay);
    await ctx.clock.sleep(Math.min(delay, left));
  }
}

/** Polls until the plan reports `status`. A 404 fails at once (the plan is gone); so does status `error`. */
export function waitForPlanStatus(
  ctx: WaitContext,
  id: string,
  status: string,
  opts: { timeoutMs: number },
): Promise<Plan> {
  const operation = "waitForPlanStatus";
  return poll<Plan>(operation, id, status, opts.timeoutMs, ctx, async (budget) => {
    const plan = await ctx.read(id, budget);
    if (plan.status === status) return { done: true, value: plan, status: plan.status };
    if (plan.status === TERMINAL_FAILURE) {
      throw new UnexpectedPlanStatusError({
        operation,
        method: "GET",
        path: ctx.pathOf(id),
        planStatus: plan.status,
        target: status,
      });
    }
    return { done: false, status: plan.status };
  });
}

/** Polls until reading the plan answers 404. */
export function waitForPlanGone(ctx: WaitContext, id: string, opts: { timeoutMs: number }): Promise<void> {
  return poll<void>("waitForPlanGone", id, "gone (404)", opts.timeoutMs, ctx, async (budget) => {
    try {
      const plan = await ctx.read(id, budget);
      return { done: false, status: plan.status };
    } catch (err) {
      if (err instanceof NotFoundError) return { done: true, status: "gone" };
      throw err;
    }
  });
}
