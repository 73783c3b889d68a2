// `diff` of BackupPlan, pure. `olds` are the recorded outputs (the plan as last seen), `news` the checked
// inputs. Precise by design: the engine shows only what we report, and a spurious change would PATCH (or,
// worse, replace) a live plan. `__provider` is ignored: it is the stable shim, not the implementation.
import { sameResources } from "../mapping";
import { LOCAL_PROPERTIES, PATCHABLE_PROPERTIES, REPLACE_PROPERTIES } from "../fields/backupPlan";
import type { LocalProperty, PatchableProperty, PlanInputProperty, ReplaceProperty } from "../fields/backupPlan";
import type { PlanResource } from "../api/types";
import type { Placement } from "../types";
import { containsUnknown } from "./unknown";

// Which properties replace the plan, PATCH it or are only recorded is each property's `change` in the field
// table (provider/fields/backupPlan.ts): the API cannot change `backupMode`; `projectId` and `region` move it.
export { LOCAL_PROPERTIES, REPLACE_PROPERTIES };

export interface PlanDiff {
  changes: boolean;
  /** Properties forcing a replacement (delete first: plan names should stay unique). */
  replaces: ReplaceProperty[];
  /** Plan fields to PATCH in place. */
  patch: PatchableProperty[];
  /** Resource settings that changed without touching the plan. */
  local: LocalProperty[];
}

/**
 * `defaults` is where a resource without its own projectId/region lands now. Recorded outputs hold the
 * placement a plan was actually created in, so making the default explicit changes nothing, while a new
 * default (another project in the stack config) moves the plan: a replacement, not a silent retarget.
 */
export function diffBackupPlan(
  olds: Record<string, unknown>,
  news: Readonly<Partial<Record<PlanInputProperty, unknown>>>,
  defaults: Placement = {},
): PlanDiff {
  const replaces = REPLACE_PROPERTIES.filter((p) =>
    p === "backupMode" ? differs(p, olds[p], news[p]) : placementDiffers(olds[p], news[p] ?? defaults[p]),
  );
  const patch = PATCHABLE_PROPERTIES.filter((p) => differs(p, olds[p], news[p]));
  const local = LOCAL_PROPERTIES.filter((p) => differs(p, olds[p], news[p]));
  return { changes: replaces.length + patch.length + local.length > 0, replaces, patch, local };
}

/** The engine-facing answer: `changes` always explicit, delete-before-replace whenever we replace. */
export function toDiffResult(diff: PlanDiff): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  return { changes: diff.changes, replaces: diff.replaces, deleteBeforeReplace: diff.replaces.length > 0 };
}

/** A placement moves only when both sides are known and differ; an unknown new value may move it. */
function placementDiffers(recorded: unknown, next: unknown): boolean {
  if (containsUnknown(next)) return true;
  if (typeof recorded !== "string" || typeof next !== "string") return false;
  return recorded !== next;
}

function differs(property: string, old: unknown, next: unknown): boolean {
  // A placeholder may resolve to anything: for a replace key that must count as a replacement.
  if (containsUnknown(next)) return true;
  if (property === "resources") return !sameResourceList(old, next);
  if (property === "timeouts") return !sameTimeouts(old, next);
  return normalizeAbsent(old) !== normalizeAbsent(next);
}

function normalizeAbsent(value: unknown): unknown {
  return value === null ? undefined : value;
}

function sameResourceList(old: unknown, next: unknown): boolean {
  if (!isResourceList(old) || !isResourceList(next)) return old === next;
  return sameResources(old, next);
}

function isResourceList(value: unknown): value is PlanResource[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r: unknown) =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as Record<string, unknown>)["id"] === "string" &&
        typeof (r as Record<string, unknown>)["name"] === "string" &&
        typeof (r as Record<string, unknown>)["type"] === "string",
    )
  );
}

function sameTimeouts(old: unknown, next: unknown): boolean {
  const a = timeoutEntries(old);
  const b = timeoutEntries(next);
  return a === b;
}

function timeoutEntries(value: unknown): string {
  if (typeof value !== "object" || value === null) return "";
  const record = value as Record<string, unknown>;
  return ["create", "update", "delete"]
    .filter((k) => record[k] !== undefined && record[k] !== null)
    .map((k) => `${k}=${String(record[k])}`)
    .join(",");
}
