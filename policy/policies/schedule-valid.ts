import { z } from "zod";
import { validateSchedule } from "../../provider/schedule";
import { camelizeText, camelName } from "../../provider/mapping";
import { defineResourcePolicy } from "../core/definition";

/** The schedule is one the service accepts: a known type, a valid pattern, the calendar weekly form, fires at all. */
export const scheduleValid = defineResourcePolicy({
  key: "scheduleValid",
  name: "schedule-valid",
  description:
    "A backup plan's schedule must be valid: a known type, " +
    "a five-field cron pattern (the weekly form for `calendar`) that fires at all.",
  severity: "high",
  remediationSteps:
    "Set `scheduleType` to `crontab` or `calendar` and `schedulePattern` to a five-field UTC cron " +
    "expression such as `0 2 * * *`; `calendar` accepts one minute, " +
    "one hour and a set of weekdays (`30 2 * * 1-5`). " +
    "`scheduled-backup schedule explain '<pattern>'` shows when a pattern fires.",
  defaultLevel: "mandatory",
  schema: z.object({}).strict(),
  validate(plan, _config, report) {
    const type = plan.scheduleType;
    const pattern = plan.schedulePattern;
    const label = plan.label;
    if (typeof type !== "string" || typeof pattern !== "string") {
      if (typeof type !== "string")
        report(`plan \`${label}\` has no \`scheduleType\`: set it to \`crontab\` or \`calendar\``);
      if (typeof pattern !== "string")
        report(
          `plan \`${label}\` has no \`schedulePattern\`: set a five-field UTC cron expression such as \`0 2 * * *\``,
        );
      return;
    }
    for (const problem of validateSchedule(type, pattern)) {
      report(
        `plan \`${label}\` has an invalid \`${camelName(problem.field)}\`: ${camelizeText(problem.message)}` +
          `: ${camelizeText(problem.fix)}`,
      );
    }
  },
});
