import { z } from "zod";
import { defineResourcePolicy } from "../core/definition";
import { isProductionStack } from "../core/environment";
import { regexSource } from "../core/schema";

/** Plans run: started in production; elsewhere a suspended plan says why in its description. */
export const planStarted = defineResourcePolicy({
  key: "planStarted",
  name: "plan-started",
  description:
    "A backup plan must be `started` on production stacks; " +
    "on other stacks a suspended plan should say why in its description (advisory there).",
  severity: "high",
  remediationSteps:
    'Set `status: "started"`. Outside production, ' +
    "a plan may stay suspended when its description gives the reason, e.g. " +
    "`suspended: volume migration until 2026-12-01`.",
  defaultLevel: "mandatory",
  schema: z
    .object({
      productionTagKeys: z
        .array(z.string().min(1))
        .default(["environment", "env", "stage"])
        .describe("Stack tags whose value marks a production stack."),
      productionTagValues: z
        .array(z.string().min(1))
        .default(["prod", "production"])
        .describe("Values of those tags (case-insensitive) that mean production."),
      productionStackPattern: regexSource("productionStackPattern")
        .default("(^|[-_.])prod(uction)?$")
        .describe("Regular expression (case-insensitive) matching production stack names."),
      nonProductionLevel: z
        .enum(["advisory", "mandatory"])
        .default("advisory")
        .describe("Level of this policy's violations on stacks that are not production."),
      suspendedReasonPattern: regexSource("suspendedReasonPattern")
        .default("\\bsuspended\\b\\s*(:|-|because)\\s*\\S.{3,}")
        .describe(
          "Regular expression (case-insensitive) a suspended plan's description must " +
            "match to count as giving a reason.",
        ),
    })
    .strict(),
  validate(plan, config, report, args) {
    const status = plan.status;
    if (status === "started") return;
    const shown = typeof status === "string" ? `\`${status}\`` : "not a status";
    if (isProductionStack(config, args.stackTags, args.urn)) {
      report(
        `plan \`${plan.label}\` is ${shown} on a production stack, so it takes no backups; ` +
          `production plans must be \`started\`: set \`status: "started"\``,
      );
      return;
    }
    const description = plan.description;
    if (
      status === "suspended" &&
      typeof description === "string" &&
      new RegExp(config.suspendedReasonPattern, "i").test(description)
    )
      return;
    report(
      `plan \`${plan.label}\` is ${shown}, so it takes no backups, and its description gives no reason; ` +
        `set \`status: "started"\`, or say why in \`description\`, e.g. ` +
        `\`suspended: volume migration until 2026-12-01\``,
      config.nonProductionLevel,
    );
  },
});
