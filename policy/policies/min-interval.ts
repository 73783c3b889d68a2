import { z } from "zod";
import { defineResourcePolicy } from "../core/definition";
import { formatInstant, formatMinutes } from "../core/format";

/**
 * A pattern for runs every `hours` (a divisor of 24, so the gaps stay even) that keeps the plan's own
 * minute and hour (`17 2,14 * * *`) instead of a step from midnight, which would move the runs to 00 and 12.
 */
export function everyHoursPattern(minute: number, hours: number, hour = 2): string {
  if (hours >= 24) return `${minute} ${hour} * * *`;
  if (hours <= 1) return `${minute} * * * *`;
  const first = hour % hours;
  if (24 / hours > 4) return first === 0 ? `${minute} */${hours} * * *` : `${minute} ${first}-23/${hours} * * *`;
  const list: number[] = [];
  for (let h = first; h < 24; h += hours) list.push(h);
  return `${minute} ${list.join(",")} * * *`;
}

const DIVISORS_OF_DAY = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/** No two runs of a plan closer together than `minIntervalMinutes`, over the whole analysis horizon. */
export const minInterval = defineResourcePolicy({
  key: "minInterval",
  name: "min-interval",
  description:
    "Two runs of a backup plan must never be closer together than the minimum interval (60 min by default, " +
    "the service's own floor).",
  severity: "high",
  remediationSteps:
    "Space the runs of `schedulePattern` at least `minIntervalMinutes` apart: " +
    "one minute value per hour (`15 * * * *`), or hour steps (`15 */4 * * *`).",
  defaultLevel: "mandatory",
  schema: z
    .object({
      minIntervalMinutes: z
        .number()
        .int()
        .min(1)
        .max(10080)
        .default(60)
        .describe("Smallest allowed gap between two consecutive runs, in minutes."),
    })
    .strict(),
  validate(plan, config, report, args) {
    const analysis = plan.requireAnalysis(args);
    const gap = analysis.minGap;
    if (gap === null || gap.minutes >= config.minIntervalMinutes) return;
    const hours = DIVISORS_OF_DAY.find((h) => h * 60 >= config.minIntervalMinutes) ?? 24;
    const minute = gap.from.getUTCMinutes();
    report(
      `plan \`${plan.label}\` runs twice within ${formatMinutes(gap.minutes)} (${formatInstant(gap.from)}` +
        ` and ${formatInstant(gap.to)}); ` +
        `the minimum interval is ${formatMinutes(config.minIntervalMinutes)}: ` +
        `space the runs of \`schedulePattern\` at least that far apart, e.g. ` +
        `\`${everyHoursPattern(minute, hours, gap.from.getUTCHours())}\``,
    );
  },
});
