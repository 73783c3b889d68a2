// `health --format prometheus`: the text exposition format (version 0.0.4), for node_exporter's textfile
// collector or a Pushgateway. Every metric is a gauge: each run reports the state as of the report's time.
import type { HealthReport, PlanHealth, VolumeHealth } from "../../provider/health";

const PREFIX = "scheduled_backup_";

type Labels = Record<string, string>;
interface Metric<Row> {
  name: string;
  help: string;
  /** undefined: no sample for this row (e.g. an age when there is no backup). */
  value(row: Row): number | undefined;
}

interface VolumeRow {
  plan: PlanHealth;
  volume: VolumeHealth;
}

const seconds = (minutes: number | null): number | undefined => (minutes === null ? undefined : minutes * 60);
const flag = (value: boolean): number => (value ? 1 : 0);

const VOLUME_METRICS: Metric<VolumeRow>[] = [
  {
    name: "last_success_timestamp_seconds",
    help: "Creation time of the newest usable backup of the volume, as Unix seconds (0 when there is none).",
    value: ({ volume }) => (volume.newestBackup === null ? 0 : Date.parse(volume.newestBackup.createdAt) / 1000),
  },
  {
    name: "last_success_age_seconds",
    help: "Age of the newest usable backup of the volume at the report's time (absent when there is none).",
    value: ({ volume }) => seconds(volume.newestBackupAgeMinutes),
  },
  {
    name: "breach",
    help: "1 when the newest usable backup is older than the schedule's longest gap plus the slack, else 0.",
    value: ({ volume }) => flag(volume.breach),
  },
  {
    name: "breach_deadline_timestamp_seconds",
    help: "Unix time at which the volume breaches (or breached) without a newer usable backup.",
    value: ({ volume }) => (volume.breachAt === null ? undefined : Date.parse(volume.breachAt) / 1000),
  },
  {
    name: "restore_points",
    help: "Usable backups of the volume kept now.",
    value: ({ volume }) => volume.restorePoints,
  },
  {
    name: "restore_points_expected",
    help: "Restore points the retention promises, capped by the runs since the plan was created.",
    value: ({ volume }) => volume.restorePointsExpected ?? undefined,
  },
  {
    name: "failed_backups",
    help: "Backups of the volume that ended in error within the look-back.",
    value: ({ volume }) => volume.failedBackups,
  },
  {
    name: "orphaned_incrementals",
    help: "Incremental backups of the volume whose full backup is gone (not restorable).",
    value: ({ volume }) => volume.orphanedIncrementals,
  },
];

const PLAN_METRICS: Metric<PlanHealth>[] = [
  {
    name: "plan_suspended",
    help: "1 when the plan is suspended (takes no backups), else 0.",
    value: (p) => flag(p.suspended),
  },
  {
    name: "longest_gap_seconds",
    help: "The schedule's longest gap between two runs.",
    value: (p) => seconds(p.longestGapMinutes),
  },
  {
    name: "rpo_seconds",
    help: "Longest gap plus the slack: the age at which a backup is overdue.",
    value: (p) => seconds(p.rpoMinutes),
  },
  {
    name: "expected_runs",
    help: "Scheduled runs in the judged window that should have made a checkpoint.",
    value: (p) => p.expectedRuns,
  },
  {
    name: "missed_runs",
    help: "Scheduled runs in the judged window that made no checkpoint.",
    value: (p) => p.missedRuns,
  },
];

/** Label values escaped as the format requires: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabelValue(v)}"`);
  return `${PREFIX}${name}${pairs.length === 0 ? "" : `{${pairs.join(",")}}`} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return String(value);
}

function family<Row>(lines: string[], metric: Metric<Row>, rows: readonly Row[], labels: (row: Row) => Labels): void {
  lines.push(`# HELP ${PREFIX}${metric.name} ${metric.help}`, `# TYPE ${PREFIX}${metric.name} gauge`);
  for (const row of rows) {
    const value = metric.value(row);
    if (value !== undefined) lines.push(sample(metric.name, labels(row), value));
  }
}

export function renderPrometheus(report: HealthReport): string {
  const lines: string[] = [];
  const volumes: VolumeRow[] = report.plans.flatMap((plan) => plan.volumes.map((volume) => ({ plan, volume })));
  for (const metric of VOLUME_METRICS)
    family(lines, metric, volumes, (r) => ({ plan: r.plan.planName, volume: r.volume.volumeName }));
  for (const metric of PLAN_METRICS) family(lines, metric, report.plans, (p) => ({ plan: p.planName }));
  family(
    lines,
    { name: "breaches", help: "Volumes in breach across the reported plans.", value: (r: HealthReport) => r.breaches },
    [report],
    () => ({}),
  );
  family(
    lines,
    {
      name: "report_timestamp_seconds",
      help: "The time the report is for, as Unix seconds.",
      value: (r: HealthReport) => Date.parse(r.at) / 1000,
    },
    [report],
    () => ({}),
  );
  return `${lines.join("\n")}\n`;
}
