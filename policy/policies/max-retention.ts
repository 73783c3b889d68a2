import { z } from "zod";
import { retention } from "../../provider/schedule";
import { MAX_BACKUPS } from "../../provider/rules";
import { defineResourcePolicy } from "../core/definition";
import { formatDays, formatDaysLimit } from "../core/format";
import { keptWords } from "./min-retention";

/** Backups are not kept longer than needed (cost and data minimisation). */
export const maxRetention = defineResourcePolicy({
  key: "maxRetention",
  name: "max-retention",
  description:
    "A backup plan should not keep backups reaching back further than the maximum retention (400 days by default).",
  severity: "low",
  remediationSteps:
    "Lower `maxBackups` so that the guaranteed look-back stays within `maxRetentionDays`, " +
    "or raise the limit for plans that must keep data longer.",
  defaultLevel: "advisory",
  schema: z
    .object({
      maxRetentionDays: z
        .number()
        .min(1)
        .max(36600)
        .default(400)
        .describe("Longest look-back a plan may keep, in days."),
    })
    .strict(),
  validate(plan, config, report, args) {
    const analysis = plan.requireAnalysis(args);
    const { mode, maxBackups } = plan.requireRetentionInputs(args);
    const limitMinutes = config.maxRetentionDays * 1440;
    const r = retention(analysis, mode, Math.min(maxBackups, MAX_BACKUPS[mode]));
    if (r.lookBackMinutes <= limitMinutes) return;
    let largest = 0;
    for (let n = Math.min(maxBackups, MAX_BACKUPS[mode]) - 1; n >= 1; n--) {
      if (retention(analysis, mode, n).lookBackMinutes <= limitMinutes) {
        largest = n;
        break;
      }
    }
    const fix =
      largest > 0
        ? `lower \`maxBackups\` to ${largest} or fewer`
        : "run the plan more often or raise maxRetentionDays: even one kept backup reaches further";
    report(
      `plan \`${plan.label}\` keeps ${keptWords(mode, maxBackups)}` +
        ` of a schedule that runs ${analysis.description}, reaching back ${formatDays(r.lookBackMinutes)}; ` +
        `the limit is ${formatDaysLimit(config.maxRetentionDays)}: ${fix}`,
    );
  },
});
