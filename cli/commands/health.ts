// `health`: are the backups really happening? One listing of plans and one of checkpoints, judged by the
// pure provider/health analysis; a table, JSON, Prometheus text or an SVG timeline. Exit 4 on any breach.
import { writeFileSync } from "node:fs";
import type { Checkpoint, Plan } from "../../provider/api";
import {
  analyzeHealth,
  DEFAULT_LOOK_BACK_DAYS,
  DEFAULT_SLACK_MINUTES,
  formatAge,
  healthListingFilters,
  type HealthOptions,
  type HealthReport,
  type PlanHealth,
  type VolumeHealth,
} from "../../provider/health";
import type { Command, CommandContext } from "../command";
import { EXIT, NotFoundLocallyError, UsageError } from "../errors";
import { renderPrometheus } from "../health/prometheus";
import { renderSvg } from "../health/svg";
import { writeJson, writeLine } from "../io";
import { booleanFlag, integerFlag, oneOfFlag, stringFlag } from "../options";
import { collectWithProgress, progressLine } from "../progress";
import { formatTime, renderTable, type Column } from "../table";

const FORMATS = ["table", "json", "prometheus"] as const;

interface Row {
  plan: PlanHealth;
  volume: VolumeHealth;
}

const columns: Column<Row>[] = [
  { header: "plan", value: (r) => r.plan.planName },
  { header: "volume", value: (r) => r.volume.volumeName },
  { header: "status", value: (r) => r.plan.status },
  { header: "newest backup", value: (r) => formatTime(r.volume.newestBackup?.createdAt ?? null) },
  {
    header: "age",
    value: (r) => (r.volume.newestBackupAgeMinutes === null ? "-" : formatAge(r.volume.newestBackupAgeMinutes)),
    numeric: true,
  },
  { header: "rpo", value: (r) => (r.plan.rpoMinutes === null ? "-" : formatAge(r.plan.rpoMinutes)), numeric: true },
  { header: "missed", value: (r) => `${r.plan.missedRuns}/${r.plan.expectedRuns}`, numeric: true },
  { header: "failed", value: (r) => String(r.volume.failedBackups), numeric: true },
  {
    header: "points",
    value: (r) => `${r.volume.restorePoints}/${r.volume.restorePointsExpected ?? "-"}`,
    numeric: true,
  },
  { header: "orphans", value: (r) => String(r.volume.orphanedIncrementals), numeric: true },
  { header: "health", value: (r) => (r.volume.breach ? "BREACH" : r.plan.warnings.length > 0 ? "warn" : "ok") },
];

export function renderHealthTable(report: HealthReport): string {
  const rows: Row[] = report.plans.flatMap((plan) => plan.volumes.map((volume) => ({ plan, volume })));
  const lines = [renderTable(columns, rows).trimEnd()];
  const warned = report.plans.filter((p) => p.warnings.length > 0);
  if (warned.length > 0) {
    lines.push("", "Findings:");
    for (const plan of warned) for (const warning of plan.warnings) lines.push(`  ${plan.planName}: ${warning}`);
  }
  const volumes = rows.length;
  lines.push(
    "",
    report.healthy
      ? `Healthy: ${volumes} volume(s) in ${report.plans.length} plan(s) ` +
          `have a usable backup within their RPO (as of ${report.at}).`
      : `BREACH: ${report.breaches} of ${volumes} volume(s) ` +
          `have no usable backup within their RPO (as of ${report.at}).`,
  );
  return `${lines.join("\n")}\n`;
}

/** Plans and checkpoints for a health report: one paginated listing each, narrowed by the filters. */
export async function fetchHealthInputs(
  ctx: CommandContext,
  options: Pick<HealthOptions, "planName" | "volumeName">,
): Promise<{ plans: Plan[]; checkpoints: Checkpoint[] }> {
  const filters = healthListingFilters(options);
  const plans = await collectWithProgress(ctx.client().plans(filters.plans), progressLine(ctx.io, "plans"));
  const checkpoints = await collectWithProgress(
    ctx.client().checkpoints(filters.checkpoints),
    progressLine(ctx.io, "checkpoints"),
  );
  return { plans, checkpoints };
}

function atFlag(ctx: CommandContext): Date {
  const raw = stringFlag(ctx.values, "at");
  if (raw === undefined) return ctx.io.now();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--at must be an ISO 8601 time such as 2025-03-10T06:00:00Z, got \`${raw}\``);
  return at;
}

export const healthCommand: Command = {
  words: ["health"],
  summary: "check that backups are really happening: newest usable backup vs the schedule's RPO, missed runs, failures",
  usage:
    "[--plan NAME] [--volume NAME] [--json | --format prometheus] " +
    "[--slack-minutes N] [--look-back-days N] [--at TIME] [--svg FILE]",
  details: `  --plan NAME          only the plan with exactly this name
  --volume NAME        only this volume, in every plan that protects it
  --format F           table (default), json (same as --json) or prometheus (text exposition format)
  --slack-minutes N    time a backup may take to become available after its run (default ${DEFAULT_SLACK_MINUTES})
  --look-back-days N   window for missed runs and failed backups (default ${DEFAULT_LOOK_BACK_DAYS})
  --at TIME            judge as of this ISO 8601 time instead of now (e.g. an emulator's virtual clock)
  --svg FILE           also write an SVG timeline per volume: backups, failures, gaps longer than the RPO
  A volume is in BREACH when its newest usable backup is older than the schedule's longest gap plus the
  slack (the RPO); before its first backup, the RPO counts from the plan's creation. Missed runs, failed
  backups, fewer restore points than the retention promises, incrementals whose full backup is gone and
  suspended plans are reported as findings. Exit 4 when any volume is in breach.`,
  options: {
    plan: { type: "string" },
    volume: { type: "string" },
    format: { type: "string" },
    "slack-minutes": { type: "string" },
    "look-back-days": { type: "string" },
    at: { type: "string" },
    svg: { type: "string" },
  },
  positionals: [],
  usesApi: true,
  async run(ctx) {
    const format = oneOfFlag(ctx.values, "format", FORMATS) ?? (ctx.json ? "json" : "table");
    if (booleanFlag(ctx.values, "json") && format !== "json")
      throw new UsageError("--json and --format prometheus are alternatives: give one");
    const options: HealthOptions = { now: atFlag(ctx) };
    const planName = stringFlag(ctx.values, "plan");
    const volumeName = stringFlag(ctx.values, "volume");
    if (planName !== undefined) options.planName = planName;
    if (volumeName !== undefined) options.volumeName = volumeName;
    const slack = integerFlag(ctx.values, "slack-minutes", { min: 0, max: 10_080 });
    if (slack !== undefined) options.slackMinutes = slack;
    const lookBack = integerFlag(ctx.values, "look-back-days", { min: 1, max: 400 });
    if (lookBack !== undefined) options.lookBackDays = lookBack;
    const svg = stringFlag(ctx.values, "svg");

    const { plans, checkpoints } = await fetchHealthInputs(ctx, options);
    const report = analyzeHealth(plans, checkpoints, options);
    if (report.plans.length === 0 && (planName !== undefined || volumeName !== undefined)) {
      const what = [
        planName === undefined ? "" : `named "${planName}"`,
        volumeName === undefined ? "" : `protecting volume "${volumeName}"`,
      ]
        .filter(Boolean)
        .join(" and ");
      throw new NotFoundLocallyError(`no plan ${what}: \`scheduled-backup plans list\` shows the plans`);
    }
    if (svg !== undefined) {
      writeFileSync(svg, renderSvg(report, checkpoints));
      writeLine(ctx.io.stderr, `wrote the timeline to ${svg}`);
    }
    if (format === "json") writeJson(ctx.io.stdout, report);
    else if (format === "prometheus") ctx.io.stdout.write(renderPrometheus(report));
    else if (report.plans.length === 0) writeLine(ctx.io.stdout, "No plans found.");
    else ctx.io.stdout.write(renderHealthTable(report));
    return report.healthy ? EXIT.ok : EXIT.breach;
  },
};
