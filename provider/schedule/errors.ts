import type { ScheduleProblem } from "./types";

/** A schedule that cannot be analysed; `problems` lists every reason at once, each with its fix. */
export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
  readonly problems: ScheduleProblem[];

  constructor(pattern: string, problems: ScheduleProblem[]) {
    const summary = problems.map((p) => `${p.message}; ${p.fix}`).join("\n  - ");
    super(`invalid schedule \`${pattern}\`:\n  - ${summary}`);
    this.problems = problems;
  }
}
