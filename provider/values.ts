// Pure helpers about plain JavaScript values, shared by the schedule math, the plan rules, the resources'
// input checks, the settings, the policy pack and the emulator. No imports, so any layer may use them.

/** A plain object (a JSON object): not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is a plain object, else an empty one. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * How an error message shows a value it rejects: what it is, and its text when that helps. e.g. `nothing`,
 * `null`, `a list`, `an object`, `the string "7"`, `the number 3.5`, `NaN`, `the boolean true`.
 */
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

/** Levenshtein distance, ignoring case. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The known name closest to `name` when it is close enough to be a typo of it (for "did you mean ...?"). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const option of known) {
    const distance = editDistance(name, option);
    if (best === undefined || distance < best.distance) best = { name: option, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
