// Pulumi's preview placeholder. During preview, an input computed from another resource's output reaches
// `check` and `diff` as this exact string, in place of a value of any type (pulumi/pulumi: `rpc.unknownValue`).
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is, or contains anywhere, the preview placeholder. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** True when the value at `path`, or any value on the way to it, is the placeholder. */
export function unknownAlong(root: unknown, path: readonly PropertyKey[]): boolean {
  let current: unknown = root;
  if (current === UNKNOWN) return true;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
    if (current === UNKNOWN) return true;
  }
  return false;
}
