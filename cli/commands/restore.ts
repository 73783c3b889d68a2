// `restore`: create a new volume from a checkpoint item (a whole-volume restore).
import { setTimeout as sleep } from "node:timers/promises";
import type { Checkpoint, CheckpointItem, Restore, ScheduledBackupClient } from "../../provider/api";
import { NotFoundError } from "../../provider/api/errors";
import type { Command } from "../command";
import { CommandFailedError, NotFoundLocallyError, UsageError } from "../errors";
import type { CliIo } from "../io";
import { writeJson, writeLine } from "../io";
import { booleanFlag, integerFlag, stringFlag } from "../options";
import { collectWithProgress, progressLine } from "../progress";
import { renderFields } from "../table";

const DEFAULT_WAIT_SECONDS = 600;
const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 5_000;

/** Checkpoint items have no endpoint of their own: find the checkpoint holding the item. */
async function findItem(
  client: ScheduledBackupClient,
  io: CliIo,
  itemId: string,
): Promise<{ checkpointId: string; item: CheckpointItem }> {
  const checkpoints = await collectWithProgress(client.checkpoints(), progressLine(io, "checkpoints"));
  for (const checkpoint of checkpoints) {
    const item = checkpoint.checkpoint_items.find((i) => i.id === itemId);
    if (item !== undefined) return { checkpointId: checkpoint.id, item };
  }
  throw new NotFoundLocallyError(`no checkpoint holds an item with id ${itemId}`);
}

/** A backup still `protecting` cannot be restored yet; poll its checkpoint until the item is available. */
async function waitUntilAvailable(
  client: ScheduledBackupClient,
  io: CliIo,
  itemId: string,
  timeoutSeconds: number,
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const { checkpointId, item: first } = await findItem(client, io, itemId);
  let status = first.status;
  let delay = FIRST_POLL_MS;
  let announced = false;
  while (status !== "available") {
    if (status === "error" || status === "deleting") {
      throw new CommandFailedError(`checkpoint item ${itemId} is ${status}; it cannot be restored`);
    }
    if (Date.now() + delay > deadline) {
      throw new CommandFailedError(
        `checkpoint item ${itemId} was still ${status} after ${timeoutSeconds} s; raise --timeout or try later`,
      );
    }
    if (!announced) {
      writeLine(io.stderr, `waiting for checkpoint item ${itemId} (${status}) to become available…`);
      announced = true;
    }
    await sleep(delay);
    delay = Math.min(delay * 2, MAX_POLL_MS);
    const checkpoint = await client.getCheckpoint(checkpointId);
    const item = checkpoint.checkpoint_items.find((i) => i.id === itemId);
    if (item === undefined)
      throw new NotFoundLocallyError(`checkpoint item ${itemId} disappeared from checkpoint ${checkpointId}`);
    status = item.status;
  }
}

/** An id that is not an item may be a whole checkpoint: say so and list the items it holds. */
async function checkpointInstead(client: ScheduledBackupClient, id: string): Promise<UsageError | undefined> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = await client.getCheckpoint(id);
  } catch {
    return undefined;
  }
  const items = checkpoint.checkpoint_items.map(
    (i) => `  ${i.id}  volume ${i.resource.name}, ${i.status}, ${i.is_incremental ? "incremental" : "full"}`,
  );
  return new UsageError(
    `${id} is a checkpoint, not a checkpoint item: ` +
      `restore one of its ${items.length === 1 ? "item" : `${items.length} items`} (one per volume) ` +
      `instead:\n${items.join("\n")}`,
    "e.g. scheduled-backup restore ITEM_ID --name NAME",
  );
}

export const restoreCommand: Command = {
  words: ["restore"],
  summary: "restore a volume backup (checkpoint item) into a new volume",
  usage: "CHECKPOINT_ITEM_ID --name NAME [--wait [--timeout SECONDS]] [--json]",
  details: `  --name NAME      name of the new volume
  --wait           if the backup is still being taken (protecting), wait until it is available first
  --timeout S      how long --wait waits (default ${DEFAULT_WAIT_SECONDS} s)
  The API answers the restore at once (status in_progress or success) and offers no way to follow it
  afterwards; exit 1 when it answers error.`,
  options: { name: { type: "string" }, wait: { type: "boolean" }, timeout: { type: "string" } },
  positionals: ["CHECKPOINT_ITEM_ID"],
  usesApi: true,
  async run(ctx) {
    const itemId = ctx.args[0] ?? "";
    const name = stringFlag(ctx.values, "name");
    if (name === undefined || name.trim() === "") {
      throw new UsageError("--name is required: the name of the volume the restore creates", "e.g. --name db-restored");
    }
    const timeout = integerFlag(ctx.values, "timeout", { min: 1 });
    if (timeout !== undefined && !booleanFlag(ctx.values, "wait"))
      throw new UsageError("--timeout only applies with --wait");
    const client = ctx.client();
    if (booleanFlag(ctx.values, "wait"))
      await waitUntilAvailable(client, ctx.io, itemId, timeout ?? DEFAULT_WAIT_SECONDS);
    let restore: Restore;
    try {
      restore = await client.createRestore({ checkpoint_item_id: itemId, restore_name: name });
    } catch (err) {
      throw (err instanceof NotFoundError ? await checkpointInstead(client, itemId) : undefined) ?? err;
    }
    if (ctx.json) writeJson(ctx.io.stdout, restore);
    else {
      ctx.io.stdout.write(
        renderFields([
          ["restore", restore.id],
          ["status", restore.status],
          ["new volume", `${restore.resource_id} (${name}, ${restore.resource_type})`],
          ["from item", restore.checkpoint_item_id],
          ["checkpoint", restore.checkpoint_id],
        ]),
      );
    }
    if (restore.status === "error") throw new CommandFailedError(`restore ${restore.id} answered status error`);
  },
};
