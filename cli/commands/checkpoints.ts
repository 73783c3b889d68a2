// `checkpoints list|get|delete` and `chains delete`: the restore points the plans produced.
import type { Checkpoint, CheckpointItem, Plan } from "../../provider/api";
import type { Command, CommandContext } from "../command";
import { confirm, requireTerminal } from "../confirm";
import { CommandFailedError, NotFoundLocallyError } from "../errors";
import { writeJson, writeLine } from "../io";
import { booleanFlag, stringFlag } from "../options";
import { collectWithProgress, progressLine } from "../progress";
import { formatTime, renderFields, renderTable, type Column } from "../table";

/** One row per checkpoint item: a volume's backup, what `restore` and `chains delete` take. */
export interface ItemRow {
  checkpoint: Checkpoint;
  item: CheckpointItem;
  planName: string;
}

export function itemRows(
  checkpoints: readonly Checkpoint[],
  planNames: ReadonlyMap<string, string>,
  volume?: string,
): ItemRow[] {
  return checkpoints.flatMap((checkpoint) =>
    checkpoint.checkpoint_items
      .filter((item) => volume === undefined || item.resource.name === volume)
      .map((item) => ({ checkpoint, item, planName: planNames.get(checkpoint.plan_id) ?? checkpoint.plan_id })),
  );
}

export const itemColumns: Column<ItemRow>[] = [
  { header: "created", value: (r) => formatTime(r.item.created_at) },
  { header: "plan", value: (r) => r.planName },
  { header: "volume", value: (r) => r.item.resource.name },
  { header: "kind", value: (r) => (r.item.is_incremental ? "incremental" : "full") },
  { header: "status", value: (r) => r.item.status },
  { header: "checkpoint", value: (r) => r.checkpoint.id },
  { header: "item", value: (r) => r.item.id },
  { header: "chain", value: (r) => r.item.chain_id },
];

/** Plans by id, to show names next to checkpoints (checkpoints carry only plan_id). */
async function planNamesById(ctx: CommandContext): Promise<Map<string, string>> {
  const plans: Plan[] = await collectWithProgress(ctx.client().plans(), progressLine(ctx.io, "plans"));
  return new Map(plans.map((p) => [p.id, p.name]));
}

export const checkpointsList: Command = {
  words: ["checkpoints", "list"],
  summary: "list checkpoints, one row per volume backup (item)",
  usage: "[--plan NAME] [--volume NAME] [--status STATUS] [--json]",
  details: `  --plan NAME      only checkpoints of the plan with exactly this name
  --volume NAME    only checkpoints holding a volume with exactly this name (rows: that volume only)
  --status STATUS  only checkpoints in this status: protecting, available, error, deleting
  ITEM is what \`restore\` takes; CHAIN is what \`chains delete\` takes.
  --json prints the matching checkpoints as the API returns them (with all their items).`,
  options: { plan: { type: "string" }, volume: { type: "string" }, status: { type: "string" } },
  positionals: [],
  usesApi: true,
  async run(ctx) {
    const planName = stringFlag(ctx.values, "plan");
    const volume = stringFlag(ctx.values, "volume");
    const status = stringFlag(ctx.values, "status");
    const filter: { planName?: string; volumeName?: string } = {};
    if (planName !== undefined) filter.planName = planName;
    if (volume !== undefined) filter.volumeName = volume;
    const all = await collectWithProgress(ctx.client().checkpoints(filter), progressLine(ctx.io, "checkpoints"));
    const checkpoints = status === undefined ? all : all.filter((c) => c.status === status);
    if (ctx.json) return writeJson(ctx.io.stdout, checkpoints);
    if (checkpoints.length === 0) return writeLine(ctx.io.stdout, "No checkpoints found.");
    const rows = itemRows(checkpoints, await planNamesById(ctx), volume);
    ctx.io.stdout.write(renderTable(itemColumns, rows));
  },
};

export const checkpointsGet: Command = {
  words: ["checkpoints", "get"],
  summary: "show one checkpoint and its items",
  usage: "ID [--json]",
  options: {},
  positionals: ["ID"],
  usesApi: true,
  async run(ctx) {
    const checkpoint = await ctx.client().getCheckpoint(ctx.args[0] ?? "");
    if (ctx.json) return writeJson(ctx.io.stdout, checkpoint);
    ctx.io.stdout.write(
      renderFields([
        ["id", checkpoint.id],
        ["plan", checkpoint.plan_id],
        ["created", formatTime(checkpoint.created_at)],
        ["status", checkpoint.status],
      ]),
    );
    writeLine(ctx.io.stdout);
    const rows = itemRows([checkpoint], new Map());
    ctx.io.stdout.write(
      renderTable(
        itemColumns.filter((c) => c.header !== "plan" && c.header !== "checkpoint"),
        rows,
      ),
    );
  },
};

export const checkpointsDelete: Command = {
  words: ["checkpoints", "delete"],
  summary: "delete one checkpoint (refused while protecting or when a kept incremental depends on it)",
  usage: "ID [--json]",
  details: "  To remove a full backup together with the incrementals built on it, use `chains delete`.",
  options: {},
  positionals: ["ID"],
  usesApi: true,
  async run(ctx) {
    const result = await ctx.client().deleteCheckpoint(ctx.args[0] ?? "");
    if (ctx.json) return writeJson(ctx.io.stdout, result);
    writeLine(ctx.io.stdout, `checkpoint ${result.id}: ${result.status}`);
  },
};

function describeChain(chainId: string, rows: readonly ItemRow[]): string {
  const volumes = [...new Set(rows.map((r) => r.item.resource.name))].join(", ");
  const plans = [...new Set(rows.map((r) => r.planName))].join(", ");
  const times = rows.map((r) => r.item.created_at).sort();
  return (
    `Chain ${chainId} holds ${rows.length} backup(s) of volume ${volumes} (plan ${plans}), ` +
    `from ${formatTime(times[0])} to ${formatTime(times[times.length - 1])}.`
  );
}

export const chainsDelete: Command = {
  words: ["chains", "delete"],
  summary: "delete every backup of a chain (a full backup and its incrementals)",
  usage: "CHAIN_ID [--yes] [--json]",
  details: `  Asks for confirmation on a terminal; from a script (stdin not a terminal) --yes is required.
  --yes            do not ask`,
  options: { yes: { type: "boolean", short: "y" } },
  positionals: ["CHAIN_ID"],
  usesApi: true,
  async run(ctx) {
    const chainId = ctx.args[0] ?? "";
    if (!booleanFlag(ctx.values, "yes")) {
      requireTerminal(ctx.io, `delete chain ${chainId}`);
      // Show what will go before asking: the scan is what makes the question answerable.
      const all = await collectWithProgress(ctx.client().checkpoints(), progressLine(ctx.io, "checkpoints"));
      const rows = itemRows(all, await planNamesById(ctx)).filter((r) => r.item.chain_id === chainId);
      if (rows.length === 0) throw new NotFoundLocallyError(`no checkpoint item belongs to chain ${chainId}`);
      writeLine(ctx.io.stderr, describeChain(chainId, rows));
      if (!(await confirm(ctx.io, "Delete them? This cannot be undone.", `delete chain ${chainId}`))) {
        throw new CommandFailedError("not confirmed; nothing was deleted");
      }
    }
    const result = await ctx.client().deleteCheckpointsByChain(chainId);
    if (ctx.json) return writeJson(ctx.io.stdout, result);
    writeLine(ctx.io.stdout, `chain ${chainId}: ${result.deleted.length} checkpoint(s) affected`);
    if (result.deleted.length > 0) {
      const rows = itemRows(result.deleted, new Map()).filter((r) => r.item.chain_id === chainId);
      ctx.io.stdout.write(
        renderTable(
          itemColumns.filter((c) => c.header !== "plan"),
          rows,
        ),
      );
    }
  },
};
