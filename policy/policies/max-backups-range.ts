import { z } from "zod";
import { checkBackupMode, checkMaxBackups, MAX_BACKUPS } from "../../provider/rules";
import { defineResourcePolicy } from "../core/definition";
import { camelizeText, propertyPath } from "../../provider/mapping";

/** maxBackups within the service's limits (90 full backups, 14 chains), or tighter ones the team sets. */
export const maxBackupsRange = defineResourcePolicy({
  key: "maxBackupsRange",
  name: "max-backups-range",
  // Kept word for word: the root README's policy table is generated from it (tests/readme.test.ts).
  description:
    "A backup plan's `maxBackups` must be between 1 and the limit of its mode: 90 full backups, " +
    "or 14 incremental chains in frequency mode (configurable tighter).",
  severity: "high",
  remediationSteps:
    "Set `backupMode` to `full` or `frequency` and `maxBackups` to a whole number " +
    "from 1 to `maxFullBackups` (full) or `maxFrequencyChains` (frequency).",
  defaultLevel: "mandatory",
  schema: z
    .object({
      maxFullBackups: z
        .number()
        .int()
        .min(1)
        .max(MAX_BACKUPS.full)
        .default(MAX_BACKUPS.full)
        .describe("Largest maxBackups allowed in full mode (the service allows 90)."),
      maxFrequencyChains: z
        .number()
        .int()
        .min(1)
        .max(MAX_BACKUPS.frequency)
        .default(MAX_BACKUPS.frequency)
        .describe("Largest maxBackups (chains) allowed in frequency mode (the service allows 14)."),
    })
    .strict(),
  validate(plan, config, report) {
    const mode = plan.backupMode;
    const maxBackups = plan.maxBackups;
    const problems = [...checkBackupMode(mode), ...checkMaxBackups(typeof mode === "string" ? mode : "", maxBackups)];
    for (const problem of problems) {
      report(
        `plan \`${plan.label}\` has an invalid \`${propertyPath(problem.path)}\`: ` +
          `${camelizeText(problem.message)}: ${camelizeText(problem.fix)}`,
      );
    }
    if (problems.length > 0 || typeof maxBackups !== "number") return;
    const limit =
      mode === "full" ? config.maxFullBackups : mode === "frequency" ? config.maxFrequencyChains : undefined;
    if (limit === undefined || maxBackups <= limit) return;
    const unit = mode === "full" ? "full backups" : "chains";
    const key = mode === "full" ? "maxFullBackups" : "maxFrequencyChains";
    report(
      `plan \`${plan.label}\` keeps ${maxBackups} ${unit} (\`maxBackups\`); ` +
        `this pack allows at most ${limit} in ${String(mode)} mode (\`${key}\`): ` +
        `set \`maxBackups\` to ${limit} or fewer`,
    );
  },
});
