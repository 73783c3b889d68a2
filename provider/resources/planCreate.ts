// Create exactly once. The API has no idempotency key, so a plan's name is what lets the provider recognise
// its own create after an ambiguous outcome (a 5xx or 429 the service may have answered after saving, a
// reset after sending, a timeout). That is only sound if no plan of that name existed before the POST, so:
//
//   1. one filtered GET (`?name=`, one page) before the first POST: a plan of that name that already exists
//      is never ours (another stack's, or made by hand); the create fails naming it and the two ways out.
//   2. POST. A definite refusal (400/401/403/404/422, or a connection that failed before sending) proves
//      nothing was saved: it is reported as such. Anything else is ambiguous.
//   3. After an ambiguous outcome, look for the new plan by name with backoff for `settleMs` (a save may
//      land tens of seconds after the client gave up), bounded by the create deadline. Found with the
//      requested fields: adopt it. Found with other fields: report it (never adopt what we did not ask for).
//   4. Only when a lookup made after the settle window still finds nothing is the POST sent again (once).
//      If its twin landed after all, the extra one is deleted, so a run never leaves two.
//
// The extra GET of step 1 costs one request on the happy path. Recognising our plan by its creation time
// instead (skipping step 1) would adopt a same-named plan someone made seconds earlier, and deleting it on
// destroy is exactly the data loss this guards against; so the request stays.
import type { ScheduledBackupClient } from "../api";
import { formatMs, isAmbiguousCreateFailure, NotFoundError } from "../api/errors";
import { defaultOf } from "../api/settings";
import type { Plan, PlanCreate } from "../api/types";
import { describePlan, planMatchesBody } from "../mapping";
import { ProviderError } from "./errors";

type CreateApi = Pick<ScheduledBackupClient, "listPlans" | "createPlan" | "deletePlan">;

/** Default settle window: how long after an ambiguous create the provider keeps looking for the plan. */
export const DEFAULT_CREATE_SETTLE_SECONDS = defaultOf("createSettleSeconds");
/** One page is enough to learn whether a name is taken. */
const NAME_LOOKUP_LIMIT = 10;
const FIRST_LOOKUP_DELAY_MS = 250;
const MAX_LOOKUP_DELAY_MS = 5_000;

interface CreateOptions {
  /** Epoch ms by which the create (lookups included) must be settled: `timeouts.create`. */
  deadline: number;
  /** The settle window after an ambiguous outcome, in ms. */
  settleMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function plansNamed(api: CreateApi, name: string): Promise<Plan[]> {
  const page = await api.listPlans({ name, limit: NAME_LOOKUP_LIMIT });
  // The service matches exactly; filtering again keeps a prefix-matching implementation from misleading us.
  return page.plans.filter((p) => p.name === name);
}

function mayExist(name: string, what: string): string {
  return (
    `${what}. The plan may exist anyway. Run \`pulumi up\` again: if a plan named "${name}" exists by then, the ` +
    "create stops and names its id; set adoptExistingId to that id to take it under management (or delete it " +
    "and run again)"
  );
}

/** Steps 1-4 above. Resolves with the plan that now exists, created exactly once. */
export async function createPlanOnce(api: CreateApi, body: PlanCreate, opts: CreateOptions): Promise<Plan> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;

  // A failure here is reported as is (typed: a 401 gets its credentials hint); nothing was sent yet.
  const existing = await plansNamed(api, body.name);
  if (existing.length > 0) {
    const first = existing[0]!;
    throw new ProviderError(
      `a plan named "${body.name}" already exists in this project and is not managed by this resource: ` +
        `${existing.map(describePlan).join("; ")}. Plan names must be unique for a create to be safe: take it ` +
        `under management with adoptExistingId: "${first.id}", or give this resource another name`,
    );
  }

  let firstFailure: unknown;
  for (let post = 1; post <= 2; post++) {
    let failure: unknown;
    try {
      const created = await api.createPlan(body);
      if (post === 1) return created;
      return await removeLateTwin(api, body, created);
    } catch (err) {
      if (!isAmbiguousCreateFailure(err)) {
        // A definite refusal: nothing was saved. Reported as is, so 401/403/422 keep their precise hints.
        if (post === 1) throw err;
        throw new ProviderError(
          `the first create was ambiguous (${describeError(firstFailure)}) and no plan appeared; the second was ` +
            `refused, nothing was created: ${describeError(err)}`,
        );
      }
      failure = err;
    }
    firstFailure ??= failure;
    const outcome = await settle(api, body, opts, now, sleep);
    if (outcome.kind === "found") return outcome.plan;
    if (outcome.kind === "other") {
      throw new ProviderError(
        `after an ambiguous create (${describeError(failure)}), plans named "${body.name}" appeared that do not ` +
          `match this resource: ${outcome.plans.map(describePlan).join("; ")}. Another actor uses this name: take ` +
          "the plan under management with adoptExistingId, or give this resource another name",
      );
    }
    if (outcome.kind === "unknown") {
      throw new ProviderError(
        mayExist(
          body.name,
          `the create was ambiguous (${describeError(failure)}) ` +
            `and looking it up failed until the deadline (${describeError(outcome.error)})`,
        ),
      );
    }
    if (post === 2 || now() >= opts.deadline) {
      throw new ProviderError(
        mayExist(
          body.name,
          `the create was ambiguous (${describeError(failure)}) ` +
            `and no plan named "${body.name}" appeared within ${formatMs(opts.settleMs)}` +
            (post === 2
              ? " after sending it a second time"
              : "; no time was left to send it again (raise timeouts.create)"),
        ),
      );
    }
  }
  throw new ProviderError(mayExist(body.name, `the create failed: ${describeError(firstFailure)}`));
}

type Settled =
  | { kind: "found"; plan: Plan }
  | { kind: "other"; plans: Plan[] }
  | { kind: "none" }
  | { kind: "unknown"; error: unknown };

/**
 * Looks for the plan by name with doubling delays. Ends as soon as a plan of that name appears; reports
 * "none" only after a lookup that started once the settle window had passed; lookup failures are
 * tolerated until the create deadline.
 */
async function settle(
  api: CreateApi,
  body: PlanCreate,
  opts: CreateOptions,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<Settled> {
  const windowEnd = Math.min(now() + opts.settleMs, opts.deadline);
  let delay = FIRST_LOOKUP_DELAY_MS;
  let lastError: unknown;
  for (;;) {
    const startedAt = now();
    try {
      const named = await plansNamed(api, body.name);
      lastError = undefined;
      const matches = named.filter((p) => planMatchesBody(p, body));
      if (matches.length > 0) return { kind: "found", plan: await keepOne(api, matches) };
      if (named.length > 0) return { kind: "other", plans: named };
      if (startedAt >= windowEnd) return { kind: "none" };
    } catch (err) {
      lastError = err;
    }
    const left = (lastError === undefined ? windowEnd : opts.deadline) - now();
    if (left <= 0) {
      if (lastError !== undefined) return { kind: "unknown", error: lastError };
      // The window closed while this lookup ran: one more lookup settles it.
      continue;
    }
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, MAX_LOOKUP_DELAY_MS);
  }
}

/** Two matching plans can only be our own two POSTs (the name was free before): keep the oldest. */
async function keepOne(api: CreateApi, matches: Plan[]): Promise<Plan> {
  const sorted = [...matches].sort((a, b) =>
    a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1,
  );
  for (const extra of sorted.slice(1)) await deleteQuietly(api, extra.id);
  return sorted[0]!;
}

/** After a second POST succeeded: if the first one landed after all, delete it. */
async function removeLateTwin(api: CreateApi, body: PlanCreate, created: Plan): Promise<Plan> {
  let named: Plan[];
  try {
    named = await plansNamed(api, body.name);
  } catch {
    return created; // The settle window already passed; a twin is unlikely and the next lookup would name it.
  }
  for (const twin of named.filter((p) => p.id !== created.id && planMatchesBody(p, body)))
    await deleteQuietly(api, twin.id);
  return created;
}

async function deleteQuietly(api: CreateApi, id: string): Promise<void> {
  try {
    await api.deletePlan(id);
  } catch (err) {
    if (err instanceof NotFoundError) return;
    throw new ProviderError(
      `an extra copy of the plan (id ${id}) was created by an ambiguous create and could not be deleted: ` +
        `${describeError(err)}. Delete it by hand`,
    );
  }
}
