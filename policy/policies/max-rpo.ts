import { z } from "zod";
import { executionWindowMinutes } from "../core/schema";
import { defineResourcePolicy } from "../core/definition";
import { formatHoursLimit, formatMinutes, listWords, missingWeekdays, weekdayNote } from "../core/format";
import { everyHoursPattern } from "./min-interval";

const STEPS_IN_HOURS = [24, 12, 8, 6, 4, 3, 2, 1] as const;

/** Hours between runs of the widest even schedule whose gap + window fits the limit, or undefined. */
function hoursWithin(limitMinutes: number, windowMinutes: number): number | undefined {
  return STEPS_IN_HOURS.find((h) => h * 60 + windowMinutes <= limitMinutes);
}

/** The widest even schedule that keeps gap + window within the limit, or undefined when none can. */
export function patternWithin(
  limitMinutes: number,
  windowMinutes: number,
  minute: number,
  hour: number,
): string | undefined {
  const hours = hoursWithin(limitMinutes, windowMinutes);
  return hours === undefined ? undefined : everyHoursPattern(minute, hours, hour);
}

/**
 * The longest time between two runs stays within the recovery point objective. The execution window (how
 * late a run may start) is opt-in: at 0 by default a nightly plan meets a 24 h limit, as it is meant to.
 */
export const maxRpo = defineResourcePolicy({
  key: "maxRpo",
  name: "max-rpo",
  description:
    "A backup plan's recovery point objective (the longest gap between runs, " +
    "plus the execution window when one is configured) must not exceed the limit (24 h by default), " +
    "so a nightly plan passes and a weekday-only one fails.",
  severity: "high",
  remediationSteps:
    "Run the plan more often or on every day of the week (`0 2 * * *` is daily); " +
    "weekday-only schedules leave a 72 h weekend gap. " +
    "`scheduled-backup schedule explain '<pattern>'` shows the longest gap.",
  defaultLevel: "mandatory",
  schema: z
    .object({
      maxRpoHours: z
        .number()
        .min(1)
        .max(8784)
        .default(24)
        .describe("Largest tolerated data loss in hours: longest gap between runs plus the execution window."),
      executionWindowMinutes: executionWindowMinutes
        .default(0)
        .describe(
          "Opt-in: how late after its nominal time a run may start, " +
            "added to the longest gap (the service starts runs within about 30 min; set 30 to count that).",
        ),
    })
    .strict(),
  validate(plan, config, report, args) {
    const analysis = plan.requireAnalysis(args);
    const limitMinutes = config.maxRpoHours * 60;
    const gap = analysis.maxGap;
    const windowNote =
      config.executionWindowMinutes > 0
        ? ` with the ${formatMinutes(config.executionWindowMinutes)} execution window`
        : "";
    if (gap === null) {
      const fix = patternWithin(limitMinutes, config.executionWindowMinutes, 0, 2);
      report(
        `plan \`${plan.label}\` fires fewer than twice in the analysis horizon (${analysis.description}), ` +
          `so its recovery point is unbounded; ` +
          `the limit is ${formatHoursLimit(config.maxRpoHours)}: ` +
          `${fix === undefined ? "raise maxRpoHours" : `use a regular schedule such as \`${fix}\``}`,
      );
      return;
    }
    const rpo = gap.minutes + config.executionWindowMinutes;
    if (rpo <= limitMinutes) return;
    const note = weekdayNote(analysis.weekdays);
    const hours = hoursWithin(limitMinutes, config.executionWindowMinutes);
    const suggestion =
      hours === undefined ? undefined : everyHoursPattern(gap.to.getUTCMinutes(), hours, gap.to.getUTCHours());
    const fixes: string[] = [];
    const missingDays = missingWeekdays(analysis.weekdays);
    // Adding the missing days is enough only when a once-a-day schedule fits the limit.
    if (missingDays.length > 0 && hours === 24) fixes.push(`add ${listWords(missingDays)}`);
    if (suggestion !== undefined) fixes.push(`use \`${suggestion}\``);
    // The runs alone fit and only the execution window tips them over: say how to accept that schedule.
    if (gap.minutes <= limitMinutes)
      fixes.push(
        `allow ${formatMinutes(rpo)} (\`maxRpoHours: ${Math.ceil((rpo / 60) * 10) / 10}\`) ` +
          `to accept this schedule as it is`,
      );
    if (hours === undefined) {
      if (fixes.length === 0) fixes.push("raise maxRpoHours");
      fixes.unshift(
        `no schedule the service allows (at most hourly) fits ${formatHoursLimit(config.maxRpoHours)}${windowNote}`,
      );
    }
    const fix = fixes.join(hours === undefined ? "; " : " or ");
    report(
      `plan \`${plan.label}\` runs at most every ${formatMinutes(gap.minutes)} (${note ?? analysis.description}), ` +
        `so up to ${formatMinutes(rpo)} of data can be lost${windowNote}; ` +
        `the limit is ${formatHoursLimit(config.maxRpoHours)}: ${fix}`,
    );
  },
});
