// The stack seen by the stack policies: BackupPlans, block volumes, and which plans protect which
// volume. A plan protects a volume when its `resources` property depends on the volume (the engine's
// propertyDependencies, known in preview even while the volume's id is not), or, failing that, when a
// resource id of the plan equals the volume's `id` output.
import type { PolicyResource } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { isBackupPlan, PlanView } from "./plan";
import { forEachEntryMember, knownMember, knownProperty } from "./known";

export const DEFAULT_VOLUME_TYPES = [
  "openstack:blockstorage/volume:Volume",
  "openstack:blockstorage/volumeV2:VolumeV2",
  "openstack:blockstorage/volumeV3:VolumeV3",
] as const;

export interface StackPlan {
  readonly resource: PolicyResource;
  readonly view: PlanView;
}

export function plansOf(resources: readonly PolicyResource[]): StackPlan[] {
  return resources
    .filter(isBackupPlan)
    .map((resource) => ({ resource, view: new PlanView(resource.props, resource.name, resource.urn) }));
}

export function volumesOf(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
  const wanted = new Set(types);
  return resources.filter((resource) => wanted.has(resource.type));
}

/** How messages name a volume: its `name` output, else the Pulumi resource name. */
export function volumeLabel(volume: PolicyResource): string {
  try {
    const name = knownProperty(volume.props, "name");
    return typeof name === "string" && name !== "" ? name : volume.name;
  } catch (err) {
    // Only the wording of a message depends on it; the resource name is a faithful stand-in.
    if (err instanceof UnknownValueError) return volume.name;
    throw err;
  }
}

/** One entry of the volume's metadata map (openstack volumes carry `metadata: {key: value}`). */
export function volumeMetadata(volume: PolicyResource, key: string): unknown {
  return knownMember(volume.props, "metadata", key);
}

interface PlanIds {
  known: Set<string>;
  /** The first unknown id read from this plan's entries, with how many entries were unknown. */
  unknown?: { error: UnknownValueError; count: number };
  dependencyCount: number;
}

/** Which plans name each volume id, built once from every plan's entries the first time an id is needed. */
interface IdIndex {
  byId: Map<string, StackPlan[]>;
  /** The first plan (in stack order) holding unknown ids that its dependencies do not explain. */
  undecided?: UnknownValueError;
}

export class Coverage {
  private readonly byDependency = new Map<string, StackPlan[]>();
  private readonly dependencyCounts = new Map<StackPlan, number>();
  // Entries are read lazily, once for all plans: most volumes are matched through dependencies, and in
  // preview new volumes have no id to look up. One index keeps a volume's lookup independent of the
  // number of plans (a scan per volume made a stack with volume ids quadratic).
  private index: IdIndex | undefined;

  constructor(
    readonly plans: readonly StackPlan[],
    volumes: readonly PolicyResource[],
  ) {
    const volumeUrns = new Set(volumes.map((volume) => volume.urn));
    for (const plan of plans) {
      const dependencies = plan.resource.propertyDependencies["resources"] ?? [];
      let count = 0;
      for (const dependency of dependencies) {
        if (!volumeUrns.has(dependency.urn)) continue;
        count++;
        const list = this.byDependency.get(dependency.urn);
        if (list === undefined) this.byDependency.set(dependency.urn, [plan]);
        else if (!list.includes(plan)) list.push(plan);
      }
      this.dependencyCounts.set(plan, count);
    }
  }

  /** The plans whose `resources` depend on the volume: part of plansCovering's answer, without reading any id. */
  plansDependingOn(volume: PolicyResource): readonly StackPlan[] {
    return this.byDependency.get(volume.urn) ?? [];
  }

  /** Every plan (started or not) protecting the volume. Throws UnknownValueError when that cannot be known yet. */
  plansCovering(volume: PolicyResource): StackPlan[] {
    const found = [...this.plansDependingOn(volume)];
    let volumeId: unknown;
    try {
      volumeId = "id" in volume.props ? knownProperty(volume.props, "id") : undefined;
    } catch (err) {
      if (!(err instanceof UnknownValueError)) throw err;
      // A volume created in this update has no id yet, so a plan can name it only through the volume's
      // output, which the dependencies show: they are the whole answer, unless some plan holds unknown
      // ids that its dependencies do not explain.
      if (found.length > 0) return found;
      const undecided = this.idIndex().undecided;
      if (undecided !== undefined) throw undecided;
      return found;
    }
    if (typeof volumeId !== "string" || volumeId === "") return found;
    const index = this.idIndex();
    for (const plan of index.byId.get(volumeId) ?? []) if (!found.includes(plan)) found.push(plan);
    if (found.length === 0 && index.undecided !== undefined) throw index.undecided;
    return found;
  }

  private idIndex(): IdIndex {
    if (this.index !== undefined) return this.index;
    const index: IdIndex = { byId: new Map() };
    for (const plan of this.plans) {
      const ids = this.idsOf(plan);
      for (const id of ids.known) {
        const list = index.byId.get(id);
        if (list === undefined) index.byId.set(id, [plan]);
        else list.push(plan); // plans in stack order, each once per id (ids.known is a set)
      }
      // An unknown entry the dependencies do not account for could be any volume.
      if (index.undecided === undefined && ids.unknown !== undefined && ids.unknown.count > ids.dependencyCount)
        index.undecided = ids.unknown.error;
    }
    this.index = index;
    return index;
  }

  private idsOf(plan: StackPlan): PlanIds {
    const ids: PlanIds = { known: new Set(), dependencyCount: this.dependencyCounts.get(plan) ?? 0 };
    forEachEntryMember(plan.view.props, "resources", "id", (id, unknown) => {
      // Remembered, not swallowed: plansCovering rethrows it when the answer depends on this id.
      if (unknown !== undefined)
        ids.unknown = { error: ids.unknown?.error ?? unknown, count: (ids.unknown?.count ?? 0) + 1 };
      else if (typeof id === "string") ids.known.add(id);
    });
    return ids;
  }
}

/** Whether a plan is started; reading an unknown status throws as usual. */
export function isStarted(plan: StackPlan): boolean {
  return plan.view.status === "started";
}

/** The stack's volumes and which plans cover them; not applicable to a stack without volumes. */
export function coverageOfVolumes(
  resources: readonly PolicyResource[],
  volumeTypes: readonly string[],
  args: { notApplicable(reason?: string): never },
): { volumes: PolicyResource[]; coverage: Coverage } {
  const volumes = volumesOf(resources, volumeTypes);
  if (volumes.length === 0) return args.notApplicable("the stack has no block volumes");
  return { volumes, coverage: new Coverage(plansOf(resources), volumes) };
}
