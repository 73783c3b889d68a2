import { z } from "zod";
import { MAX_BACKUPS } from "../../provider/rules";
import { defineResourcePolicy } from "../core/definition";

/** Frequency mode keeps enough chains that rotating out the oldest never leaves only a partial chain. */
export const frequencyChains = defineResourcePolicy({
  key: "frequencyChains",
  name: "frequency-chains",
  description:
    "A frequency-mode backup plan should keep at least 2 chains: with one, " +
    "rotating it out leaves only the new, partial chain to restore from.",
  severity: "medium",
  remediationSteps:
    "Set `maxBackups` to 2 or more in frequency mode (each chain is one full " +
    "backup and up to 6 incrementals), or use full mode.",
  defaultLevel: "advisory",
  schema: z
    .object({
      minChains: z
        .number()
        .int()
        .min(1)
        .max(MAX_BACKUPS.frequency)
        .default(2)
        .describe("Fewest incremental chains a frequency-mode plan should keep."),
    })
    .strict(),
  validate(plan, config, report, args) {
    if (plan.backupMode !== "frequency") return args.notApplicable("the plan is not in frequency mode");
    const chains = plan.maxBackups;
    if (typeof chains !== "number" || !Number.isInteger(chains) || chains < 1) {
      return args.notApplicable("maxBackups is invalid (reported by max-backups-range)");
    }
    if (chains >= config.minChains) return;
    report(
      `plan \`${plan.label}\` keeps ${chains} incremental ${chains === 1 ? "chain" : "chains"} in frequency ` +
        `mode; right after a rotation only the newest, ` +
        `partial chain is left (a restore needs its full backup and every incremental after it); ` +
        `the minimum is ${config.minChains} chains: set \`maxBackups\` to ${config.minChains} or more`,
    );
  },
});
