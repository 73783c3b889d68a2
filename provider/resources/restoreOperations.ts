// Restore: one POST that creates a new volume from a checkpoint item. The API has no endpoint to read a
// restore later, so the resource records what the create answered and refresh keeps it; every input change
// means another restore (replace); delete only forgets the record, the restored volume is the user's.
import { z } from "zod";
import type { ScheduledBackupClient } from "../api";
import { isAmbiguousCreateFailure } from "../api/errors";
import type { Restore } from "../api/types";
import { restoreToOutputs } from "../mapping";
import { asRecord } from "../rules";
import type { RestoreInputs, RestoreOutputs } from "../types";
import { ProviderError } from "./errors";
import { issueFailures, type CheckOutcome } from "./planCheck";
import { containsUnknown } from "./unknown";

export type RestoreApi = Pick<ScheduledBackupClient, "createRestore">;

export const RESTORE_PROPERTIES = ["checkpointItemId", "restoreName", "projectId", "region", "endpoint"] as const;

function describeInput(value: unknown): string {
  return value === undefined ? "nothing" : typeof value === "string" ? JSON.stringify(value) : typeof value;
}

const restoreSchema = z.strictObject(
  {
    checkpointItemId: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "checkpointItemId is required: use getLatestRestorePoint(...).checkpointItemId, or an item id from getCheckpoints"
            : `checkpointItemId must be a string, got ${describeInput(issue.input)}`,
      })
      .min(1, { error: "checkpointItemId must not be empty: use getLatestRestorePoint(...).checkpointItemId" }),
    restoreName: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "restoreName is required: name the new volume the restore creates, e.g. `db-restored`"
            : `restoreName must be a string, got ${describeInput(issue.input)}`,
      })
      .min(1, { error: "restoreName must not be empty: name the new volume, e.g. `db-restored`" })
      .max(255, { error: "restoreName must be at most 255 characters: shorten it" }),
    projectId: z.string().min(1, { error: "projectId must not be empty: set it or leave it out" }).optional(),
    region: z.string().min(1, { error: "region must not be empty: set it or leave it out" }).optional(),
    endpoint: z
      .url({ protocol: /^https?$/, error: "endpoint must be an http(s) URL including /data-protect/v2" })
      .optional(),
    __provider: z.unknown().optional(),
  },
  { error: "a Restore's inputs must be an object" },
);

export function checkRestore(news: unknown): CheckOutcome {
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
    reason: `unknown property \`${key}\`: remove it (known: ${RESTORE_PROPERTIES.join(", ")})`,
  });
  return { inputs: candidate, failures: parsed.success ? [] : issueFailures(parsed.error.issues, candidate, unknownKey) };
}

/** Every input change is another restore. Nothing is deleted first: deleting a Restore only forgets it. */
export function diffRestore(olds: Record<string, unknown>, news: Record<string, unknown>): {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
} {
  const replaces = RESTORE_PROPERTIES.filter((p) => containsUnknown(news[p]) || (olds[p] ?? undefined) !== (news[p] ?? undefined));
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
}

export function restoreSubject(inputs: Partial<RestoreInputs>): string {
  return typeof inputs.restoreName === "string" ? `Restore "${inputs.restoreName}"` : "Restore";
}

export async function createRestore(api: RestoreApi, inputs: RestoreInputs): Promise<{ id: string; outs: RestoreOutputs }> {
  let restore: Restore;
  try {
    restore = await api.createRestore({ checkpoint_item_id: inputs.checkpointItemId, restore_name: inputs.restoreName });
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
      `the service answered status \`error\` for restore ${restore.id} of checkpoint item ${inputs.checkpointItemId}` +
        `${typeof restore["message"] === "string" ? `: ${restore["message"]}` : ""}. Check that the item is ` +
        "`available` (see getCheckpoints) and that the project has volume quota left",
    );
  }
  return { id: restore.id, outs: restoreToOutputs(restore, inputs) };
}

/** The record as created; there is nothing to read back. */
export function readRestore(id: string, props: Record<string, unknown>): { id: string; props: Record<string, unknown>; inputs: Record<string, unknown> } {
  const inputs: Record<string, unknown> = {};
  for (const key of RESTORE_PROPERTIES) if (props[key] !== undefined) inputs[key] = props[key];
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
