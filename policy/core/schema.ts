// zod pieces shared by several policies' option schemas.
import { z } from "zod";

/** A string that must compile as a JavaScript regular expression. */
export function regexSource(option: string) {
  return z.string().refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: `${option} must be a valid JavaScript regular expression` },
  );
}

/** How late after its nominal time a run may start, in minutes: at most a day. Each policy sets its default. */
export const executionWindowMinutes = z.number().int().min(0).max(1440);

const WINDOW_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** A daily UTC time window `HH:MM-HH:MM`; the end may be before the start (the window crosses midnight). */
export const timeWindow = z
  .string()
  .regex(WINDOW_RE, { message: "a window is `HH:MM-HH:MM` in UTC, e.g. `22:00-04:00`" });

export interface MinuteRange {
  start: number;
  end: number;
  text: string;
}

/** `22:00-04:00` -> minutes of day [1320, 1680) (the end past 1440 means the next day). */
export function parseWindow(text: string): MinuteRange {
  const match = WINDOW_RE.exec(text);
  if (match === null) throw new Error(`window \`${text}\` is not \`HH:MM-HH:MM\``);
  const start = Number(match[1]) * 60 + Number(match[2]);
  let end = Number(match[3]) * 60 + Number(match[4]);
  if (end <= start) end += 1440;
  return { start, end, text };
}
