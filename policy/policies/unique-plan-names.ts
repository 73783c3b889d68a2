import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { listWords, quoted } from "../core/format";
import { plansOf } from "../core/stack";
import type { StackPlan } from "../core/stack";

/** Plan names unique in the stack: after an interrupted create the provider finds its plan by name. */
export const uniquePlanNames = defineStackPolicy({
  key: "uniquePlanNames",
  name: "unique-plan-names",
  description:
    "Backup plan names must be unique in the stack: " +
    "after an interrupted create the provider recovers the plan by looking it up by name.",
  severity: "high",
  remediationSteps:
    "Give each BackupPlan its own `name`, e.g. by suffixing the volume or the schedule (`db-nightly`, `db-hourly`).",
  defaultLevel: "mandatory",
  schema: z
    .object({
      ignoreCase: z.boolean().default(false).describe("Treat names differing only in letter case as the same."),
    })
    .strict(),
  validate(resources, config, report, args) {
    const plans = plansOf(resources);
    if (plans.length < 2) return args.notApplicable("the stack has fewer than two backup plans");
    const byName = new Map<string, StackPlan[]>();
    for (const plan of plans) {
      const raw = plan.view.name;
      const name = typeof raw === "string" && raw !== "" ? raw : plan.resource.name;
      const key = config.ignoreCase ? name.toLowerCase() : name;
      byName.set(key, [...(byName.get(key) ?? []), plan]);
    }
    for (const [, same] of byName) {
      if (same.length < 2) continue;
      const resourceNames = listWords(quoted(same.map((plan) => plan.resource.name)));
      for (const plan of same) {
        report(
          `plan name \`${plan.view.label}\` is used by ${same.length} plans in this ` +
            `stack (resources ${resourceNames}); the provider finds a plan by name after an interrupted ` +
            `create, so names must be unique: rename all but one`,
          plan.resource.urn,
        );
      }
    }
  },
});
