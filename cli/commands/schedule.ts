// `schedule explain`: what a pattern really guarantees, computed by the same pure module the provider's
// check and the policy pack use. Needs no API and no credentials.
import type { Plan } from "../../provider/api";
import { checkMaxBackups } from "../../provider/rules";
import { BACKUP_PLAN } from "../../provider/fields/backupPlan";
import { BACKUP_MODES, SCHEDULE_TYPES } from "../../provider/fields/values";
import {
  ScheduleError,
  analyzeSchedule,
  nextRuns,
  retention,
  validateSchedule,
  type BackupMode,
  type Gap,
  type Retention,
  type ScheduleType,
} from "../../provider/schedule";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { writeJson } from "../io";
import { integerFlag, oneOfFlag, stringFlag } from "../options";
import { formatMinutes, formatTime, renderFields } from "../table";

const DEFAULT_NEXT_RUNS = 5;

export interface ScheduleExplanation {
  type: ScheduleType;
  pattern: string;
  description: string;
  firesPerYear: number;
  minGap: Gap | null;
  maxGap: Gap | null;
  weekdays: number[];
  nextRuns: Date[];
  retention?: Retention & { mode: BackupMode; maxBackups: number };
}

/** Pure: validation problems become one UsageError listing each with its fix. */
export function explainSchedule(
  type: ScheduleType,
  pattern: string,
  after: Date,
  count: number,
  keep?: { mode: BackupMode; maxBackups: number },
): ScheduleExplanation {
  const problems = validateSchedule(type, pattern);
  if (problems.length > 0) throw new ScheduleError(pattern, problems);
  if (keep !== undefined) {
    const keepProblems = checkMaxBackups(keep.mode, keep.maxBackups);
    if (keepProblems.length > 0) {
      throw new UsageError(keepProblems.map((p) => inFlagWords(`${p.message}; ${p.fix}`)).join("\n"));
    }
  }
  const analysis = analyzeSchedule(type, pattern);
  const explanation: ScheduleExplanation = {
    type,
    pattern,
    description: analysis.description,
    firesPerYear: analysis.firesPerYear,
    minGap: analysis.minGap,
    maxGap: analysis.maxGap,
    weekdays: analysis.weekdays,
    nextRuns: nextRuns(pattern, after, count),
  };
  if (keep !== undefined) explanation.retention = { ...retention(analysis, keep.mode, keep.maxBackups), ...keep };
  return explanation;
}

/** The shared rules speak the API's field names; on this command line they are flags. */
function inFlagWords(text: string): string {
  return text
    .replace(/backup_mode `(\w+)`/g, "--mode $1")
    .replace(/\bbackup_mode\b/g, "--mode")
    .replace(/\bmax_backups\b/g, "--max-backups");
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Whole runs per year, or for rarer patterns (Feb 29, a day-of-month some years lack) how rare they are. */
function runsPerYear(firesPerYear: number): string {
  if (firesPerYear >= 1 || firesPerYear === 0) return String(Math.round(firesPerYear));
  return `${firesPerYear.toFixed(2)}: one run every ${plural(Math.round(1 / firesPerYear), "year")}`;
}

function formatGap(gap: Gap | null): string {
  if (gap === null) return "- (fires fewer than twice in the 8-year horizon)";
  return `${formatMinutes(gap.minutes)} (${formatTime(gap.from)} → ${formatTime(gap.to)})`;
}

function retentionLine(r: Retention, mode: BackupMode, maxBackups: number): string {
  const kept = mode === "full" ? plural(maxBackups, "full backup") : `${plural(maxBackups, "chain")} of 7`;
  const reach =
    r.lookBackMinutes === 0
      ? "(only the newest backup: no look-back)"
      : `reaching back ${formatMinutes(r.lookBackMinutes)}`;
  return `${kept}: at least ${plural(r.restorePoints, "restore point")} ${reach}`;
}

export function explanationFields(e: ScheduleExplanation): [string, string][] {
  const fields: [string, string][] = [
    ["pattern", `${e.pattern} (${e.type}, UTC)`],
    ["in words", e.description],
    ["runs per year", runsPerYear(e.firesPerYear)],
    ["shortest gap", formatGap(e.minGap)],
    ["longest gap", `${formatGap(e.maxGap)}${e.maxGap === null ? "" : "  = the RPO, plus the backup's own run time"}`],
  ];
  if (e.retention !== undefined)
    fields.push(["retention", retentionLine(e.retention, e.retention.mode, e.retention.maxBackups)]);
  e.nextRuns.forEach((run, i) => fields.push([i === 0 ? "next runs" : "", formatTime(run)]));
  return fields;
}

/** The schedule block of `plans get`; a plan whose stored schedule no longer validates says so. */
export function explainPlanSchedule(plan: Plan, now: Date): [string, string][] {
  const type = plan.schedule_type === "calendar" ? "calendar" : "crontab";
  const mode = plan.backup_mode === "frequency" ? "frequency" : "full";
  try {
    const e = explainSchedule(type, plan.schedule_pattern, now, 3, { mode, maxBackups: plan.max_backups });
    return explanationFields(e).filter(([key]) => key !== "pattern");
  } catch (err) {
    return [["schedule problem", err instanceof Error ? err.message.replace(/\n\s*/g, " ") : String(err)]];
  }
}

export const scheduleExplain: Command = {
  words: ["schedule", "explain"],
  summary: "next runs, shortest/longest gap (RPO) and retention of a pattern (offline)",
  usage:
    "PATTERN [--type crontab|calendar] [--max-backups N [--mode full|frequency]] [--count N] [--after TIME] [--json]",
  details: `  PATTERN              five cron fields in UTC, quoted: '0 2 * * *'
  --type T             crontab (default) or calendar (the console's weekly form)
  --max-backups N      also compute retention: restore points and look-back
  --mode M             full (default) or frequency (chains of a full + 6 incrementals)
  --count N            how many next runs to list (default ${DEFAULT_NEXT_RUNS}, at most 100)
  --after TIME         list runs after this ISO 8601 time instead of now
  Gaps are measured over 8 years from 2024-01-01 UTC, so monthly and Feb-29 patterns count.`,
  options: {
    type: { type: "string" },
    "max-backups": { type: "string" },
    mode: { type: "string" },
    count: { type: "string" },
    after: { type: "string" },
  },
  positionals: ["PATTERN"],
  usesApi: false,
  async run(ctx) {
    const pattern = ctx.args[0] ?? "";
    const type = oneOfFlag(ctx.values, "type", SCHEDULE_TYPES) ?? BACKUP_PLAN.scheduleType.default;
    const mode = oneOfFlag(ctx.values, "mode", BACKUP_MODES);
    const maxBackups = integerFlag(ctx.values, "max-backups", { min: 1 });
    if (mode !== undefined && maxBackups === undefined) {
      throw new UsageError("--mode needs --max-backups: retention depends on how many backups are kept");
    }
    const count = integerFlag(ctx.values, "count", { min: 1, max: 100 }) ?? DEFAULT_NEXT_RUNS;
    const afterRaw = stringFlag(ctx.values, "after");
    const after = afterRaw === undefined ? ctx.io.now() : new Date(afterRaw);
    if (Number.isNaN(after.getTime())) {
      throw new UsageError(`--after must be an ISO 8601 time such as 2025-01-01T00:00:00Z, got \`${afterRaw ?? ""}\``);
    }
    const keep = maxBackups === undefined ? undefined : { mode: mode ?? "full", maxBackups };
    const explanation = explainSchedule(type, pattern, after, count, keep);
    if (ctx.json) return writeJson(ctx.io.stdout, explanation);
    ctx.io.stdout.write(renderFields(explanationFields(explanation)));
  },
};
