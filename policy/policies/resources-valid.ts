import { z } from "zod";
import { checkResources, RESOURCE_TYPES } from "../../provider/rules";
import { defineResourcePolicy } from "../core/definition";
import { camelizeText, propertyPath } from "../../provider/mapping";
import { plain } from "../core/plan";

/** The volumes a plan protects: present, of an allowed type, with GUID ids, each listed once. */
export const resourcesValid = defineResourcePolicy({
  key: "resourcesValid",
  name: "resources-valid",
  description:
    "A backup plan must protect at least one volume; " +
    "every entry of `resources` needs an allowed type (`OS::Cinder::Volume`), a GUID id and a name, " +
    "and no volume may be listed twice.",
  severity: "high",
  remediationSteps:
    "List each volume once in `resources` as `{ id: volume.id, name: volume.name }`, " +
    "using the volume's id (a GUID) rather than its name.",
  defaultLevel: "mandatory",
  schema: z
    .object({
      requireGuidIds: z
        .boolean()
        .default(true)
        .describe("Require every resource id to be a GUID (volume ids always are; names are not)."),
    })
    .strict(),
  validate(plan, config, report) {
    // Read every entry through the proxy: an id that is unknown in preview stops the policy here, as
    // @pulumi/policy expects, instead of reaching the rules as a placeholder string.
    const raw = plain(plan.resources);
    // The provider fills the one allowed type in when an entry leaves it out.
    const resources = Array.isArray(raw)
      ? raw.map((entry: unknown) =>
          entry !== null && typeof entry === "object" && !("type" in entry)
            ? { ...entry, type: RESOURCE_TYPES[0] }
            : entry,
        )
      : raw;
    for (const problem of checkResources(resources, { requireGuidIds: config.requireGuidIds })) {
      report(
        `plan \`${plan.label}\` has an invalid \`${propertyPath(problem.path)}\`: ` +
          `${camelizeText(problem.message)}: ${camelizeText(problem.fix)}`,
      );
    }
  },
});
