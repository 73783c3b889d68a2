import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { listWords, quoted } from "../core/format";
import { coverageOfVolumes, DEFAULT_VOLUME_TYPES, volumeLabel } from "../core/stack";
import type { StackPlan } from "../core/stack";

/** Plans fire at the same times when their patterns match field for field, whatever the schedule type. */
function scheduleKey(pattern: string): string {
  return pattern.trim().split(/\s+/).join(" ");
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
    // A stack's plans share a few patterns: each is normalized once.
    const keys = new Map<string, string>();
    const keyOf = (plan: StackPlan): string | undefined => {
      const pattern = plan.view.schedulePattern;
      if (typeof pattern !== "string") return undefined;
      let key = keys.get(pattern);
      if (key === undefined) keys.set(pattern, (key = scheduleKey(pattern)));
      return key;
    };
    for (const volume of volumes) {
      const covering = coverage.plansCovering(volume);
      if (covering.length <= config.maxPlansPerVolume) {
        // No schedule is shared by more plans than protect the volume. The patterns are read all the same:
        // in preview an unknown one stops the policy, as when the plans are grouped.
        for (const plan of covering) keyOf(plan);
        continue;
      }
      const bySchedule = new Map<string, StackPlan[]>();
      for (const plan of covering) {
        const key = keyOf(plan);
        if (key === undefined) continue;
        const same = bySchedule.get(key);
        if (same === undefined) bySchedule.set(key, [plan]);
        else same.push(plan);
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
