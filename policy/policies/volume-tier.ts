import { z } from "zod";
import { executionWindowMinutes } from "../core/schema";
import { defineStackPolicy } from "../core/definition";
import { formatDays, formatDaysLimit, formatHoursLimit, formatMinutes, listWords, quoted } from "../core/format";
import { retentionOf } from "../core/plan";
import { unionMaxGapMinutes } from "../core/runs";
import {
  Coverage,
  DEFAULT_VOLUME_TYPES,
  isStarted,
  plansOf,
  volumeLabel,
  volumeMetadata,
  volumesOf,
} from "../core/stack";
import type { StackPlan } from "../core/stack";
import { patternWithin } from "./max-rpo";

const tier = z
  .object({
    maxRpoHours: z.number().min(1).max(8784).describe("Longest tolerated data loss for the tier, in hours."),
    minRetentionDays: z.number().min(0).max(36600).describe("Shortest guaranteed look-back for the tier, in days."),
  })
  .strict();

/** A plan whose schedule and retention inputs are usable (`PlanView` keeps both once worked out). */
function isUsable(plan: StackPlan): boolean {
  // Both are read, the schedule first, as the plan is judged.
  const analysis = plan.view.analysis();
  const inputs = plan.view.retentionInputs();
  return analysis !== undefined && inputs !== undefined;
}

/** What the union of usable plans guarantees: the tightest merged gap and the farthest look-back among them. */
function protectionOf(
  plans: readonly StackPlan[],
  windowMinutes: number,
): { rpoMinutes: number | null; lookBackMinutes: number } {
  let gap: number | null;
  if (plans.length === 1) gap = plans[0]!.view.analysis()!.maxGap?.minutes ?? null;
  else {
    // The merged schedule is sampled over a shorter span than the analysis horizon; no single plan's
    // exact worst gap can be beaten by merging, so the tighter of the two figures is kept.
    gap = unionMaxGapMinutes(plans.map((plan) => plan.view.analysis()!.pattern));
    for (const plan of plans) {
      const own = plan.view.analysis()!.maxGap?.minutes ?? null;
      if (own !== null && (gap === null || own < gap)) gap = own;
    }
  }
  let lookBackMinutes = -Infinity;
  for (const plan of plans) {
    const { mode, maxBackups } = plan.view.retentionInputs()!;
    lookBackMinutes = Math.max(lookBackMinutes, retentionOf(plan.view.analysis()!, mode, maxBackups).lookBackMinutes);
  }
  return { rpoMinutes: gap === null ? null : gap + windowMinutes, lookBackMinutes };
}

/** Per volume, the plans protecting it together meet the RPO and retention of the volume's tier. */
export const volumeTier = defineStackPolicy({
  key: "volumeTier",
  name: "volume-tier",
  description:
    "The plans protecting a volume must together meet the recovery point " +
    "objective and retention of the tier in its `backup:tier` metadata (gold 4 h / 35 days, " +
    "silver 24 h / 14 days, bronze 168 h / 7 days).",
  severity: "high",
  remediationSteps:
    "Run a plan covering the volume often enough for the tier's RPO and keep enough " +
    "backups for its retention, or move the volume to a lower tier in its `backup:tier` metadata.",
  defaultLevel: "mandatory",
  schema: z
    .object({
      tiers: z
        .record(z.string().min(1), tier)
        .default({
          gold: { maxRpoHours: 4, minRetentionDays: 35 },
          silver: { maxRpoHours: 24, minRetentionDays: 14 },
          bronze: { maxRpoHours: 168, minRetentionDays: 7 },
        })
        .describe("Tiers by name: the RPO and retention each one requires."),
      tierMetadataKey: z
        .string()
        .min(1)
        .default("backup:tier")
        .describe("Volume metadata key naming the volume's tier."),
      defaultTier: z
        .string()
        .min(1)
        .optional()
        .describe("Tier of volumes without the metadata key; unset means such volumes are not checked."),
      volumeTypes: z
        .array(z.string().min(1))
        .default([...DEFAULT_VOLUME_TYPES])
        .describe("Resource types counted as block volumes."),
      executionWindowMinutes: executionWindowMinutes
        .default(0)
        .describe("Opt-in: how late after its nominal time a run may start, added to the longest gap (as in max-rpo)."),
      countSuspended: z
        .boolean()
        .default(false)
        .describe("Whether suspended plans count towards a volume's protection."),
    })
    .strict(),
  validate(resources, config, report, args) {
    if (config.defaultTier !== undefined && config.tiers[config.defaultTier] === undefined) {
      throw new Error(
        `policy \`volume-tier\`: defaultTier \`${config.defaultTier}\` is not one of the configured ` +
          `tiers (${Object.keys(config.tiers).join(", ")}): add it to \`tiers\` or pick one of them`,
      );
    }
    const volumes = volumesOf(resources, config.volumeTypes);
    // Each volume's tier, by position (undefined: not checked); every volume's metadata is read first.
    const tierNames: (string | undefined)[] = [];
    let tiered = 0;
    for (const volume of volumes) {
      const value = volumeMetadata(volume, config.tierMetadataKey);
      const tierName = typeof value === "string" && value.trim() !== "" ? value.trim() : config.defaultTier;
      tierNames.push(tierName);
      if (tierName !== undefined) tiered++;
    }
    if (tiered === 0) return args.notApplicable("no volume names a tier and no defaultTier is configured");
    const coverage = new Coverage(plansOf(resources), volumes);
    // What a failing volume's messages say about its tier, worded once per tier.
    const tierWords = new Map<string, { text: string; fix: string }>();
    const wordsFor = (tierName: string, required: { maxRpoHours: number; minRetentionDays: number }) => {
      let words = tierWords.get(tierName);
      if (words === undefined) {
        const pattern = patternWithin(required.maxRpoHours * 60, config.executionWindowMinutes, 0, 0);
        words = {
          text:
            `tier \`${tierName}\`: ${formatHoursLimit(required.maxRpoHours)} RPO, ` +
            `${formatDaysLimit(required.minRetentionDays)} retention`,
          fix:
            pattern === undefined
              ? "lower the volume's tier"
              : `run a plan covering it at least as often as \`${pattern}\`, or lower the volume's tier`,
        };
        tierWords.set(tierName, words);
      }
      return words;
    };
    for (let v = 0; v < volumes.length; v++) {
      const tierName = tierNames[v];
      if (tierName === undefined) continue;
      const volume = volumes[v]!;
      const required = config.tiers[tierName];
      if (required === undefined) {
        report(
          `volume \`${volumeLabel(volume)}\` names tier \`${tierName}\` in \`${config.tierMetadataKey}\`, ` +
            `which is not configured: use one of ${listWords(quoted(Object.keys(config.tiers)))}`,
          volume.urn,
        );
        continue;
      }
      // Every status is read before any schedule: in preview, the first unknown read names the value.
      const started = coverage.plansCovering(volume).filter((plan) => config.countSuspended || isStarted(plan));
      const usable = started.filter(isUsable);
      if (usable.length === 0) continue; // volume-coverage and the resource policies report these
      const protection = protectionOf(usable, config.executionWindowMinutes);
      const limitMinutes = required.maxRpoHours * 60;
      const rpoFails = protection.rpoMinutes === null || protection.rpoMinutes > limitMinutes;
      const lookBackFails = protection.lookBackMinutes < required.minRetentionDays * 1440;
      // Names are read (through the analyzer's proxy) and messages built only for a volume that fails.
      if (!rpoFails && !lookBackFails) continue;
      const label = volumeLabel(volume);
      const names = listWords(quoted(usable.map((plan) => plan.view.label)));
      const { text: tierText, fix } = wordsFor(tierName, required);
      if (rpoFails) {
        const measured = protection.rpoMinutes === null ? "an unbounded" : `a ${formatMinutes(protection.rpoMinutes)}`;
        const window =
          config.executionWindowMinutes > 0
            ? ` plus the ${formatMinutes(config.executionWindowMinutes)} execution window`
            : "";
        report(
          `volume \`${label}\` (${tierText}) gets ${measured} recovery point from ${names} (longest ` +
            `gap${window}); the tier allows ${formatHoursLimit(required.maxRpoHours)}: ${fix}`,
          volume.urn,
        );
      }
      if (lookBackFails) {
        report(
          `volume \`${label}\` (${tierText}) can be restored only ${formatDays(protection.lookBackMinutes)}` +
            ` back with ${names}; the tier needs ${formatDaysLimit(required.minRetentionDays)}: ` +
            `raise \`maxBackups\` of a plan covering it, or lower the volume's tier`,
          volume.urn,
        );
      }
    }
  },
});
