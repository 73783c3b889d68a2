// `plans list` and `plans get`: read-only views of backup plans.
import type { Plan } from "../../provider/api";
import type { Command } from "../command";
import { writeJson, writeLine } from "../io";
import { collectWithProgress, progressLine } from "../progress";
import { stringFlag } from "../options";
import { renderFields, renderTable, formatTime, type Column } from "../table";
import { explainPlanSchedule } from "./schedule";

const planColumns: Column<Plan>[] = [
  { header: "name", value: (p) => p.name },
  { header: "id", value: (p) => p.id },
  { header: "mode", value: (p) => p.backup_mode },
  { header: "keep", value: (p) => String(p.max_backups), numeric: true },
  { header: "schedule", value: (p) => `${p.schedule_pattern} (${p.schedule_type})` },
  { header: "status", value: (p) => p.status },
  { header: "volumes", value: (p) => p.resources.map((r) => r.name).join(", ") },
  { header: "created", value: (p) => formatTime(p.created_at) },
];

export const plansList: Command = {
  words: ["plans", "list"],
  summary: "list backup plans",
  usage: "[--name NAME] [--volume NAME] [--json]",
  details: `  --name NAME      only the plan with exactly this name
  --volume NAME    only plans protecting a volume with exactly this name
  KEEP is max_backups: full backups (full mode) or chains per volume (frequency mode).`,
  options: { name: { type: "string" }, volume: { type: "string" } },
  positionals: [],
  usesApi: true,
  async run(ctx) {
    const filter: { name?: string; volumeName?: string } = {};
    const name = stringFlag(ctx.values, "name");
    const volume = stringFlag(ctx.values, "volume");
    if (name !== undefined) filter.name = name;
    if (volume !== undefined) filter.volumeName = volume;
    const plans = await collectWithProgress(ctx.client().plans(filter), progressLine(ctx.io, "plans"));
    if (ctx.json) return writeJson(ctx.io.stdout, plans);
    if (plans.length === 0) return writeLine(ctx.io.stdout, "No plans found.");
    ctx.io.stdout.write(renderTable(planColumns, plans));
  },
};

export const plansGet: Command = {
  words: ["plans", "get"],
  summary: "show one plan, its next runs, RPO and retention",
  usage: "ID [--json]",
  options: {},
  positionals: ["ID"],
  usesApi: true,
  async run(ctx) {
    const plan = await ctx.client().getPlan(ctx.args[0] ?? "");
    if (ctx.json) return writeJson(ctx.io.stdout, plan);
    const fields: [string, string][] = [
      ["name", plan.name],
      ["id", plan.id],
      ["description", plan.description === "" ? "-" : plan.description],
      ["status", plan.status],
      ["created", formatTime(plan.created_at)],
      ["backup mode", plan.backup_mode],
      ["max backups", String(plan.max_backups)],
      ["schedule", `${plan.schedule_pattern} (${plan.schedule_type})`],
      ...explainPlanSchedule(plan, ctx.io.now()),
    ];
    ctx.io.stdout.write(renderFields(fields));
    writeLine(ctx.io.stdout);
    ctx.io.stdout.write(
      renderTable(
        [
          { header: "volume", value: (r: Plan["resources"][number]) => r.name },
          { header: "id", value: (r) => r.id },
          { header: "type", value: (r) => r.type },
        ],
        plan.resources,
      ),
    );
  },
};
