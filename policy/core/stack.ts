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

/** One plan or several: most volumes and ids have a single plan, which then needs no array of its own. */
type Plans = StackPlan | StackPlan[];

/** `plans` with `plan` added once; plans are added in stack order, so one already there is the last. */
function withPlan(plans: Plans | undefined, plan: StackPlan): Plans {
  if (plans === undefined) return plan;
  if (!Array.isArray(plans)) return plans === plan ? plans : [plans, plan];
  if (plans[plans.length - 1] !== plan) plans.push(plan);
  return plans;
}

function listOf(plans: Plans | undefined): StackPlan[] {
  if (plans === undefined) return [];
  return Array.isArray(plans) ? [...plans] : [plans];
}

/** Which plans name each volume id, built once from every plan's entries the first time an id is needed. */
interface IdIndex {
  /** Plans in stack order, each once per id. */
  byId: Map<string, Plans>;
  /** The first plan (in stack order) holding unknown ids that its dependencies do not explain. */
  undecided?: UnknownValueError;
}

export class Coverage {
  // What lives as long as a policy's pass is kept small: one map entry per volume or id, arrays only for
  // the few shared by several plans (every surviving object is copied by the young-generation collector).
  private readonly byDependency = new Map<string, Plans>();
  /** Per plan (by position), how many of its `resources` dependencies are volumes. */
  private readonly dependencyCounts: Int32Array;
  // Entries are read lazily, once for all plans: most volumes are matched through dependencies, and in
  // preview new volumes have no id to look up. One index keeps a volume's lookup independent of the
  // number of plans (a scan per volume made a stack with volume ids quadratic).
  private index: IdIndex | undefined;

  constructor(
    readonly plans: readonly StackPlan[],
    volumes: readonly PolicyResource[],
  ) {
    const volumeUrns = new Set<string>();
    for (const volume of volumes) volumeUrns.add(volume.urn);
    this.dependencyCounts = new Int32Array(plans.length);
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p]!;
      const dependencies = plan.resource.propertyDependencies["resources"];
      if (dependencies === undefined) continue;
      let count = 0;
      for (const dependency of dependencies) {
        const urn = dependency.urn;
        if (!volumeUrns.has(urn)) continue;
        count++;
        const before = this.byDependency.get(urn);
        const after = withPlan(before, plan);
        if (after !== before) this.byDependency.set(urn, after);
      }
      this.dependencyCounts[p] = count;
    }
  }

  /** The plans whose `resources` depend on the volume: part of plansCovering's answer, without reading any id. */
  plansDependingOn(volume: PolicyResource): readonly StackPlan[] {
    return listOf(this.byDependency.get(volume.urn));
  }

  /** Every plan (started or not) protecting the volume. Throws UnknownValueError when that cannot be known yet. */
  plansCovering(volume: PolicyResource): StackPlan[] {
    const found = listOf(this.byDependency.get(volume.urn));
    let volumeId: unknown;
    try {
      volumeId = knownProperty(volume.props, "id");
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
    const named = index.byId.get(volumeId);
    if (named === undefined) {
      if (found.length === 0 && index.undecided !== undefined) throw index.undecided;
    } else if (!Array.isArray(named)) {
      if (!found.includes(named)) found.push(named);
    } else for (const plan of named) if (!found.includes(plan)) found.push(plan);
    return found;
  }

  private idIndex(): IdIndex {
    if (this.index !== undefined) return this.index;
    const byId = new Map<string, Plans>();
    let undecided: UnknownValueError | undefined;
    // The plan being read, and its unknown entries so far; one visitor for every plan.
    let plan: StackPlan | undefined;
    let firstUnknown: UnknownValueError | undefined;
    let unknownCount = 0;
    const visit = (id: unknown, unknown: UnknownValueError | undefined): void => {
      if (unknown !== undefined) {
        // Remembered, not swallowed: plansCovering rethrows it when the answer depends on this id.
        firstUnknown ??= unknown;
        unknownCount++;
      } else if (typeof id === "string") {
        const before = byId.get(id);
        const after = withPlan(before, plan!);
        if (after !== before) byId.set(id, after);
      }
    };
    for (let p = 0; p < this.plans.length; p++) {
      plan = this.plans[p]!;
      firstUnknown = undefined;
      unknownCount = 0;
      forEachEntryMember(plan.view.props, "resources", "id", visit, plan.view.target);
      // An unknown entry the dependencies do not account for could be any volume.
      if (undecided === undefined && firstUnknown !== undefined && unknownCount > this.dependencyCounts[p]!)
        undecided = firstUnknown;
    }
    this.index = undecided === undefined ? { byId } : { byId, undecided };
    return this.index;
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
