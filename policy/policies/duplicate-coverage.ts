import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { listWords, quoted } from "../core/format";
import { coverageOfVolumes, DEFAULT_VOLUME_TYPES, volumeLabel } from "../core/stack";
import type { StackPlan } from "../core/stack";

/** Plans fire at the same times when their patterns match field for field, whatever the schedule type. */
function scheduleKey(plan: StackPlan): string | undefined {
  const pattern = plan.view.schedulePattern;
  return typeof pattern === "string" ? pattern.trim().split(/\s+/).join(" ") : undefined;
}

/** A volume protected twice on the same schedule doubles storage without adding a recovery point. */
export const duplicateCoverage = defineStackPolicy({
  key: "duplicateCoverage",
  name: "duplicate-coverage",
  description:
    "A volume should not be in more plans with the same schedule than allowed (1 by default): " +
    "the extra plans double storage without adding recovery points.",
  severity: "medium",
  remediationSteps:
    "Remove the volume from all but one of the plans that share a schedule, " +
    "or give the plans different schedules (for example daily plus monthly).",
  defaultLevel: "advisory",
  schema: z
    .object({
      maxPlansPerVolume: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(1)
        .describe("Most plans with the same schedule that may protect one volume."),
      volumeTypes: z
        .array(z.string().min(1))
        .default([...DEFAULT_VOLUME_TYPES])
        .describe("Resource types counted as block volumes."),
    })
    .strict(),
  validate(resources, config, report, args) {
    const { volumes, coverage } = coverageOfVolumes(resources, config.volumeTypes, args);
    for (const volume of volumes) {
      const bySchedule = new Map<string, StackPlan[]>();
      for (const plan of coverage.plansCovering(volume)) {
        const key = scheduleKey(plan);
        if (key === undefined) continue;
        bySchedule.set(key, [...(bySchedule.get(key) ?? []), plan]);
      }
      for (const [pattern, plans] of bySchedule) {
        if (plans.length <= config.maxPlansPerVolume) continue;
        report(
          `volume \`${volumeLabel(volume)}\` is in ${plans.length} plans with the same schedule ` +
            `\`${pattern}\` (${listWords(quoted(plans.map((plan) => plan.view.label)))}); ` +
            `at most ${config.maxPlansPerVolume} ${config.maxPlansPerVolume === 1 ? "is" : "are"} useful: ` +
            `remove it from the extra plans or give them different schedules`,
          volume.urn,
        );
      }
    }
  },
});
