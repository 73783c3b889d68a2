import { z } from "zod";
import { defineResourcePolicy } from "../core/definition";
import { formatClock, formatMinutes, listWords } from "../core/format";
import { startMinutesOfDay } from "../core/runs";
import { executionWindowMinutes, parseWindow, timeWindow } from "../core/schema";
import type { MinuteRange } from "../core/schema";

/** Whether [start, start+length] (minutes of day, may pass midnight) lies inside the window. */
function inside(start: number, length: number, window: MinuteRange): boolean {
  for (const shift of [0, 1440]) {
    const from = start + shift;
    if (from >= window.start && from + length <= window.end) return true;
  }
  return false;
}

function overlaps(start: number, length: number, window: MinuteRange): boolean {
  for (const shift of [-1440, 0, 1440]) {
    const from = start + shift;
    if (from < window.end && from + length >= window.start) return true;
  }
  return false;
}

/** Runs start inside the allowed windows and stay clear of blackouts (UTC); off until windows are configured. */
export const backupWindow = defineResourcePolicy({
  key: "backupWindow",
  name: "backup-window",
  description:
    "Every run of a backup plan should start, with its execution window, " +
    "inside an allowed window and outside every blackout window (UTC). " +
    "Not applicable until windows are configured.",
  severity: "medium",
  remediationSteps:
    "Move the hour and minute of `schedulePattern` into an allowed window (`allowedWindows`), " +
    "clear of `blackoutWindows`; all times are UTC.",
  defaultLevel: "advisory",
  schema: z
    .object({
      allowedWindows: z
        .array(timeWindow)
        .default([])
        .describe("Daily UTC windows `HH:MM-HH:MM` in which runs may start; empty means any time."),
      blackoutWindows: z
        .array(timeWindow)
        .default([])
        .describe("Daily UTC windows `HH:MM-HH:MM` in which no run may be in progress."),
      executionWindowMinutes: executionWindowMinutes
        .default(30)
        .describe("How late after its nominal time a run may start; the whole span must fit the windows."),
    })
    .strict(),
  validate(plan, config, report, args) {
    if (config.allowedWindows.length === 0 && config.blackoutWindows.length === 0) {
      return args.notApplicable("no allowedWindows or blackoutWindows are configured");
    }
    const analysis = plan.requireAnalysis(args);
    const allowed = config.allowedWindows.map(parseWindow);
    const blackouts = config.blackoutWindows.map(parseWindow);
    const length = config.executionWindowMinutes;
    const span = (start: number) =>
      length > 0 ? `${formatClock(start)}-${formatClock(start + length)} UTC` : `${formatClock(start)} UTC`;
    const starts = startMinutesOfDay(analysis.pattern);
    const outside =
      allowed.length === 0 ? [] : starts.filter((start) => !allowed.some((w) => inside(start, length, w)));
    if (outside.length > 0) {
      report(
        `plan \`${plan.label}\` runs at ${listWords(outside.map(span), 4)}` +
          `${length > 0 ? ` (with the ${formatMinutes(length)} execution window)` : ""}, ` +
          `outside the allowed ${allowed.length === 1 ? "window" : "windows"}` +
          ` ${listWords(allowed.map((w) => `\`${w.text}\``))}: ` +
          `move the hour and minute of \`schedulePattern\` so that runs ` +
          `start at ${formatClock(allowed[0]!.start)} UTC or later within it`,
      );
    }
    for (const blackout of blackouts) {
      const clashing = starts.filter((start) => overlaps(start, length, blackout));
      if (clashing.length === 0) continue;
      report(
        `plan \`${plan.label}\` runs at ${listWords(clashing.map(span), 4)}, ` +
          `overlapping the blackout window \`${blackout.text}\`: ` +
          `move the runs to start at ${formatClock(blackout.end)} UTC or later, ` +
          `or end by ${formatClock(blackout.start - length)} UTC`,
      );
    }
  },
});
