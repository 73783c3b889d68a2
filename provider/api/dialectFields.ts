// The plan fields that the service's two dialects spell differently, and the renaming between them. No zod:
// the mapping (and through it the plugin's first Check and every program) reads this without loading the
// schemas.
import { PLAN_API } from "../fields/planApi";
import type { ApiFieldSpec } from "../fields/planApi";

/**
 * The two dialects the service may speak. `seed` is the API v2 specification's (`max_backups`, `description`
 * required); `vendor` is what the vendor's Go SDK and Terraform provider send and read (`full_backups_amount`, no
 * `description`). Requests are validated under the seed's names (the schemas below) and renamed on the way
 * out by `toWireBody`; responses are read under either name.
 */
export type Dialect = "seed" | "vendor";
export const DIALECTS: readonly Dialect[] = ["seed", "vendor"];

type Table = typeof PLAN_API;
/** The plan fields whose wire name depends on the dialect: those with a `vendor` entry in the field table. */
type DialectField = { [K in keyof Table]: Table[K] extends { vendor: unknown } ? K : never }[keyof Table];
type VendorName<K extends DialectField> = Table[K] extends { vendor: infer V }
  ? V extends null
    ? undefined
    : V
  : never;

/**
 * The plan fields whose wire name or presence depends on the dialect: the seed's name, then the name each
 * dialect uses (`undefined`: the dialect does not know the field; it is sent only when non-empty). Every other
 * plan field is spelled the same in both. Derived from the field table (provider/fields/planApi.ts).
 */
export const PLAN_DIALECT_FIELDS = Object.fromEntries(
  Object.entries(PLAN_API)
    .filter(([, spec]) => "vendor" in spec)
    .map(([field, spec]) => [field, { seed: field, vendor: (spec as ApiFieldSpec).vendor ?? undefined }]),
) as { readonly [K in DialectField]: { readonly seed: K; readonly vendor: VendorName<K> } };

/** The retention count's wire name in `dialect`. */
export function retentionField(dialect: Dialect): string {
  return PLAN_DIALECT_FIELDS.max_backups[dialect];
}

/** Every wire name of the retention count (the response reader accepts each). */
export const RETENTION_FIELDS: readonly string[] = [...new Set(DIALECTS.map(retentionField))];

/**
 * A validated request body (seed names) in `dialect`'s spelling: exactly one retention name, and a field the
 * dialect does not know only when it carries a value (an empty string is the field's "not set").
 */
export function toWireBody(body: Record<string, unknown>, dialect: Dialect): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const [seedName, names] of Object.entries(PLAN_DIALECT_FIELDS) as [
    string,
    Record<Dialect, string | undefined>,
  ][]) {
    if (!(seedName in out)) continue;
    const value = out[seedName];
    delete out[seedName];
    const wire = names[dialect];
    if (value === undefined) continue;
    if (wire !== undefined) out[wire] = value;
    else if (value !== "") out[seedName] = value;
  }
  return out;
}

/** The dialect a plan object in a response is spelled in, when it shows (one retention name, not both). */
export function dialectOfPlan(plan: unknown): Dialect | undefined {
  if (typeof plan !== "object" || plan === null) return undefined;
  const present = DIALECTS.filter((d) => (plan as Record<string, unknown>)[retentionField(d)] !== undefined);
  return present.length === 1 ? present[0] : undefined;
}
