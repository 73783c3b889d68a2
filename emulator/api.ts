// The ten product operations of the API reference over the emulator's state. Each answers a status and a body; the
// server decides whether the answer is sent (a fault may reset the connection after the change is committed).

import type { EmulatorApp } from "./app";
import { badRequest, notFound } from "./errors";
import type { Operation } from "./faults";
import {
  type CheckpointRecord,
  type ItemRecord,
  type Wire,
  type PlanRecord,
  type RestoreRecord,
  VOLUME_TYPE,
  checkpointStatus,
  renderCheckpoint,
  renderItem,
  renderPlan,
  renderPlanUpdate,
  renderRestore,
} from "./model";
import { deletionBlocker } from "./scheduler";
import { UnknownMarkerError } from "./store";
import { parseListQuery, validateCreate, validateRestore, validateUpdate } from "./validation";
import { GUID_RE } from "../provider/rules";

interface ApiRequest {
  operation: Operation;
  projectId: string;
  /** How plans are spelled for this request (dialect and layout). */
  wire: Wire;
  /** Plan or checkpoint id from the path. */
  id?: string;
  query: URLSearchParams;
  body: unknown;
}

interface ApiResult {
  status: number;
  body?: unknown;
}

export function handleApi(app: EmulatorApp, req: ApiRequest): ApiResult {
  switch (req.operation) {
    case "listPlans":
      return listPlans(app, req);
    case "createPlan":
      return createPlan(app, req);
    case "getPlan":
      return { status: 200, body: renderPlan(requirePlan(app, req), app.realNow(), req.wire) };
    case "updatePlan":
      return updatePlan(app, req);
    case "deletePlan":
      return deletePlan(app, req);
    case "listCheckpoints":
      return listCheckpoints(app, req);
    case "getCheckpoint":
      return { status: 200, body: renderCheckpoint(requireCheckpoint(app, req)) };
    case "deleteCheckpoint":
      return deleteCheckpoint(app, req);
    case "deleteCheckpointsByChain":
      return deleteChain(app, req);
    case "createRestore":
      return createRestore(app, req);
  }
}

function unknownMarker(marker: string, what: string): never {
  throw badRequest(
    `marker ${marker} is not the id of any ${what} in this project; ` +
      "pass the id of the last item of the previous page, or omit marker to start from the beginning",
    "pagination.unknown_marker",
  );
}

function listPlans(app: EmulatorApp, req: ApiRequest): ApiResult {
  const query = parseListQuery(req.query, ["name", "volume_name"]);
  try {
    const filter: { name?: string; volumeName?: string } = {};
    if (query.filters.name !== undefined) filter.name = query.filters.name;
    if (query.filters.volume_name !== undefined) filter.volumeName = query.filters.volume_name;
    const page = app.store.listPlans(req.projectId, filter, query.marker, query.limit);
    const realNow = app.realNow();
    return {
      status: 200,
      body: { plans: page.items.map((plan) => renderPlan(plan, realNow, req.wire)), total: page.total },
    };
  } catch (error) {
    if (error instanceof UnknownMarkerError) unknownMarker(error.marker, "plan");
    throw error;
  }
}

function requirePlan(app: EmulatorApp, req: ApiRequest): PlanRecord {
  const plan = app.store.plan(req.projectId, req.id ?? "");
  if (plan === undefined) throw notFound(`plan ${req.id} does not exist in project ${req.projectId}`, "plan.not_found");
  return plan;
}

function createPlan(app: EmulatorApp, req: ApiRequest): ApiResult {
  const fields = validateCreate(req.body, req.wire);
  const realNow = app.realNow();
  const now = app.virtualNow();
  const delay = app.faults.activationDelaySeconds;
  const plan: PlanRecord = {
    id: app.config.newId(),
    projectId: req.projectId,
    createdAt: now,
    name: fields.name,
    description: fields.description,
    backupMode: fields.backupMode,
    maxBackups: fields.maxBackups,
    scheduleType: fields.scheduleType,
    schedulePattern: fields.schedulePattern,
    resources: fields.resources,
    desiredStatus: "started",
    heldUntilMs: delay > 0 ? realNow + delay * 1000 : 0,
    goneAtMs: null,
    scheduledThrough: now,
    series: {},
  };
  app.store.addPlan(plan);
  return { status: 201, body: renderPlan(plan, realNow, req.wire) };
}

function updatePlan(app: EmulatorApp, req: ApiRequest): ApiResult {
  const plan = requirePlan(app, req);
  if (plan.goneAtMs !== null) {
    throw badRequest(`plan ${plan.id} is being deleted and can no longer be changed`, "plan.deleting");
  }
  const patch = validateUpdate(req.body, plan, req.wire);
  if (patch.name !== undefined) app.store.renamePlan(plan, patch.name);
  if (patch.description !== undefined) plan.description = patch.description;
  if (patch.maxBackups !== undefined) plan.maxBackups = patch.maxBackups;
  if (patch.scheduleType !== undefined) plan.scheduleType = patch.scheduleType;
  if (patch.schedulePattern !== undefined) plan.schedulePattern = patch.schedulePattern;
  if (patch.resources !== undefined) plan.resources = patch.resources;
  if (patch.status !== undefined) plan.desiredStatus = patch.status;
  const realNow = app.realNow();
  const delay = app.faults.activationDelaySeconds;
  if (delay > 0) plan.heldUntilMs = realNow + delay * 1000;
  return { status: 200, body: renderPlanUpdate(plan, realNow, req.wire) };
}

function deletePlan(app: EmulatorApp, req: ApiRequest): ApiResult {
  const plan = requirePlan(app, req);
  // A repeated DELETE of a plan on its way out is accepted again: the first one may have lost its answer.
  if (plan.goneAtMs === null) {
    const realNow = app.realNow();
    app.store.markPlanDeleted(plan, realNow + app.faults.deletionDelaySeconds * 1000);
    app.store.sweep(realNow);
  }
  return { status: 204 };
}

function listCheckpoints(app: EmulatorApp, req: ApiRequest): ApiResult {
  const query = parseListQuery(req.query, ["plan_name", "volume_name"]);
  try {
    const filter: { planName?: string; volumeName?: string } = {};
    if (query.filters.plan_name !== undefined) filter.planName = query.filters.plan_name;
    if (query.filters.volume_name !== undefined) filter.volumeName = query.filters.volume_name;
    const page = app.store.listCheckpoints(req.projectId, filter, query.marker, query.limit);
    return { status: 200, body: { checkpoints: page.items.map(renderCheckpoint), total: page.total } };
  } catch (error) {
    if (error instanceof UnknownMarkerError) unknownMarker(error.marker, "checkpoint");
    throw error;
  }
}

function requireCheckpoint(app: EmulatorApp, req: ApiRequest): CheckpointRecord {
  const checkpoint = app.store.checkpoint(req.projectId, req.id ?? "");
  if (checkpoint === undefined) {
    throw notFound(`checkpoint ${req.id} does not exist in project ${req.projectId}`, "checkpoint.not_found");
  }
  return checkpoint;
}

function deleteCheckpoint(app: EmulatorApp, req: ApiRequest): ApiResult {
  const checkpoint = requireCheckpoint(app, req);
  if (checkpoint.goneAtMs === null) {
    const blocker = deletionBlocker(app.store, checkpoint);
    if (blocker !== null) {
      const protecting = checkpoint.items.some((item) => item.status === "protecting");
      throw badRequest(blocker, protecting ? "checkpoint.protecting" : "checkpoint.has_dependents");
    }
    const realNow = app.realNow();
    app.store.markCheckpointDeleted(checkpoint, realNow + app.faults.deletionDelaySeconds * 1000);
    app.store.sweep(realNow);
  }
  return { status: 200, body: { id: checkpoint.id, status: "deleting" } };
}

function deleteChain(app: EmulatorApp, req: ApiRequest): ApiResult {
  const chainId = req.query.get("chain_id");
  if (chainId === null || chainId.length === 0) {
    throw badRequest(
      "query parameter chain_id is required: DELETE /checkpoints/?chain_id=<chain uuid>",
      "chain.id_missing",
    );
  }
  if (!GUID_RE.test(chainId)) {
    throw badRequest(
      `chain_id ${JSON.stringify(chainId)} is not a UUID; use the chain_id of a checkpoint item`,
      "chain.id_invalid",
    );
  }
  const items = (app.store.chains.get(chainId) ?? []).filter((item) => {
    const checkpoint = app.store.checkpoints.get(item.checkpointId);
    return checkpoint !== undefined && checkpoint.projectId === req.projectId;
  });
  if (items.length === 0) throw notFound(`no checkpoint holds an item of chain ${chainId}`, "chain.not_found");
  const byCheckpoint = new Map<CheckpointRecord, Set<ItemRecord>>();
  for (const item of items) {
    const checkpoint = app.store.checkpoints.get(item.checkpointId) as CheckpointRecord;
    const doomed = byCheckpoint.get(checkpoint) ?? new Set<ItemRecord>();
    doomed.add(item);
    byCheckpoint.set(checkpoint, doomed);
  }
  const deleted: Record<string, unknown>[] = [];
  for (const [checkpoint, doomed] of byCheckpoint) {
    const emptied = app.store.removeItems(checkpoint, doomed);
    deleted.push({
      id: checkpoint.id,
      plan_id: checkpoint.planId,
      created_at: checkpoint.createdAt,
      status: emptied ? "deleting" : checkpointStatus(checkpoint),
      checkpoint_items: [...doomed].map((item) => renderItem(item, "deleting")),
    });
  }
  return { status: 200, body: { deleted } };
}

function createRestore(app: EmulatorApp, req: ApiRequest): ApiResult {
  const body = validateRestore(req.body);
  const item = app.store.items.get(body.checkpointItemId);
  const checkpoint = item === undefined ? undefined : app.store.checkpoints.get(item.checkpointId);
  if (item === undefined || checkpoint === undefined || checkpoint.projectId !== req.projectId) {
    throw notFound(
      `checkpoint item ${body.checkpointItemId} does not exist in project ${req.projectId}`,
      "checkpoint_item.not_found",
    );
  }
  if (item.status !== "available" || checkpoint.goneAtMs !== null) {
    const status = checkpoint.goneAtMs !== null ? "deleting" : item.status;
    throw badRequest(
      `checkpoint item ${item.id} is ${status}; ` +
        `only an available backup can be restored` +
        `${status === "protecting" ? " (wait until the backup completes)" : ""}`,
      "restore.item_not_available",
    );
  }
  const volume = app.addVolume({ name: body.restoreName, projectId: req.projectId });
  const restore: RestoreRecord = {
    id: app.config.newId(),
    projectId: req.projectId,
    checkpointId: checkpoint.id,
    checkpointItemId: item.id,
    resourceId: volume.id,
    resourceType: VOLUME_TYPE,
    status: "success",
    createdAt: app.virtualNow(),
  };
  app.store.restores.push(restore);
  return { status: 201, body: renderRestore(restore) };
}
