import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { formatClock, listWords, quoted, spreadMinute } from "../core/format";
import { weeklySlots } from "../core/runs";
import { isStarted, plansOf } from "../core/stack";
import type { StackPlan } from "../core/stack";

/** The pattern with its minute field moved to `minute`, when that field is the single value 0. */
export function spreadPattern(pattern: string, minute: number): string | undefined {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] !== "0") return undefined;
  return [String(minute), ...fields.slice(1)].join(" ");
}

/** Few plans start together (the service and the storage behind it see a herd otherwise), and not all on minute 0. */
export const scheduleSpread = defineStackPolicy({
  key: "scheduleSpread",
  name: "schedule-spread",
  description: "No more than 2 backup plans should start in the same 15-minute bucket, and plans should not all start on minute 0. At level `remediate` a plan on minute 0 is moved to a minute derived from its name.",
  severity: "medium",
  remediationSteps: "Move some plans to other minutes, e.g. minute = a hash of the plan name modulo 60 (what level `remediate` does), so runs spread across the hour.",
  defaultLevel: "advisory",
  schema: z.object({
    bucketMinutes: z.number().int().min(1).max(1440).default(15).describe("Width of a start-time bucket, in minutes."),
    maxConcurrentPlans: z.number().int().min(1).max(10000).default(2).describe("Most plans that may start in one bucket on the same day."),
    flagAllOnMinuteZero: z.boolean().default(true).describe("Report a stack whose plans (two or more) all start on minute 0."),
  }).strict(),
  validate(resources, config, report, args) {
    const plans = plansOf(resources).filter(isStarted);
    if (plans.length < 2) return args.notApplicable("the stack has fewer than two started backup plans");
    const bucketsPerDay = Math.ceil(1440 / config.bucketMinutes);
    const slots = new Map<number, StackPlan[]>();
    const minutes = new Set<number>();
    let analysed = 0;
    for (const plan of plans) {
      const analysis = plan.view.analysis();
      if (analysis === undefined) continue;
      analysed++;
      // One slot per weekday and bucket: two plans collide only when they run on the same day.
      const weekly = weeklySlots(analysis.pattern, config.bucketMinutes);
      for (const minute of weekly.minutesOfHour) minutes.add(minute);
      for (const slot of weekly.slots) {
        const together = slots.get(slot);
        if (together === undefined) slots.set(slot, [plan]);
        else together.push(plan);
      }
    }
    // Report each crowded time of day once, with the largest crowd seen on any weekday.
    const crowded = new Map<number, StackPlan[]>();
    for (const [slot, together] of slots) {
      if (together.length <= config.maxConcurrentPlans) continue;
      const bucket = slot % bucketsPerDay;
      const seen = crowded.get(bucket);
      if (seen === undefined || seen.length < together.length) crowded.set(bucket, together);
    }
    for (const [bucket, together] of [...crowded].sort((a, b) => a[0] - b[0])) {
      const start = bucket * config.bucketMinutes;
      const labels = together.map((plan) => plan.view.label).sort();
      const moves = together.slice(config.maxConcurrentPlans).flatMap((plan) => {
        const pattern = plan.view.analysis()?.pattern;
        const moved = pattern === undefined ? undefined : spreadPattern(pattern, spreadMinute(plan.view.label));
        return moved === undefined ? [] : [`\`${plan.view.label}\` to \`${moved}\``];
      });
      report(
        `${together.length} plans start between ${formatClock(start)} and ${formatClock(start + config.bucketMinutes)} UTC on the same day (${listWords(quoted(labels))}); ` +
        `at most ${config.maxConcurrentPlans} may start in one ${config.bucketMinutes}-minute bucket: move some to other minutes${moves.length > 0 ? `, e.g. ${listWords(moves, 3)}` : ""}`,
      );
    }
    if (config.flagAllOnMinuteZero && analysed >= 2 && minutes.size === 1 && minutes.has(0)) {
      report(`all ${analysed} started plans start on minute 0, so every run lands on the hour together: spread the minutes (e.g. a hash of the plan name modulo 60), or set this policy to \`remediate\` to do it automatically`);
    }
  },
  remediate(plan, _config, _args) {
    const pattern = plan.schedulePattern;
    if (typeof pattern !== "string") return undefined;
    const moved = spreadPattern(pattern, spreadMinute(plan.label));
    if (moved === undefined || moved === pattern) return undefined;
    // Spread keeps every other input as it is, `__provider` included, which the dynamic provider needs.
    return { ...plan.props, schedulePattern: moved };
  },
});
