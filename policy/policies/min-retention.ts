import { z } from "zod";
import { retention } from "../../provider/schedule";
import type { BackupMode, ScheduleAnalysis } from "../../provider/schedule";
import { MAX_BACKUPS } from "../../provider/rules";
import { defineResourcePolicy } from "../core/definition";
import { formatDays, formatDaysLimit } from "../core/format";

/** Smallest maxBackups (within the service's limit) that satisfies `enough`, or undefined when none does. */
function smallestMaxBackups(
  analysis: ScheduleAnalysis,
  mode: BackupMode,
  enough: (lookBackMinutes: number, restorePoints: number) => boolean,
): number | undefined {
  for (let n = 1; n <= MAX_BACKUPS[mode]; n++) {
    const r = retention(analysis, mode, n);
    if (enough(r.lookBackMinutes, r.restorePoints)) return n;
  }
  return undefined;
}

export function keptWords(mode: BackupMode, maxBackups: number): string {
  return mode === "full"
    ? `${maxBackups} full ${maxBackups === 1 ? "backup" : "backups"}`
    : `${maxBackups} incremental ${maxBackups === 1 ? "chain" : "chains"}`;
}

/** Restores reach far enough back: guaranteed look-back and restore points right after the worst-case prune. */
export const minRetention = defineResourcePolicy({
  key: "minRetention",
  name: "min-retention",
  description:
    "A backup plan must guarantee restores reaching back at least the minimum retention (7 days by default) " +
    "with at least 3 restore points, counted right after the oldest backup is pruned.",
  severity: "high",
  remediationSteps:
    "Raise `maxBackups` (N full backups cover N-1 gaps: a daily plan needs 8 for a 7-day look-back; " +
    "in frequency mode N chains guarantee (N-1)*7+1 runs), or run the plan more often.",
  defaultLevel: "mandatory",
  schema: z
    .object({
      minRetentionDays: z
        .number()
        .min(0)
        .max(3660)
        .default(7)
        .describe("Shortest guaranteed look-back of restores, in days."),
      minRestorePoints: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(3)
        .describe("Fewest backups guaranteed to exist right after pruning."),
    })
    .strict(),
  validate(plan, config, report, args) {
    const analysis = plan.requireAnalysis(args);
    const { mode, maxBackups } = plan.requireRetentionInputs(args);
    const r = retention(analysis, mode, maxBackups);
    const minMinutes = config.minRetentionDays * 1440;
    const fixed = smallestMaxBackups(
      analysis,
      mode,
      (lookBack, points) => lookBack >= minMinutes && points >= config.minRestorePoints,
    );
    const fix =
      fixed !== undefined && fixed <= MAX_BACKUPS[mode]
        ? `set \`maxBackups\` to ${fixed} or more`
        : `even the service's maximum of ${keptWords(mode, MAX_BACKUPS[mode])} falls short: run the plan more often`;
    const kept = `keeps ${keptWords(mode, maxBackups)} of a schedule that runs ${analysis.description}`;
    if (r.lookBackMinutes < minMinutes) {
      const why =
        mode === "full"
          ? ` (${maxBackups} ${maxBackups === 1 ? "backup covers" : "backups cover"} ${maxBackups - 1}` +
            ` ${maxBackups - 1 === 1 ? "gap" : "gaps"})`
          : " right after the oldest chain is rotated out";
      report(
        `plan \`${plan.label}\` ${kept}, so restores are guaranteed to reach back ` +
          `only ${formatDays(r.lookBackMinutes)}${why}; ` +
          `the minimum is ${formatDaysLimit(config.minRetentionDays)}: ${fix}`,
      );
    }
    if (r.restorePoints < config.minRestorePoints) {
      report(
        `plan \`${plan.label}\` ${kept}, so only ${r.restorePoints}` +
          ` restore ${r.restorePoints === 1 ? "point is" : "points are"} guaranteed right after pruning; ` +
          `the minimum is ${config.minRestorePoints}: ${fix}`,
      );
    }
  },
});
