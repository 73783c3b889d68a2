import { z } from "zod";
import { defineResourcePolicy } from "../core/definition";
import { regexSource } from "../core/schema";

/** Names people can search for and descriptions that say what a plan protects. */
export const naming = defineResourcePolicy({
  key: "naming",
  name: "naming",
  description: "A backup plan's name should match the naming convention and it should have a description.",
  severity: "low",
  remediationSteps:
    "Use a lower-case, hyphenated `name` such as `db-nightly`, " +
    "and a `description` saying what the plan protects and why.",
  defaultLevel: "advisory",
  schema: z
    .object({
      nameRegex: regexSource("nameRegex")
        .default("^[a-z][a-z0-9-]{2,62}$")
        .describe("Regular expression every plan name must match."),
      requireDescription: z.boolean().default(true).describe("Whether a plan needs a description."),
      minDescriptionLength: z
        .number()
        .int()
        .min(0)
        .max(1024)
        .default(10)
        .describe("Fewest characters a description needs (after trimming)."),
    })
    .strict(),
  validate(plan, config, report) {
    const name = plan.name;
    const label = plan.label;
    const effectiveName = typeof name === "string" ? name : label;
    if (!new RegExp(config.nameRegex).test(effectiveName)) {
      report(
        `plan \`${label}\` has a \`name\` that does not match \`${config.nameRegex}\`: rename it, e.g. ` +
          `\`${suggestName(effectiveName)}\``,
      );
    }
    if (!config.requireDescription) return;
    const description = plan.description;
    const length = typeof description === "string" ? description.trim().length : 0;
    if (length < config.minDescriptionLength || length === 0) {
      const measured = length === 0 ? "no `description`" : `a ${length}-character \`description\``;
      report(
        `plan \`${label}\` has ${measured}; at least ${Math.max(config.minDescriptionLength, 1)}` +
          ` characters are expected: say what the plan protects and why`,
      );
    }
  },
});

function suggestName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[^a-z]+/, "");
  return (slug.length >= 3 ? slug : `plan-${slug || "backup"}`).slice(0, 63);
}
