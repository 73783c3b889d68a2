// The admin API under /_emulator/ (not part of the product API, no auth): reset, inventory, virtual clock,
// state dump, faults and bulk seeding for benchmarks.

import { z } from "zod";
import type { EmulatorApp } from "./app";
import { ApiFailure, type ValidationEntry, notFound, validationFailed } from "./errors";
import { FaultConfigError, parseFaults } from "./faults";
import {
  type CheckpointRecord,
  type PlanRecord,
  VOLUME_TYPE,
  formatTime,
  renderCheckpoint,
  renderPlan,
  wireOf,
  renderRestore,
  renderVolume,
} from "./model";
import { TooManyRunsError, advanceClock } from "./scheduler";

export interface AdminDeps {
  runsBetween: (pattern: string, from: Date, to: Date, limit: number) => Date[];
}

interface AdminResult {
  status: number;
  body?: unknown;
}

/** Ten years: far enough for any retention test, bounded so a typo cannot spin the scheduler for hours. */
const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600;
const MAX_SEED = 1_000_000;

const volumeInput = z.strictObject({
  id: z.string().min(1).max(255).optional(),
  name: z.string().min(1).max(255),
  project_id: z.string().min(1).optional(),
});
const advanceInput = z.strictObject({ seconds: z.number().min(0).max(MAX_ADVANCE_SECONDS) });
const seedInput = z.strictObject({
  count: z.number().int().min(1).max(MAX_SEED),
  planName: z.string().min(1).max(255).optional(),
  projectId: z.string().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const entries: ValidationEntry[] = result.error.issues.map((issue) => ({
    loc: ["body", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    msg: issue.message,
    type: issue.code,
  }));
  throw validationFailed(entries);
}

export const ADMIN_ROUTES: Record<string, readonly string[]> = {
  reset: ["POST"],
  volumes: ["GET", "POST"],
  "clock/advance": ["POST"],
  clock: ["GET"],
  state: ["GET"],
  faults: ["GET", "PUT"],
  "seed/checkpoints": ["POST"],
};

export function handleAdmin(
  app: EmulatorApp,
  deps: AdminDeps,
  method: string,
  route: string,
  body: unknown,
): AdminResult {
  switch (`${method} ${route}`) {
    case "POST reset":
      app.reset();
      return { status: 200, body: { now: app.virtualNow() } };
    case "GET volumes":
      return { status: 200, body: { volumes: [...app.store.volumes.values()].map(renderVolume) } };
    case "POST volumes": {
      const input = parse(volumeInput, body);
      if (input.id !== undefined && app.store.volumes.has(input.id)) {
        throw new ApiFailure(409, "conflict", "Conflict", `volume ${input.id} already exists`, "volume.exists");
      }
      const volume = app.addVolume({
        name: input.name,
        ...(input.id !== undefined ? { id: input.id } : {}),
        projectId: input.project_id ?? null,
      });
      app.changed();
      return { status: 201, body: renderVolume(volume) };
    }
    case "GET clock":
      return { status: 200, body: { now: app.virtualNow() } };
    case "POST clock/advance": {
      const { seconds } = parse(advanceInput, body);
      let runs: number;
      try {
        runs = advanceClock(app.store, app.store.clockMs + Math.round(seconds * 1000), {
          runsBetween: deps.runsBetween,
          newId: app.config.newId,
          protectingSeconds: app.protectingSeconds(),
          realNowMs: app.realNow(),
          backupOutcome: (plan) => app.faults.backupOutcome(plan.name),
        });
      } catch (error) {
        if (error instanceof TooManyRunsError)
          throw validationFailed([{ loc: ["body", "seconds"], msg: error.message, type: "too_many_runs" }]);
        throw error;
      }
      app.changed();
      return { status: 200, body: { now: app.virtualNow(), runs } };
    }
    case "GET state":
      return { status: 200, body: state(app) };
    case "GET faults":
      return { status: 200, body: app.faults.describe() };
    case "PUT faults": {
      try {
        app.faults.configure(parseFaults(body));
      } catch (error) {
        if (error instanceof FaultConfigError) {
          throw validationFailed(
            error.issues.map((issue) => ({ loc: ["body", ...issue.path], msg: issue.message, type: "value_error" })),
          );
        }
        throw error;
      }
      return { status: 200, body: app.faults.describe() };
    }
    case "POST seed/checkpoints": {
      const input = parse(seedInput, body);
      const result = seedCheckpoints(
        app,
        input.count,
        input.planName ?? "seed-plan",
        input.projectId ?? app.config.projectId,
      );
      app.changed();
      return { status: 201, body: result };
    }
    default:
      throw notFound(`no admin route ${method} /_emulator/${route}`, "route.not_found");
  }
}

function state(app: EmulatorApp): Record<string, unknown> {
  const realNow = app.realNow();
  const plans = app.store.orderedPlans().map((plan) => ({
    ...renderPlan(plan, realNow, wireOf("both", "project")),
    project_id: plan.projectId,
    deleting: plan.goneAtMs !== null,
  }));
  const checkpoints = app.store
    .orderedCheckpoints()
    .map((checkpoint) => ({ ...renderCheckpoint(checkpoint), project_id: checkpoint.projectId }));
  return {
    clock: app.virtualNow(),
    plans,
    checkpoints,
    volumes: [...app.store.volumes.values()].map(renderVolume),
    restores: app.store.restores.map((restore) => renderRestore(restore)),
    faults: app.faults.describe(),
  };
}

/**
 * Creates `count` available checkpoints fast (benchmarks list 100,000). They belong to the plan named
 * `planName` (created, suspended so the scheduler leaves them alone, when it does not exist), one full backup
 * per protected volume each, a minute apart and ending just before the virtual clock.
 */
function seedCheckpoints(
  app: EmulatorApp,
  count: number,
  planName: string,
  projectId: string,
): Record<string, unknown> {
  const newId = app.config.newId;
  let plan: PlanRecord | undefined = app.store
    .projectPlans(projectId)
    .find((p) => p.name === planName && p.goneAtMs === null);
  if (plan === undefined) {
    const volume = app.addVolume({ name: `${planName}-volume`, projectId });
    plan = {
      id: newId(),
      projectId,
      createdAt: app.virtualNow(),
      name: planName,
      description: "seeded by POST /_emulator/seed/checkpoints",
      backupMode: "full",
      maxBackups: 90,
      scheduleType: "crontab",
      schedulePattern: "0 2 * * *",
      resources: [{ id: volume.id, name: volume.name, type: VOLUME_TYPE }],
      desiredStatus: "suspended",
      heldUntilMs: 0,
      goneAtMs: null,
      scheduledThrough: app.virtualNow(),
      series: {},
    };
    app.store.addPlan(plan);
  }
  const batch: CheckpointRecord[] = [];
  const end = app.store.clockMs;
  for (let index = 0; index < count; index += 1) {
    const createdAt = formatTime(end - (count - index) * 60_000);
    const checkpointId = newId();
    batch.push({
      id: checkpointId,
      projectId,
      planId: plan.id,
      createdAt,
      goneAtMs: null,
      items: plan.resources.map((resource) => ({
        id: newId(),
        backupId: newId(),
        chainId: newId(),
        checkpointId,
        createdAt,
        isIncremental: false,
        resource: { ...resource },
        status: "available",
        availableAt: createdAt,
      })),
    });
  }
  app.store.addCheckpoints(batch);
  return { created: count, plan_id: plan.id, plan_name: plan.name, total: app.store.checkpointsOfPlan(plan.id).length };
}
