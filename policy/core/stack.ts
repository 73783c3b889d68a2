// The stack seen by the stack policies: BackupPlans, block volumes, and which plans protect which
// volume. A plan protects a volume when its `resources` property depends on the volume (the engine's
// propertyDependencies, known in preview even while the volume's id is not), or, failing that, when a
// resource id of the plan equals the volume's `id` output.
import type { PolicyResource } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { isBackupPlan, PlanView } from "./plan";
import { asRecord } from "../../provider/values";

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
    const name: unknown = volume.props["name"];
    return typeof name === "string" && name !== "" ? name : volume.name;
  } catch (err) {
    // Only the wording of a message depends on it; the resource name is a faithful stand-in.
    if (err instanceof UnknownValueError) return volume.name;
    throw err;
  }
}

/** The volume's metadata map (openstack volumes carry `metadata: {key: value}`), or an empty one. */
export function volumeMetadata(volume: PolicyResource): Record<string, unknown> {
  const metadata: unknown = volume.props["metadata"];
  return asRecord(metadata);
}

interface PlanIds {
  known: Set<string>;
  /** The first unknown id read from this plan's entries, with how many entries were unknown. */
  unknown?: { error: UnknownValueError; count: number };
  dependencyCount: number;
  /** Entries are read lazily, once: most volumes are matched through dependencies and never need ids. */
  read: boolean;
}

export class Coverage {
  private readonly byDependency = new Map<string, StackPlan[]>();
  private readonly ids = new Map<StackPlan, PlanIds>();

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
      this.ids.set(plan, { known: new Set(), dependencyCount: count, read: false });
    }
  }

  /** Every plan (started or not) protecting the volume. Throws UnknownValueError when that cannot be known yet. */
  plansCovering(volume: PolicyResource): StackPlan[] {
    const found = [...(this.byDependency.get(volume.urn) ?? [])];
    let volumeId: unknown;
    try {
      volumeId = "id" in volume.props ? volume.props["id"] : undefined;
    } catch (err) {
      if (!(err instanceof UnknownValueError)) throw err;
      // A volume created in this update has no id yet, so a plan can name it only through the volume's
      // output, which the dependencies show: they are the whole answer, unless some plan holds unknown
      // ids that its dependencies do not explain.
      if (found.length > 0) return found;
      const undecided = this.plans.map((plan) => this.unexplainedUnknown(plan)).find((e) => e !== undefined);
      if (undecided !== undefined) throw undecided;
      return found;
    }
    if (typeof volumeId !== "string" || volumeId === "") return found;
    let undecided: UnknownValueError | undefined;
    for (const plan of this.plans) {
      if (found.includes(plan)) continue;
      if (this.idsOf(plan).known.has(volumeId)) found.push(plan);
      else undecided ??= this.unexplainedUnknown(plan);
    }
    if (found.length === 0 && undecided !== undefined) throw undecided;
    return found;
  }

  /** The error of an unknown entry id that the plan's dependencies do not account for (it could be any volume). */
  private unexplainedUnknown(plan: StackPlan): UnknownValueError | undefined {
    const ids = this.idsOf(plan);
    return ids.unknown !== undefined && ids.unknown.count > ids.dependencyCount ? ids.unknown.error : undefined;
  }

  private idsOf(plan: StackPlan): PlanIds {
    const ids = this.ids.get(plan)!;
    if (ids.read) return ids;
    ids.read = true;
    const entries = plan.view.resources;
    if (!Array.isArray(entries)) return ids;
    for (let i = 0; i < entries.length; i++) {
      try {
        const entry = entries[i] as Record<string, unknown> | null;
        const id = entry?.["id"];
        if (typeof id === "string") ids.known.add(id);
      } catch (err) {
        // Remembered, not swallowed: plansCovering rethrows it when the answer depends on this id.
        if (!(err instanceof UnknownValueError)) throw err;
        ids.unknown = { error: ids.unknown?.error ?? err, count: (ids.unknown?.count ?? 0) + 1 };
      }
    }
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
