// Restore: one POST that creates a new volume from a checkpoint item. The API has no endpoint to read a
// restore later, so the resource records what the create answered and refresh keeps it; every input change
// means another restore (replace); delete only forgets the record, the restored volume is the user's.
// A restore given a volume instead of an item is pinned at create to that volume's newest backup (not after
// `notAfter`) and records the item: a newer backup later changes nothing, since the item is an output, not
// an input, and is never looked up again.
import { z } from "zod";
import type { ScheduledBackupClient } from "../api";
import { isAmbiguousCreateFailure } from "../api/errors";
import type { Restore } from "../api/types";
import { restoreToOutputs, toRestoreCreate } from "../mapping";
import { asRecord } from "../values";
import { RESTORE_INPUT_PROPERTIES, restoreInputsSchema } from "../fields/restore";
import type { RestoreInputs, RestoreOutputs } from "../types";
import { ProviderError } from "./errors";
import { findRestorePoint } from "./restorePoint";
// The runtime loads this module lazily and names the volume of a create with it.
export { describeVolume } from "./restorePoint";
import type { RestorePointApi } from "./restorePoint";
import { issueFailures, type CheckOutcome } from "./planCheck";
import { containsUnknown } from "./unknown";

export type RestoreApi = Pick<ScheduledBackupClient, "createRestore"> & Partial<RestorePointApi>;

/** The inputs that pick the volume of a pinned restore; with any of them, checkpointItemId is an output. */
const PIN_PROPERTIES = ["volumeId", "volumeName", "planName", "notAfter"] as const;

function isPinned(values: Record<string, unknown>): boolean {
  return values["volumeId"] !== undefined || values["volumeName"] !== undefined;
}

const restoreSchema = restoreInputsSchema(z);

/** The inputs, typed as what they are once `failures` is empty (the engine goes on with no others). */
function checked(inputs: Partial<Record<keyof RestoreInputs, unknown>>): RestoreInputs {
  return inputs as RestoreInputs;
}

export function checkRestore(news: unknown): CheckOutcome<RestoreInputs> {
  const record = asRecord(news);
  const candidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "__provider" || value === undefined) continue;
    candidate[key] = value;
  }
  const parsed = restoreSchema.safeParse(candidate);
  // A Restore names an unknown key alone, with the properties it knows.
  const unknownKey = (_path: readonly PropertyKey[], key: string) => ({
    property: key,
    reason: `unknown property \`${key}\`: remove it (known: ${RESTORE_INPUT_PROPERTIES.join(", ")})`,
  });
  const failures = parsed.success ? [] : issueFailures(parsed.error.issues, candidate, unknownKey);
  failures.push(...selectorFailures(candidate));
  return { inputs: checked(candidate), failures };
}

/** Exactly one way to say what to restore: an item, or a volume (by id or name, optionally narrowed). */
function selectorFailures(inputs: Record<string, unknown>): { property: string; reason: string }[] {
  const has = (key: string) => inputs[key] !== undefined;
  if (has("checkpointItemId")) {
    const extra = PIN_PROPERTIES.filter(has);
    return extra.map((key) => ({
      property: key,
      reason:
        `${key} cannot be combined with checkpointItemId: give the item, ` +
        `or the volume to restore the newest backup of, not both`,
    }));
  }
  if (has("volumeId") && has("volumeName")) {
    return [{ property: "volumeName", reason: "give volumeId or volumeName, not both: either one names the volume" }];
  }
  if (!has("volumeId") && !has("volumeName")) {
    const narrowing = PIN_PROPERTIES.filter((key) => key === "planName" || key === "notAfter").filter(has);
    return [
      {
        property: narrowing[0] ?? "checkpointItemId",
        reason:
          narrowing.length > 0
            ? `${narrowing.join(" and ")} narrow(s) a volume's backups: also give volumeName (or volumeId)`
            : "say what to restore: volumeName (or volumeId) for that volume's newest backup, " +
              "pinned at create, or a checkpointItemId",
      },
    ];
  }
  return [];
}

/**
 * Every input change is another restore. Nothing is deleted first: deleting a Restore only forgets it. A
 * pinned restore's checkpointItemId was resolved, not given: it is compared only when the new inputs give one.
 */
export function diffRestore(
  olds: Record<string, unknown>,
  news: Readonly<Partial<Record<keyof RestoreInputs, unknown>>>,
): {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
} {
  const compared = RESTORE_INPUT_PROPERTIES.filter(
    (p) => p !== "checkpointItemId" || news[p] !== undefined || !isPinned(olds),
  );
  const replaces = compared.filter(
    (p) => containsUnknown(news[p]) || (olds[p] ?? undefined) !== (news[p] ?? undefined),
  );
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
}

export function restoreSubject(inputs: Partial<RestoreInputs>): string {
  return typeof inputs.restoreName === "string" ? `Restore "${inputs.restoreName}"` : "Restore";
}

/** What the create will restore: the given item, or the pinned volume's newest backup right now. */
async function chosenItem(
  api: RestoreApi,
  inputs: RestoreInputs,
): Promise<{ checkpointItemId: string; backupCreatedAt?: string }> {
  if (inputs.checkpointItemId !== undefined) return { checkpointItemId: inputs.checkpointItemId };
  if (api.checkpoints === undefined) throw new Error("a pinned restore needs the checkpoint listing");
  const { item } = await findRestorePoint({ checkpoints: api.checkpoints.bind(api) }, inputs);
  return { checkpointItemId: item.id, backupCreatedAt: item.created_at };
}

export async function createRestore(
  api: RestoreApi,
  inputs: RestoreInputs,
): Promise<{ id: string; outs: RestoreOutputs }> {
  const chosen = await chosenItem(api, inputs);
  const checkpointItemId = chosen.checkpointItemId;
  let restore: Restore;
  try {
    restore = await api.createRestore(toRestoreCreate({ ...inputs, checkpointItemId }));
  } catch (err) {
    if (isAmbiguousCreateFailure(err)) {
      // No endpoint lists restores, so a retry could restore twice: say what to check instead.
      throw new ProviderError(
        `${err instanceof Error ? err.message : String(err)}. The service may have started the restore anyway: ` +
          `check whether a volume named "${inputs.restoreName}" exists before running \`pulumi up\` again`,
      );
    }
    throw err;
  }
  if (restore.status === "error") {
    throw new ProviderError(
      `the service answered status \`error\` for restore ${restore.id} of checkpoint item ${checkpointItemId}` +
        `${typeof restore["message"] === "string" ? `: ${restore["message"]}` : ""}. Check that the item is ` +
        "`available` (see getCheckpoints) and that the project has volume quota left",
    );
  }
  return { id: restore.id, outs: restoreToOutputs(restore, { ...inputs, checkpointItemId }, chosen.backupCreatedAt) };
}

/** The record as created; there is nothing to read back. */
export function readRestore(
  id: string,
  props: Record<string, unknown>,
): { id: string; props: Record<string, unknown>; inputs: Record<string, unknown> } {
  const inputs: Record<string, unknown> = {};
  for (const key of RESTORE_INPUT_PROPERTIES) if (props[key] !== undefined) inputs[key] = props[key];
  // A pinned restore's item is an output: as an input it would turn the next `up` into a replacement.
  if (isPinned(props)) delete inputs["checkpointItemId"];
  const { __provider: _ignored, ...rest } = props;
  return { id, props: rest, inputs };
}

/** The line `delete` prints: the volume stays, and the user learns it does. */
export function forgetRestoreMessage(id: string, props: Partial<RestoreOutputs>): string {
  const volume = typeof props.resourceId === "string" ? ` ${props.resourceId}` : "";
  const name = typeof props.restoreName === "string" ? ` ("${props.restoreName}")` : "";
  return (
    `Restore ${id}: forgetting the record only; the restored volume${volume}${name} is kept. ` +
    "Delete the volume yourself if you no longer need it."
  );
}
