import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { listWords, quoted } from "../core/format";
import { coverageOfVolumes, DEFAULT_VOLUME_TYPES, isStarted, volumeLabel, volumeMetadata } from "../core/stack";

const BARE_WORDS = new Set(["", "true", "yes", "1", "y", "on", "exempt"]);

/** Whether an exemption value gives a reason (not just a flag). */
function exemptionReason(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  return BARE_WORDS.has(text.toLowerCase()) ? undefined : text;
}

/** Every block volume in the stack is protected by at least one started plan, or exempt with a reason. */
export const volumeCoverage = defineStackPolicy({
  key: "volumeCoverage",
  name: "volume-coverage",
  description:
    "Every block volume in the stack must be protected by at least one started backup plan, " +
    "unless its metadata has `backup:exempt` set to a reason.",
  severity: "high",
  remediationSteps:
    "Add the volume to a started plan's `resources` (`{ id: volume.id, name: volume.name }`), " +
    "or set the volume's metadata `backup:exempt` to why it needs no backup (e.g. " +
    "`scratch space, rebuilt from images`).",
  defaultLevel: "mandatory",
  schema: z
    .object({
      volumeTypes: z
        .array(z.string().min(1))
        .default([...DEFAULT_VOLUME_TYPES])
        .describe("Resource types counted as block volumes."),
      exemptMetadataKey: z
        .string()
        .min(1)
        .default("backup:exempt")
        .describe("Volume metadata key whose value, a reason, exempts the volume."),
      countSuspended: z.boolean().default(false).describe("Whether a suspended plan counts as protecting its volumes."),
    })
    .strict(),
  validate(resources, config, report, args) {
    const { volumes, coverage } = coverageOfVolumes(resources, config.volumeTypes, args);
    for (const volume of volumes) {
      const exemption = volumeMetadata(volume, config.exemptMetadataKey);
      if (exemption !== undefined) {
        if (exemptionReason(exemption) !== undefined) continue;
        report(
          `volume \`${volumeLabel(volume)}\` sets \`${config.exemptMetadataKey}\` without a reason: ` +
            `set it to why the volume needs no backup (e.g. \`scratch space, rebuilt from images\`) ` +
            `or add the volume to a started plan`,
          volume.urn,
        );
        continue;
      }
      // A started plan depending on the volume settles it: no plan's ids need reading.
      if (coverage.plansDependingOn(volume).some((plan) => config.countSuspended || isStarted(plan))) continue;
      const covering = coverage.plansCovering(volume);
      if (covering.length === 0) {
        report(
          `volume \`${volumeLabel(volume)}\` is not in any backup plan: ` +
            `add it to a started plan's \`resources\` (\`{ id: volume.id, name: volume.name }\`) ` +
            `or set its metadata \`${config.exemptMetadataKey}\` to the reason it needs no backup`,
          volume.urn,
        );
        continue;
      }
      if (config.countSuspended || covering.some(isStarted)) continue;
      const names = quoted(covering.map((plan) => plan.view.label));
      report(
        `volume \`${volumeLabel(volume)}\` is only in suspended ${covering.length === 1 ? "plan" : "plans"}` +
          ` ${listWords(names)}, so nothing backs it up: ` +
          `start ${covering.length === 1 ? "that plan" : "one of them"} (\`status: "started"\`) ` +
          `or add the volume to a started plan`,
        volume.urn,
      );
    }
  },
});
