// Faults of the simulated scheduler (not of HTTP requests): a scheduled run of a named plan can fail (its
// backups end `error`) or be skipped (no checkpoint at all), by rate, so that backup health is tested on
// histories with failures and gaps. Configured under `backups` in PUT /_emulator/faults.
import { z } from "zod";

const BACKUP_OUTCOMES = ["error", "skip"] as const;
export type BackupOutcome = (typeof BACKUP_OUTCOMES)[number];

export const backupRuleSchema = z.strictObject({
  /** The plan's exact name. */
  plan: z.string().min(1),
  /** `error`: the run makes its checkpoint but every backup in it ends `error`; `skip`: the run makes nothing. */
  outcome: z.enum(BACKUP_OUTCOMES),
  /** Probability per run (default 1: every run). */
  rate: z.number().min(0).max(1).optional(),
  /** How many runs the rule hits at most. */
  times: z.number().int().min(1).optional(),
});
type BackupRule = z.infer<typeof backupRuleSchema>;

/**
 * Mixed into the seed so that the runs' random stream is apart from the requests': adding a backup rule
 * never changes which requests the HTTP rules hit for the same seed.
 */
export const BACKUP_STREAM = 0x5bd1e995;

/** Decides each scheduled run's fate; the first hitting rule for the plan wins. */
export class BackupFaults {
  private rules: { rule: BackupRule; remaining: number }[] = [];
  private random: () => number = Math.random;

  /** `random`: the deterministic PRNG of the faults' seed (mixed with BACKUP_STREAM). */
  configure(rules: readonly BackupRule[], random: () => number): void {
    this.rules = rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }));
    this.random = random;
  }

  /** Firings left per rule (null: unlimited), in rule order. */
  remaining(): (number | null)[] {
    return this.rules.map((live) => (Number.isFinite(live.remaining) ? live.remaining : null));
  }

  outcome(planName: string): BackupOutcome | undefined {
    for (const live of this.rules) {
      if (live.rule.plan !== planName || live.remaining <= 0) continue;
      if (live.rule.rate !== undefined && this.random() >= live.rule.rate) continue;
      live.remaining -= 1;
      return live.rule.outcome;
    }
    return undefined;
  }
}
