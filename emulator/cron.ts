// The service's own cron engine, as the emulator plays it: cron-parser 5 in UTC. Deliberately not the
// provider's schedule analysis (provider/schedule/), which predicts the same runs by its own day walk: the
// checkpoints the emulator takes are then an independent answer that every end-to-end test holds the
// provider's predictions (nextRunTimes, gaps, retention, health) against.
import { CronExpressionParser } from "cron-parser";
import { compilePattern } from "../provider/schedule/compile";

/**
 * Every fire time of `pattern` in (from, to], ascending, at most `limit` of them. The pattern was validated
 * on write; one that can never fire (`0 0 31 2 *`) has no runs.
 */
export function serviceRunsBetween(pattern: string, from: Date, to: Date, limit = Infinity): Date[] {
  const runs: Date[] = [];
  if (to.getTime() <= from.getTime()) return runs;
  // cron-parser 5 refuses duplicate list values (`0,7`, `1,1`) that the API accepts, so it gets the canonical
  // form: `*` stays `*` (so the day-of-month/day-of-week union is decided as the API reference says), any
  // other field becomes its expanded list.
  const { compiled } = compilePattern(pattern);
  if (compiled === undefined) return runs;
  const expression = CronExpressionParser.parse(compiled.canonical, { tz: "UTC", currentDate: from, endDate: to });
  while (runs.length < limit && expression.hasNext()) runs.push(expression.next().toDate());
  return runs;
}
