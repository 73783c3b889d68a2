// `check` of BackupPlan, pure: shape (zod), field rules (shared with the policies and the emulator) and the
// schedule analysis, every problem reported at once per property with its fix, no API call. Values that
// are Pulumi's preview placeholder are skipped, never judged. Deterministic defaults are applied.
// zod is loaded on first need only: the plugin answers its first Check before loading it (the common
// inputs give the schema nothing to judge), and every Check saves the parse.
import type { z as Z } from "zod";
import { camelizeText, DEFAULT_RESOURCE_TYPE, propertyForApiName, propertyPath } from "../mapping";
import {
  BACKUP_PLAN,
  CHECKED_PROPERTIES,
  PLAN_DEFAULTS,
  PLAN_INPUT_PROPERTIES,
  PLAN_OUTPUT_ONLY_PROPERTIES,
  RULE_PROPERTIES as RULE_PROPERTY_LIST,
} from "../fields/backupPlan";
import type { PropertySpec } from "../fields/backupPlan";
import { checkPlanBody } from "../rules";
import type { BackupPlanInputs } from "../types";
import { UNKNOWN, unknownAlong } from "./unknown";
import { asRecord, describeValue } from "../values";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckOutcome<T = Record<string, unknown>> {
  inputs: T;
  failures: CheckFailure[];
}

// Derived once from the field table (provider/fields/backupPlan.ts).
/** The plan's own fields, judged by the shared rules (checkPlanBody); the schema only admits them. */
const RULE_PROPERTIES: ReadonlySet<string> = new Set(RULE_PROPERTY_LIST);
/** The same, with the API field each one fills in a create body. */
const RULE_FIELDS = RULE_PROPERTY_LIST.map((property) => {
  const field = (BACKUP_PLAN[property] as PropertySpec).api!;
  return [property, field] as const;
});
const BACKUP_PLAN_PROPERTIES: readonly string[] = PLAN_INPUT_PROPERTIES;
const DEFAULTS = Object.entries(PLAN_DEFAULTS);

/** Keys the engine or the resource class put into inputs beside the user's properties. */
const HOST_KEYS = new Set(["__provider"]);
/** Output-only keys; the class seeds them as `undefined`, which never reaches the provider, but be lenient. */
const OUTPUT_KEYS: ReadonlySet<string> = new Set(PLAN_OUTPUT_ONLY_PROPERTIES);

/**
 * Values the schema certainly accepts, by a cheaper test (each implies the schema's own rule, so it is never
 * more lenient); anything else goes to the schema for its verdict and its message.
 */
const CLEARLY_VALID: ReadonlyMap<string, (value: unknown) => boolean> = new Map(
  CHECKED_PROPERTIES.map((property) => [property, (BACKUP_PLAN[property] as PropertySpec).clearlyValid ?? never]),
);

function never(): boolean {
  return false;
}

function needsSchema(candidate: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(candidate)) {
    if (RULE_PROPERTIES.has(key)) continue;
    const clearlyValid = CLEARLY_VALID.get(key);
    if (clearlyValid === undefined || !clearlyValid(value)) return true;
  }
  return false;
}

// The plan's own fields are judged by the shared rules (checkPlanBody), the one definition the emulator and
// the policies use too; zod covers what only the resource has: unknown keys, status, placement, timeouts,
// each with the schema its table entry gives.
function buildSchema() {
  // Loaded on first use, so programs and the first Check do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require("zod") as { z: typeof Z };
  const shape: Record<string, Z.ZodType> = {};
  for (const property of RULE_PROPERTIES) shape[property] = z.unknown().optional();
  for (const property of CHECKED_PROPERTIES) shape[property] = (BACKUP_PLAN[property] as PropertySpec).check!(z);
  return z.strictObject(shape, {
    error: (issue) => `a BackupPlan's inputs must be an object, got ${describeValue(issue.input)}`,
  });
}

let schema: ReturnType<typeof buildSchema> | undefined;

/**
 * Checks a BackupPlan's new inputs; returns them normalized (defaults applied) and every problem found. The
 * inputs are BackupPlanInputs once `failures` is empty, and the engine goes on with no others.
 */
export function checkBackupPlan(news: unknown): CheckOutcome<BackupPlanInputs> {
  const record = asRecord(news);
  const candidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (HOST_KEYS.has(key)) continue;
    if (OUTPUT_KEYS.has(key) && (value === undefined || value === null)) continue;
    if (value === undefined) continue;
    candidate[key] = value;
  }

  const failures: CheckFailure[] = [];
  const parsed = needsSchema(candidate) ? (schema ??= buildSchema()).safeParse(candidate) : undefined;
  if (parsed !== undefined && !parsed.success)
    failures.push(...issueFailures(parsed.error.issues, candidate, unknownKeyFailure));

  failures.push(...ruleFailures(candidate));
  return { inputs: checked(withDefaults(candidate)), failures: dedupe(failures) };
}

/**
 * A zod parse's issues as check failures: one per issue, one per unknown key (phrased by `unknownKey`), and
 * none for a value that is still unknown in preview (the check after it resolves reports it).
 */
export function issueFailures(
  issues: Z.ZodError["issues"],
  candidate: Record<string, unknown>,
  unknownKey: (path: readonly PropertyKey[], key: string) => CheckFailure,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) failures.push(unknownKey(issue.path, key));
      continue;
    }
    if (unknownAlong(candidate, issue.path)) continue;
    failures.push({ property: propertyPath(issue.path.map(pathKey)) || "(inputs)", reason: issue.message });
  }
  return failures;
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === "number" ? key : String(key);
}

function unknownKeyFailure(path: readonly PropertyKey[], key: string): CheckFailure {
  const at = propertyPath(path.map(pathKey));
  const property = at === "" ? key : `${at}.${key}`;
  const suggestion = propertyForApiName(key);
  const known =
    at === "" ? BACKUP_PLAN_PROPERTIES.join(", ") : at === "timeouts" ? "create, update, delete" : "id, name, type";
  const reason =
    suggestion !== undefined
      ? `unknown property \`${key}\`: did you mean \`${suggestion}\`? (properties are camelCase)`
      : `unknown property \`${key}\`: remove it or fix its spelling (known: ${known})`;
  return { property, reason };
}

/**
 * The shared plan rules over the API body these inputs make (defaults applied). Unknown values are left out
 * of the body (or, inside `resources`, stood in for), and the problems they would cause are dropped.
 */
function ruleFailures(inputs: Record<string, unknown>): CheckFailure[] {
  const withDefault = withDefaults(inputs);
  const body: Record<string, unknown> = {};
  const unknownFields = new Set<string>();
  for (const [property, field] of RULE_FIELDS) {
    const value = withDefault[property];
    if (value === UNKNOWN) unknownFields.add(field);
    else if (value !== undefined) body[field] = value;
  }
  let placeholders = new Map<number, Set<string> | "*">();
  if (Array.isArray(body["resources"])) {
    const view = knownResourceView(body["resources"]);
    if (view.view !== undefined) {
      body["resources"] = view.view;
      placeholders = view.placeholders;
    }
  }
  const skip = (path: (string | number)[]): boolean => {
    const [field, index, sub] = path;
    if (typeof field === "string" && unknownFields.has(field)) return true;
    // The mode's limit is unknowable while the mode is; the schedule pair likewise.
    if (field === "max_backups" && unknownFields.has("backup_mode")) return true;
    if (
      (field === "schedule_pattern" || field === "schedule_type") &&
      (unknownFields.has("schedule_type") || unknownFields.has("schedule_pattern"))
    )
      return true;
    if (field !== "resources" || typeof index !== "number") return false;
    const marked = placeholders.get(index);
    return marked !== undefined && (marked === "*" || (typeof sub === "string" && marked.has(sub)));
  };
  const failures: CheckFailure[] = [];
  for (const problem of checkPlanBody(body, { mode: "create", requireGuidIds: true })) {
    if (skip(problem.path)) continue;
    failures.push({
      property: propertyPath(problem.path) || "(inputs)",
      reason: `${camelizeText(problem.message)}: ${camelizeText(problem.fix)}`,
    });
  }
  return failures;
}

/**
 * The resources list with every unknown part replaced by a harmless stand-in (a unique GUID, a name), so the
 * shared rules can still judge the known parts; `placeholders` says which problems to drop ("*" = the whole
 * element was unknown). Undefined when the list's shape is wrong (zod already reported it).
 */
function knownResourceView(resources: unknown[]): {
  view: { id: string; name: string; type: string; [extra: string]: unknown }[] | undefined;
  placeholders: Map<number, Set<string> | "*">;
} {
  const placeholders = new Map<number, Set<string> | "*">();
  const view: { id: string; name: string; type: string; [extra: string]: unknown }[] = [];
  for (let i = 0; i < resources.length; i++) {
    const element = resources[i];
    const standInId = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    if (element === UNKNOWN) {
      placeholders.set(i, "*");
      view.push({ id: standInId, name: `unknown-${i}`, type: DEFAULT_RESOURCE_TYPE });
      continue;
    }
    if (typeof element !== "object" || element === null || Array.isArray(element))
      return { view: undefined, placeholders };
    const r = element as Record<string, unknown>;
    const marked = new Set<string>();
    const field = (key: string, standIn: string): string | undefined => {
      const value = r[key];
      if (value === UNKNOWN) {
        marked.add(key);
        return standIn;
      }
      return typeof value === "string" ? value : undefined;
    };
    const id = field("id", standInId);
    const name = field("name", `unknown-${i}`);
    const type = r["type"] === undefined ? DEFAULT_RESOURCE_TYPE : field("type", DEFAULT_RESOURCE_TYPE);
    if (id === undefined || name === undefined || type === undefined) return { view: undefined, placeholders };
    if (marked.size > 0) placeholders.set(i, marked);
    // Other keys stay, so the shared rules reject them as the service would (not dropped silently).
    view.push({ ...r, id, name, type });
  }
  return { view, placeholders };
}

function checked(inputs: Partial<Record<keyof BackupPlanInputs, unknown>>): BackupPlanInputs {
  return inputs as BackupPlanInputs;
}

function withDefaults(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...inputs };
  for (const [property, value] of DEFAULTS) out[property] ??= value;
  const resources = out["resources"];
  if (Array.isArray(resources)) {
    out["resources"] = resources.map((element: unknown) => {
      if (typeof element !== "object" || element === null || Array.isArray(element)) return element;
      const r = element as Record<string, unknown>;
      return r["type"] === undefined ? { ...r, type: DEFAULT_RESOURCE_TYPE } : r;
    });
  }
  return out;
}

function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.property}\u0000${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
