// How an error message shows a value it rejects: what it is, and its text when that helps (a short string,
// a number). No imports: the schedule math, the plan rules, the emulator and the resources' input checks all
// word a rejected value the same way.

/** e.g. `nothing`, `null`, `a list`, `an object`, `the string "7"`, `the number 3.5`, `NaN`, `the boolean true`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value)}`;
  }
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === "boolean") return `the boolean ${value}`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
