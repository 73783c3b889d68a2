// The emulator's state and its indexes. Pure data structure: no HTTP, no timers; callers pass the clocks.

import {
  type CheckpointRecord,
  type ItemRecord,
  type PlanRecord,
  type RestoreRecord,
  type VolumeRecord,
} from "./model";
import { type Ordered, type Page, SortedList, mergeOrdered, pageAfter } from "./sorted";

export interface Snapshot {
  version: 1;
  clock: string;
  plans: PlanRecord[];
  checkpoints: CheckpointRecord[];
  volumes: VolumeRecord[];
  restores: RestoreRecord[];
  /** Names of deleted plans, so that `plan_name` still finds the checkpoints they left behind. */
  formerPlanNames: { id: string; projectId: string; name: string }[];
}

export interface PlanFilter {
  name?: string;
  volumeName?: string;
}

export interface CheckpointFilter {
  planName?: string;
  volumeName?: string;
}

function volumeKey(projectId: string, name: string): string {
  return `${projectId}\u0000${name}`;
}

export class UnknownMarkerError extends Error {
  constructor(readonly marker: string) {
    super(`unknown marker ${marker}`);
    this.name = "UnknownMarkerError";
  }
}

export class Store {
  clockMs: number;
  readonly plans = new Map<string, PlanRecord>();
  private readonly plansByProject = new Map<string, SortedList<PlanRecord>>();
  private readonly planNames = new Map<string, { projectId: string; name: string }>();

  readonly checkpoints = new Map<string, CheckpointRecord>();
  private readonly checkpointsByProject = new Map<string, SortedList<CheckpointRecord>>();
  private readonly checkpointsByPlan = new Map<string, SortedList<CheckpointRecord>>();
  private readonly checkpointsByVolumeName = new Map<string, SortedList<CheckpointRecord>>();
  /** Checkpoints holding at least one `protecting` item: the only ones the clock has to look at. */
  readonly protecting = new Set<CheckpointRecord>();
  /** Plans and checkpoints whose deletion was accepted and that disappear at `goneAtMs`. */
  private readonly departing = new Set<PlanRecord | CheckpointRecord>();

  readonly items = new Map<string, ItemRecord>();
  /** Items of each chain, oldest first. */
  readonly chains = new Map<string, ItemRecord[]>();

  readonly volumes = new Map<string, VolumeRecord>();
  readonly restores: RestoreRecord[] = [];

  constructor(clockMs: number) {
    this.clockMs = clockMs;
  }

  // ---- plans ----------------------------------------------------------------------------------------------

  addPlan(plan: PlanRecord): void {
    this.plans.set(plan.id, plan);
    this.listFor(this.plansByProject, plan.projectId).insert(plan);
    this.planNames.set(plan.id, { projectId: plan.projectId, name: plan.name });
    if (plan.goneAtMs !== null) this.departing.add(plan);
  }

  renamePlan(plan: PlanRecord, name: string): void {
    plan.name = name;
    this.planNames.set(plan.id, { projectId: plan.projectId, name });
  }

  markPlanDeleted(plan: PlanRecord, goneAtMs: number): void {
    plan.goneAtMs = goneAtMs;
    this.departing.add(plan);
  }

  private dropPlan(plan: PlanRecord): void {
    this.plans.delete(plan.id);
    this.plansByProject.get(plan.projectId)?.remove(plan);
    // planNames keeps the entry: the plan's checkpoints stay and `plan_name` must still find them.
  }

  /** A plan visible in `projectId` (deleted plans stay visible until they are gone). */
  plan(projectId: string, id: string): PlanRecord | undefined {
    const plan = this.plans.get(id);
    return plan !== undefined && plan.projectId === projectId ? plan : undefined;
  }

  listPlans(projectId: string, filter: PlanFilter, marker: string | undefined, limit: number): Page<PlanRecord> {
    const all = this.plansByProject.get(projectId)?.all() ?? [];
    let markerKey: Ordered | undefined;
    if (marker !== undefined) {
      markerKey = this.plan(projectId, marker);
      if (markerKey === undefined) throw new UnknownMarkerError(marker);
    }
    const { name, volumeName } = filter;
    const matching =
      name === undefined && volumeName === undefined
        ? all
        : all.filter(
            (plan) =>
              (name === undefined || plan.name === name) &&
              (volumeName === undefined || plan.resources.some((r) => r.name === volumeName)),
          );
    return pageAfter(matching, markerKey, limit);
  }

  projectPlans(projectId: string): readonly PlanRecord[] {
    return this.plansByProject.get(projectId)?.all() ?? [];
  }

  // ---- checkpoints ----------------------------------------------------------------------------------------

  addCheckpoint(checkpoint: CheckpointRecord): void {
    this.checkpoints.set(checkpoint.id, checkpoint);
    this.listFor(this.checkpointsByProject, checkpoint.projectId).insert(checkpoint);
    this.listFor(this.checkpointsByPlan, checkpoint.planId).insert(checkpoint);
    for (const name of new Set(checkpoint.items.map((item) => item.resource.name))) {
      this.listFor(this.checkpointsByVolumeName, volumeKey(checkpoint.projectId, name)).insert(checkpoint);
    }
    for (const item of checkpoint.items) this.indexItem(item);
    if (checkpoint.items.some((item) => item.status === "protecting")) this.protecting.add(checkpoint);
    if (checkpoint.goneAtMs !== null) this.departing.add(checkpoint);
  }

  /** Bulk insertion for seeding: one sort per index instead of one insertion per checkpoint. */
  addCheckpoints(batch: CheckpointRecord[]): void {
    const groups = new Map<SortedList<CheckpointRecord>, CheckpointRecord[]>();
    const push = (list: SortedList<CheckpointRecord>, checkpoint: CheckpointRecord): void => {
      const group = groups.get(list);
      if (group === undefined) groups.set(list, [checkpoint]);
      else group.push(checkpoint);
    };
    for (const checkpoint of batch) {
      this.checkpoints.set(checkpoint.id, checkpoint);
      push(this.listFor(this.checkpointsByProject, checkpoint.projectId), checkpoint);
      push(this.listFor(this.checkpointsByPlan, checkpoint.planId), checkpoint);
      for (const name of new Set(checkpoint.items.map((item) => item.resource.name))) {
        push(this.listFor(this.checkpointsByVolumeName, volumeKey(checkpoint.projectId, name)), checkpoint);
      }
      for (const item of checkpoint.items) this.indexItem(item);
      if (checkpoint.items.some((item) => item.status === "protecting")) this.protecting.add(checkpoint);
    }
    for (const [list, group] of groups) list.insertMany(group);
  }

  markCheckpointDeleted(checkpoint: CheckpointRecord, goneAtMs: number): void {
    checkpoint.goneAtMs = goneAtMs;
    for (const item of checkpoint.items) item.status = "deleting";
    this.protecting.delete(checkpoint);
    this.departing.add(checkpoint);
  }

  removeCheckpoint(checkpoint: CheckpointRecord): void {
    if (!this.checkpoints.delete(checkpoint.id)) return;
    this.checkpointsByProject.get(checkpoint.projectId)?.remove(checkpoint);
    this.checkpointsByPlan.get(checkpoint.planId)?.remove(checkpoint);
    for (const name of new Set(checkpoint.items.map((item) => item.resource.name))) {
      this.checkpointsByVolumeName.get(volumeKey(checkpoint.projectId, name))?.remove(checkpoint);
    }
    for (const item of checkpoint.items) this.unindexItem(item);
    this.protecting.delete(checkpoint);
    this.departing.delete(checkpoint);
  }

  /** Removes some items of a checkpoint; a checkpoint left empty is removed. Answers whether it was removed. */
  removeItems(checkpoint: CheckpointRecord, doomed: ReadonlySet<ItemRecord>): boolean {
    if (checkpoint.items.every((item) => doomed.has(item))) {
      this.removeCheckpoint(checkpoint);
      return true;
    }
    const namesBefore = new Set(checkpoint.items.map((item) => item.resource.name));
    checkpoint.items = checkpoint.items.filter((item) => !doomed.has(item));
    for (const item of doomed) this.unindexItem(item);
    const namesAfter = new Set(checkpoint.items.map((item) => item.resource.name));
    for (const name of namesBefore) {
      if (!namesAfter.has(name))
        this.checkpointsByVolumeName.get(volumeKey(checkpoint.projectId, name))?.remove(checkpoint);
    }
    if (!checkpoint.items.some((item) => item.status === "protecting")) this.protecting.delete(checkpoint);
    return false;
  }

  checkpoint(projectId: string, id: string): CheckpointRecord | undefined {
    const checkpoint = this.checkpoints.get(id);
    return checkpoint !== undefined && checkpoint.projectId === projectId ? checkpoint : undefined;
  }

  checkpointsOfPlan(planId: string): readonly CheckpointRecord[] {
    return this.checkpointsByPlan.get(planId)?.all() ?? [];
  }

  listCheckpoints(
    projectId: string,
    filter: CheckpointFilter,
    marker: string | undefined,
    limit: number,
  ): Page<CheckpointRecord> {
    let markerKey: Ordered | undefined;
    if (marker !== undefined) {
      markerKey = this.checkpoint(projectId, marker);
      if (markerKey === undefined) throw new UnknownMarkerError(marker);
    }
    return pageAfter(this.matchingCheckpoints(projectId, filter), markerKey, limit);
  }

  private matchingCheckpoints(projectId: string, filter: CheckpointFilter): readonly CheckpointRecord[] {
    const { planName, volumeName } = filter;
    const byVolume =
      volumeName === undefined
        ? undefined
        : (this.checkpointsByVolumeName.get(volumeKey(projectId, volumeName))?.all() ?? []);
    if (planName === undefined) return byVolume ?? this.checkpointsByProject.get(projectId)?.all() ?? [];
    const planIds = new Set<string>();
    for (const [id, entry] of this.planNames) {
      if (entry.projectId === projectId && entry.name === planName) planIds.add(id);
    }
    if (byVolume !== undefined) return byVolume.filter((checkpoint) => planIds.has(checkpoint.planId));
    const lists = [...planIds].map((id) => this.checkpointsByPlan.get(id)?.all() ?? []);
    return lists.length === 0 ? [] : mergeOrdered(lists);
  }

  private indexItem(item: ItemRecord): void {
    this.items.set(item.id, item);
    const chain = this.chains.get(item.chainId);
    if (chain === undefined) this.chains.set(item.chainId, [item]);
    else {
      chain.push(item);
      if (chain.length > 1 && (chain[chain.length - 2] as ItemRecord).createdAt > item.createdAt) {
        chain.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
      }
    }
  }

  private unindexItem(item: ItemRecord): void {
    this.items.delete(item.id);
    const chain = this.chains.get(item.chainId);
    if (chain === undefined) return;
    const rest = chain.filter((other) => other !== item);
    if (rest.length === 0) this.chains.delete(item.chainId);
    else this.chains.set(item.chainId, rest);
  }

  // ---- time -----------------------------------------------------------------------------------------------

  /** Backups whose protecting time has elapsed on the virtual clock become available (or `error`, when failing). */
  settle(virtualNow: string): void {
    for (const checkpoint of this.protecting) {
      let still = false;
      for (const item of checkpoint.items) {
        if (item.status !== "protecting") continue;
        if (item.availableAt <= virtualNow) item.status = item.fails === true ? "error" : "available";
        else still = true;
      }
      if (!still) this.protecting.delete(checkpoint);
    }
  }

  /** Drops deleted plans and checkpoints whose real-time grace period is over. Answers whether any went. */
  sweep(realNowMs: number): boolean {
    let changed = false;
    for (const record of this.departing) {
      if (record.goneAtMs === null || record.goneAtMs > realNowMs) continue;
      this.departing.delete(record);
      if ("items" in record) this.removeCheckpoint(record);
      else this.dropPlan(record);
      changed = true;
    }
    return changed;
  }

  /** Every plan, project by project, each in list order. */
  orderedPlans(): PlanRecord[] {
    const plans: PlanRecord[] = [];
    for (const list of this.plansByProject.values()) for (const plan of list.all()) plans.push(plan);
    return plans;
  }

  /** Every checkpoint, project by project, each in list order. */
  orderedCheckpoints(): CheckpointRecord[] {
    const checkpoints: CheckpointRecord[] = [];
    for (const list of this.checkpointsByProject.values())
      for (const checkpoint of list.all()) checkpoints.push(checkpoint);
    return checkpoints;
  }

  // ---- persistence ----------------------------------------------------------------------------------------

  snapshot(clock: string): Snapshot {
    const formerPlanNames: Snapshot["formerPlanNames"] = [];
    for (const [id, entry] of this.planNames) {
      if (!this.plans.has(id)) formerPlanNames.push({ id, projectId: entry.projectId, name: entry.name });
    }
    return {
      version: 1,
      clock,
      plans: this.orderedPlans(),
      checkpoints: this.orderedCheckpoints(),
      volumes: [...this.volumes.values()],
      restores: [...this.restores],
      formerPlanNames,
    };
  }

  static fromSnapshot(snapshot: Snapshot, clockMs: number): Store {
    const store = new Store(clockMs);
    for (const entry of snapshot.formerPlanNames) {
      store.planNames.set(entry.id, { projectId: entry.projectId, name: entry.name });
    }
    for (const plan of snapshot.plans) store.addPlan(plan);
    store.addCheckpoints(snapshot.checkpoints);
    for (const checkpoint of snapshot.checkpoints) {
      if (checkpoint.goneAtMs !== null) store.departing.add(checkpoint);
    }
    for (const volume of snapshot.volumes) store.volumes.set(volume.id, volume);
    store.restores.push(...snapshot.restores);
    return store;
  }

  private listFor<T extends Ordered>(lists: Map<string, SortedList<T>>, key: string): SortedList<T> {
    let list = lists.get(key);
    if (list === undefined) {
      list = new SortedList<T>();
      lists.set(key, list);
    }
    return list;
  }
}
