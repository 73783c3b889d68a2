// The I/O half of BackupPlan: create (with safe recovery of ambiguous POSTs and adoption), read, update and
// delete, each with its wait. The decisions they rely on (bodies, diffs, facts) are pure and live in
// mapping.ts, planDiff.ts and planFacts.ts.
import type { ScheduledBackupClient } from "../api";
import { NotFoundError } from "../api/errors";
import type { Plan } from "../api/types";
import {
  outputsAsPlan,
  PATCHABLE_PROPERTIES,
  planMeta,
  planToInputs,
  planToOutputs,
  toPlanCreate,
  toPlanUpdate,
} from "../mapping";
import type { PatchableProperty, PlanMeta } from "../mapping";
import type { BackupPlanInputs, BackupPlanOutputs, PlanStatus, Timeouts } from "../types";
import { DEFAULT_WAIT_SECONDS } from "../fields/values";
import { ProviderError, ResourceInitError } from "./errors";
import { derivePlanFacts } from "./planFacts";
import { diffBackupPlan } from "./planDiff";
import { createPlanOnce, DEFAULT_CREATE_SETTLE_SECONDS } from "./planCreate";

/** The client calls BackupPlan needs (a structural subset, so tests can pass a fake). */
export type PlanApi = Pick<
  ScheduledBackupClient,
  "listPlans" | "createPlan" | "getPlan" | "updatePlan" | "deletePlan" | "waitForPlanStatus" | "waitForPlanGone"
>;

interface PlanDeps {
  api: PlanApi;
  now: () => Date;
  /** How long an ambiguous create is looked for before it is sent again (ms); default 60 s. */
  createSettleMs?: number;
}

export function timeoutMs(timeouts: Timeouts | undefined, which: keyof Timeouts): number {
  const seconds = timeouts?.[which];
  return (typeof seconds === "number" && seconds > 0 ? seconds : DEFAULT_WAIT_SECONDS) * 1000;
}

export function timeoutHint(timeouts: Timeouts | undefined, which: keyof Timeouts): string {
  return `timeouts.${which} (now ${timeoutMs(timeouts, which) / 1000} s)`;
}

export function subject(name: unknown, id?: string): string {
  const label = typeof name === "string" ? `BackupPlan "${name}"` : "BackupPlan";
  return id === undefined || id === "" ? label : `${label} (id ${id})`;
}

function outputsOf(plan: Plan, meta: PlanMeta, now: Date): BackupPlanOutputs {
  const facts = derivePlanFacts(
    {
      scheduleType: plan.schedule_type,
      schedulePattern: plan.schedule_pattern,
      backupMode: plan.backup_mode,
      maxBackups: plan.max_backups,
    },
    now,
  );
  return planToOutputs(plan, meta, facts);
}

/**
 * Creates the plan (or adopts `adoptExistingId`) and waits until it has the desired status. Once a plan
 * exists, any later failure rejects with a {@link ResourceInitError} so the engine keeps its id.
 */
export async function createBackupPlan(
  deps: PlanDeps,
  inputs: BackupPlanInputs,
): Promise<{ id: string; outs: BackupPlanOutputs }> {
  // Deadlines are elapsed time on the wall clock, like the client's timers and createPlanOnce's lookups;
  // `deps.now` is the calendar the outputs are computed for (tests freeze it), not a stopwatch.
  const started = Date.now();
  const deadlineMs = timeoutMs(inputs.timeouts, "create");
  const meta = planMeta(inputs);

  let plan: Plan;
  let statusPatched = false;
  if (inputs.adoptExistingId !== undefined) {
    ({ plan, statusPatched } = await adoptPlan(deps, inputs, inputs.adoptExistingId));
  } else {
    plan = await createPlanOnce(deps.api, toPlanCreate(inputs), {
      deadline: started + deadlineMs,
      settleMs: deps.createSettleMs ?? DEFAULT_CREATE_SETTLE_SECONDS * 1000,
    });
  }

  try {
    plan = await settleStatus(deps.api, plan, inputs.status, statusPatched, deadlineMs - (Date.now() - started));
  } catch (err) {
    const message =
      `${subject(inputs.name, plan.id)}: the plan exists but did not become ${inputs.status}: ` +
      `${err instanceof Error ? err.message : String(err)}. It is recorded in the state; ` +
      `\`pulumi up\` again to finish, or raise ${timeoutHint(inputs.timeouts, "create")}`;
    throw new ResourceInitError(plan.id, { ...outputsOf(plan, meta, deps.now()) }, message);
  }
  return { id: plan.id, outs: outputsOf(plan, meta, deps.now()) };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Adoption: read the plan, refuse a different backupMode, PATCH the differences (status included). */
async function adoptPlan(
  deps: PlanDeps,
  inputs: BackupPlanInputs,
  id: string,
): Promise<{ plan: Plan; statusPatched: boolean }> {
  let plan: Plan;
  try {
    plan = await deps.api.getPlan(id);
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new ProviderError(
        `adoptExistingId: no plan with id ${id} in this project. Check the id (see getBackupPlans), the ` +
          "projectId and the endpoint, or remove adoptExistingId to create a new plan",
      );
    }
    throw err;
  }
  if (plan.backup_mode !== inputs.backupMode) {
    throw new ProviderError(
      `adoptExistingId: plan ${id} has backupMode \`${plan.backup_mode}\`, this resource declares ` +
        `\`${inputs.backupMode}\`, and the API cannot change it. Set backupMode to \`${plan.backup_mode}\`, or ` +
        "remove adoptExistingId to create a new plan",
    );
  }
  const recorded = outputsOf(plan, planMeta(inputs), deps.now());
  const fields = diffBackupPlan({ ...recorded }, { ...inputs }).patch;
  if (fields.length === 0) return { plan, statusPatched: false };
  try {
    const patched = await deps.api.updatePlan(id, toPlanUpdate(inputs, fields));
    return { plan: { ...plan, ...definedFields(patched) }, statusPatched: fields.includes("status") };
  } catch (err) {
    throw new ResourceInitError(
      id,
      { ...recorded },
      `${subject(inputs.name, id)}: adopted, but updating it to match the program failed: ${describeError(err)}. ` +
        "It is recorded in the state; `pulumi up` again to finish",
    );
  }
}

/**
 * Brings the plan to `desired`. A new plan is `started` once active; `suspended` needs a PATCH. The PATCH
 * and POST answers carry the status, so a plan already there costs no extra request.
 */
async function settleStatus(
  api: PlanApi,
  plan: Plan,
  desired: PlanStatus,
  statusPatched: boolean,
  remainingMs: number,
): Promise<Plan> {
  let current = plan;
  if (desired === "suspended" && !statusPatched) {
    // Always PATCH: a brand-new plan may answer `suspended` only because it is still activating.
    const patched = await api.updatePlan(plan.id, { status: "suspended" });
    current = { ...current, ...definedFields(patched) };
  }
  if (current.status === desired) return current;
  return api.waitForPlanStatus(plan.id, desired, { timeoutMs: Math.max(remainingMs, 1000) });
}

function definedFields(patch: Partial<Plan>): Partial<Plan> {
  const out: Partial<Plan> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

interface PlanReadResult {
  id: string;
  props?: BackupPlanOutputs;
  inputs?: Record<string, unknown>;
}

/** Refresh and `BackupPlan.get`: 404 means gone (an empty id tells the engine to drop the resource). */
export async function readBackupPlan(
  deps: PlanDeps,
  id: string,
  props: Record<string, unknown>,
): Promise<PlanReadResult> {
  let plan: Plan;
  try {
    plan = await deps.api.getPlan(id);
  } catch (err) {
    if (err instanceof NotFoundError) return { id: "" };
    throw err;
  }
  const meta = planMeta(props);
  return { id: plan.id, props: outputsOf(plan, meta, deps.now()), inputs: planToInputs(plan, meta) };
}

/** PATCHes exactly the fields that changed (status included), then waits for the desired status. */
export async function updateBackupPlan(
  deps: PlanDeps,
  id: string,
  olds: Partial<BackupPlanOutputs>,
  news: BackupPlanInputs,
): Promise<{ outs: BackupPlanOutputs }> {
  const started = Date.now(); // elapsed time, as in createBackupPlan
  const diff = diffBackupPlan({ ...olds }, { ...news });
  if (diff.replaces.length > 0) {
    throw new ProviderError(`cannot change ${diff.replaces.join(", ")} in place; the plan must be replaced`);
  }
  let plan = outputsAsPlan(id, olds);
  const fields: PatchableProperty[] = PATCHABLE_PROPERTIES.filter((p) => diff.patch.includes(p));
  if (fields.length > 0) {
    try {
      const patched = await deps.api.updatePlan(id, toPlanUpdate(news, fields));
      plan = { ...plan, ...definedFields(patched), id };
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new ProviderError(
          `plan ${id} no longer exists (deleted outside Pulumi?). Run \`pulumi refresh\` to drop it from the ` +
            "state, then `pulumi up` to create it again",
        );
      }
      throw err;
    }
  }
  if (plan.status !== news.status) {
    const remaining = timeoutMs(news.timeouts, "update") - (Date.now() - started);
    plan = await deps.api.waitForPlanStatus(id, news.status, { timeoutMs: Math.max(remaining, 1000) });
  }
  return { outs: outputsOf(plan, planMeta(news), deps.now()) };
}

/** DELETE (404 counts as done), then wait until GET answers 404. */
export async function deleteBackupPlan(deps: PlanDeps, id: string, props: Record<string, unknown>): Promise<void> {
  try {
    await deps.api.deletePlan(id);
  } catch (err) {
    if (err instanceof NotFoundError) return;
    throw err;
  }
  const timeouts = planMeta(props).timeouts;
  await deps.api.waitForPlanGone(id, { timeoutMs: timeoutMs(timeouts, "delete") });
}
