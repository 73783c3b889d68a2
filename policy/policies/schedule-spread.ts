import { z } from "zod";
import { defineStackPolicy } from "../core/definition";
import { formatClock, listFirst, quoted, smallestWords, spreadMinute } from "../core/format";
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
  description:
    "No more than 2 backup plans should start in the same 15-minute bucket, " +
    "and plans should not all start on minute 0. " +
    "At level `remediate` a plan on minute 0 is moved to a minute derived from its name.",
  severity: "medium",
  remediationSteps:
    "Move some plans to other minutes, e.g. minute = a hash of the plan name modulo 60 (what " +
    "level `remediate` does), so runs spread across the hour.",
  defaultLevel: "advisory",
  schema: z
    .object({
      bucketMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440)
        .default(15)
        .describe("Width of a start-time bucket, in minutes."),
      maxConcurrentPlans: z
        .number()
        .int()
        .min(1)
        .max(10000)
        .default(2)
        .describe("Most plans that may start in one bucket on the same day."),
      flagAllOnMinuteZero: z
        .boolean()
        .default(true)
        .describe("Report a stack whose plans (two or more) all start on minute 0."),
    })
    .strict(),
  validate(resources, config, report, args) {
    const plans = plansOf(resources).filter(isStarted);
    if (plans.length < 2) return args.notApplicable("the stack has fewer than two started backup plans");
    const bucketsPerDay = Math.ceil(1440 / config.bucketMinutes);
    // Plans grouped by schedule, in the order each schedule first appears: plans sharing a pattern share
    // every slot, so a slot's crowd is counted per group and only listed when it is reported.
    const groups = new Map<string, { slots: ReadonlySet<number>; members: number[]; movable: boolean }>();
    const counts = new Map<number, number>();
    const minutes = new Set<number>();
    let analysed = 0;
    plans.forEach((plan, index) => {
      const analysis = plan.view.analysis();
      if (analysis === undefined) return;
      analysed++;
      const group = groups.get(analysis.pattern);
      if (group !== undefined) {
        group.members.push(index);
        return;
      }
      // One slot per weekday and bucket: two plans collide only when they run on the same day.
      const weekly = weeklySlots(analysis.pattern, config.bucketMinutes);
      for (const minute of weekly.minutesOfHour) minutes.add(minute);
      const movable = spreadPattern(analysis.pattern, 0) !== undefined;
      groups.set(analysis.pattern, { slots: new Set(weekly.slots), members: [index], movable });
      // Slots enter in the order the first plan running in them appears, as when listed plan by plan.
      for (const slot of weekly.slots) if (!counts.has(slot)) counts.set(slot, 0);
    });
    for (const group of groups.values()) {
      for (const slot of group.slots) counts.set(slot, counts.get(slot)! + group.members.length);
    }
    // Report each crowded time of day once, with the largest crowd seen on any weekday (the first such slot).
    const crowdedSlots = new Map<number, { slot: number; size: number }>();
    for (const [slot, size] of counts) {
      if (size <= config.maxConcurrentPlans) continue;
      const bucket = slot % bucketsPerDay;
      const seen = crowdedSlots.get(bucket);
      if (seen === undefined || seen.size < size) crowdedSlots.set(bucket, { slot, size });
    }
    const crowded = new Map<number, StackPlan[]>();
    for (const [bucket, { slot }] of crowdedSlots) {
      const members: number[] = [];
      for (const group of groups.values()) {
        if (group.slots.has(slot)) for (const index of group.members) members.push(index);
      }
      // Back in stack order; a typed array sorts numbers without a comparator call per step.
      crowded.set(
        bucket,
        Array.from(Int32Array.from(members).sort(), (index) => plans[index]!),
      );
    }
    for (const [bucket, together] of [...crowded].sort((a, b) => a[0] - b[0])) {
      const start = bucket * config.bucketMinutes;
      const labels = together.map((plan) => plan.view.label);
      // Only the first moves are shown and the rest counted; whether a plan can move depends on its pattern alone.
      const movable = together
        .slice(config.maxConcurrentPlans)
        .filter((plan) => groups.get(plan.view.analysis()!.pattern)!.movable);
      const moves = movable.slice(0, 3).map((plan) => {
        const moved = spreadPattern(plan.view.analysis()!.pattern, spreadMinute(plan.view.label))!;
        return `\`${plan.view.label}\` to \`${moved}\``;
      });
      report(
        `${together.length} plans start between ${formatClock(start)}` +
          ` and ${formatClock(start + config.bucketMinutes)}` +
          ` UTC on the same day (${listFirst(quoted(smallestWords(labels, 6)), labels.length)}); ` +
          `at most ${config.maxConcurrentPlans} may start in one ${config.bucketMinutes}-minute bucket: ` +
          `move some to other minutes` +
          `${moves.length > 0 ? `, e.g. ${listFirst(moves, movable.length, 3)}` : ""}`,
      );
    }
    if (config.flagAllOnMinuteZero && analysed >= 2 && minutes.size === 1 && minutes.has(0)) {
      report(
        `all ${analysed} started plans start on minute 0, so every run lands on the hour together: ` +
          `spread the minutes (e.g. a hash of the plan name modulo 60), ` +
          `or set this policy to \`remediate\` to do it automatically`,
      );
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
