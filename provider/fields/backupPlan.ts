// The field table of the BackupPlan resource: every property once, camelCase, with the API plan field it is
// (provider/fields/planApi.ts), how a change applies, its default, its check schema when the shared plan
// rules do not judge it, its README cells and its doc. No zod at runtime (schemas are functions of the zod
// module), so the resource class reads it for free. Derived from it: the outputs the class seeds, the
// camelCase mapping, the diff's classification (planDiff.ts), check's defaults and property sets
// (planCheck.ts), the policy view (policy/core/plan.ts) and the README's BackupPlan table.
import type { z as Z } from "zod";
import type { PlanApiField, ZodModule } from "./planApi";
import { PLAN_API } from "./planApi";
import { DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, PLAN_STATUSES } from "./values";
import { GUID_RE, PROJECT_ID_RE } from "./patterns";
import { describeValue } from "../values";

/**
 * How a change of the property applies: `update` PATCHes the plan in place, `replace` makes another plan
 * (deleted first), `local` is recorded without an API call, `create` is read on create only (a later change
 * does nothing), `output` is computed, never an input.
 */
export type ChangeKind = "update" | "replace" | "local" | "create" | "output";

export interface PropertySpec {
  /** The API field the property is, when it is one. */
  readonly api?: PlanApiField;
  readonly change: ChangeKind;
  /** Inputs only: the program must give it. */
  readonly required?: true;
  /** The default `check` applies when the input is left out. */
  readonly default?: string;
  /** README: the type cell. */
  readonly type?: string;
  /** README: the default cell when the default is not a value `check` applies (it is the stack config's). */
  readonly defaultText?: string;
  /** README: what follows the change word in the "on change" cell. */
  readonly note?: string;
  /** The check schema of an input the shared plan rules do not judge (every other input is theirs). */
  readonly check?: (z: ZodModule) => Z.ZodType;
  /** A cheap test that implies `check` accepts the value (check's fast path; never more lenient). */
  readonly clearlyValid?: (value: unknown) => boolean;
  readonly doc: string;
}

function optionalString(z: ZodModule, property: string, fix: string) {
  return z
    .string({ error: (issue) => `${property} must be a string, got ${describeValue(issue.input)}: ${fix}` })
    .min(1, { error: `${property} must not be empty: ${fix}, or leave it out` })
    .optional();
}

/** An id that goes into a URL path: only the id's own form, so it can never name another path. */
function optionalId(z: ZodModule, property: string, pattern: RegExp, form: string, fix: string) {
  return z
    .string({ error: (issue) => `${property} must be a string, got ${describeValue(issue.input)}: ${fix}` })
    .min(1, { error: `${property} must not be empty: ${fix}, or leave it out`, abort: true })
    .regex(pattern, { error: (issue) => `${property} ${describeValue(issue.input)} is not ${form}: ${fix}` })
    .optional();
}

function timeoutSeconds(z: ZodModule, which: string) {
  return z
    .number({
      error: (issue) => `timeouts.${which} must be a number of seconds, got ${describeValue(issue.input)}: e.g. 600`,
    })
    .positive({ error: `timeouts.${which} must be above 0 seconds: e.g. 600` })
    .max(MAX_WAIT_SECONDS, { error: `timeouts.${which} must be at most ${MAX_WAIT_SECONDS} seconds (a day)` })
    .optional();
}

const nonEmptyString = (value: unknown): boolean => typeof value === "string" && value.length > 0;
const never = (): boolean => false;

/** The BackupPlan's properties: inputs first (in the README's order), then what only the outputs hold. */
export const BACKUP_PLAN = {
  name: {
    api: "name",
    change: "update",
    required: true,
    type: "string, 1-255 chars",
    note: ". Keep it unique in the project: interrupted creates are settled by name",
    doc: "Plan name; keep it unique in the project (create recovers interrupted POSTs by name).",
  },
  description: {
    api: "description",
    change: "update",
    default: "",
    type: "string, 0-1024 chars",
    doc: "Free text, at most 1024 characters.",
  },
  backupMode: {
    api: "backup_mode",
    change: "replace",
    default: "full",
    type: '`"full"` \\| `"frequency"`',
    note: " (the API cannot change it; the old plan is deleted first)",
    doc: "`full`: every backup is full. `frequency`: weekly full plus daily incrementals.",
  },
  maxBackups: {
    api: "max_backups",
    change: "update",
    required: true,
    type: "integer",
    note: ". `full`: backups kept, 1-90. `frequency`: chains kept per volume (a full backup and 6 incrementals), 1-14",
    doc: "Backups to keep (1-90, `full` mode) or chains of a full and 6 incrementals (1-14, `frequency` mode).",
  },
  scheduleType: {
    api: "schedule_type",
    change: "update",
    default: "crontab",
    type: '`"crontab"` \\| `"calendar"`',
    note: ". `calendar` accepts only the console's weekly form `M H * * D[,D...]`",
    doc: "`crontab`, or `calendar` (the weekly form `M H * * D[,D...]`).",
  },
  schedulePattern: {
    api: "schedule_pattern",
    change: "update",
    required: true,
    type: "five-field cron, UTC",
    note: ". At most hourly; no names, macros, `L`, `W`, `#`, `?` or `H`",
    doc: "Five-field cron expression in UTC, at most hourly, e.g. `0 2 * * *`.",
  },
  resources: {
    api: "resources",
    change: "update",
    required: true,
    type: "`{id, name, type?}[]`, 1-100",
    note:
      ". `type` defaults to `OS::Cinder::Volume`, the only type the API accepts; ids are volume UUIDs, " +
      "unique in the plan",
    doc: "The volumes to protect (1-100, unique ids).",
  },
  status: {
    api: "status",
    change: "update",
    default: "started",
    type: '`"started"` \\| `"suspended"`',
    note: " (PATCH, then wait until the plan reports it)",
    check: (z) =>
      z
        .enum(PLAN_STATUSES, {
          error: (issue) =>
            "status must be `started` (backups run) or `suspended` (no new backups), " +
            `got ${describeValue(issue.input)}: leave it out for \`started\``,
        })
        .optional(),
    clearlyValid: (value) => (PLAN_STATUSES as readonly unknown[]).includes(value),
    doc: "`started` (backups run) or `suspended` (no new backups); as an output, the status last seen.",
  },
  projectId: {
    change: "replace",
    type: "string",
    defaultText: "stack config / token's project",
    note:
      ", also when the stack default it fell back to changes (an explicit value equal to the default changes " +
      "nothing)",
    check: (z) =>
      optionalId(
        z,
        "projectId",
        PROJECT_ID_RE,
        "a project id (a UUID)",
        "set the project (tenant) id, e.g. `5c1f0a7e-2b3d-4e8f-9a61-7d0c4b2e8f13`",
      ),
    clearlyValid: (value) => typeof value === "string" && PROJECT_ID_RE.test(value),
    doc: "Project (tenant) id; default `scheduledbackup:projectId` or the token's project.",
  },
  region: {
    change: "replace",
    type: "string",
    defaultText: "stack config",
    note: ", likewise",
    check: (z) => optionalString(z, "region", "set the region (pool), e.g. `ru-1`"),
    clearlyValid: nonEmptyString,
    doc: "Region (pool) whose endpoint the Keystone catalog gives; default `scheduledbackup:region`.",
  },
  endpoint: {
    change: "local",
    type: "string",
    defaultText: "stack config / catalog",
    check: (z) =>
      z
        .url({
          protocol: /^https?$/,
          error: (issue) =>
            `endpoint must be an http(s) URL, got ${describeValue(issue.input)}: use the base URL including ` +
            "/data-protect/v2, e.g. `https://ru-1.cloud.api.selcloud.ru/data-protect/v2`",
        })
        .optional(),
    clearlyValid: never,
    doc: "Base URL including `/data-protect/v2`; default `scheduledbackup:endpoint` or the catalog.",
  },
  adoptExistingId: {
    change: "create",
    type: "string",
    defaultText: "none",
    note: ": adopt this plan instead of creating one",
    check: (z) =>
      optionalId(
        z,
        "adoptExistingId",
        GUID_RE,
        "a plan id (a UUID)",
        "set the id of the existing plan to take under management (see getBackupPlans)",
      ),
    clearlyValid: (value) => typeof value === "string" && GUID_RE.test(value),
    doc: "Take this existing plan under management on create instead of creating one.",
  },
  timeouts: {
    change: "local",
    type: "`{create?, update?, delete?}` seconds",
    defaultText: `${DEFAULT_WAIT_SECONDS} each`,
    note: ". Pulumi's `customTimeouts` never reach dynamic providers: use this",
    check: (z) =>
      z
        .strictObject(
          {
            create: timeoutSeconds(z, "create"),
            update: timeoutSeconds(z, "update"),
            delete: timeoutSeconds(z, "delete"),
          },
          {
            error: (issue) =>
              `timeouts must be an object {create?, update?, delete?} in seconds, got ${describeValue(issue.input)}`,
          },
        )
        .optional(),
    clearlyValid: never,
    doc: "How long to wait for the service, in seconds.",
  },
  createdAt: { api: "created_at", change: "output", doc: "When the service created the plan (RFC 3339, UTC)." },
  nextRunTimes: {
    change: "output",
    doc: "The next 5 scheduled runs after the last create, update or refresh (RFC 3339, UTC).",
  },
  maxIntervalHours: {
    change: "output",
    doc: "Longest gap between two runs, in hours: the plan's effective RPO. Null when it cannot be computed.",
  },
  retentionDays: {
    change: "output",
    doc: "How far back restores are guaranteed to reach, in days (derived from mode, maxBackups and schedule).",
  },
} as const satisfies Record<string, PropertySpec>;

export type PlanProperty = keyof typeof BACKUP_PLAN;
type Table = typeof BACKUP_PLAN;
type WithChange<C extends ChangeKind> = { [K in PlanProperty]: Table[K]["change"] extends C ? K : never }[PlanProperty];
/** What a program may give. */
export type PlanInputProperty = WithChange<Exclude<ChangeKind, "output">>;
/** The plan fields PATCH can change. */
export type PatchableProperty = WithChange<"update">;
export type ReplaceProperty = WithChange<"replace">;
export type LocalProperty = WithChange<"local">;
/** The inputs judged by check's schema (the others by the shared plan rules). */
export type CheckedProperty = { [K in PlanProperty]: Table[K] extends { check: unknown } ? K : never }[PlanProperty];

const ENTRIES = Object.entries(BACKUP_PLAN) as [PlanProperty, PropertySpec][];

function withChange<C extends ChangeKind>(change: C): readonly WithChange<C>[] {
  return ENTRIES.filter(([, spec]) => spec.change === change).map(([p]) => p) as WithChange<C>[];
}

/** Every property, in table order: the keys the resource class seeds so the engine's values reach it. */
export const PLAN_PROPERTIES: readonly PlanProperty[] = ENTRIES.map(([p]) => p);
export const PLAN_INPUT_PROPERTIES = ENTRIES.filter(([, spec]) => spec.change !== "output").map(
  ([p]) => p,
) as readonly PlanInputProperty[];
export const PLAN_OUTPUT_ONLY_PROPERTIES: readonly PlanProperty[] = withChange("output");
export const PATCHABLE_PROPERTIES = withChange("update");
export const REPLACE_PROPERTIES = withChange("replace");
export const LOCAL_PROPERTIES = withChange("local");
/** The plan fields a create body holds, by property: judged by the shared rules (rules.ts checkPlanBody). */
export const RULE_PROPERTIES: readonly PlanProperty[] = ENTRIES.filter(
  ([, spec]) => spec.api !== undefined && spec.check === undefined && spec.change !== "output",
).map(([p]) => p);
export const CHECKED_PROPERTIES = ENTRIES.filter(([, spec]) => spec.check !== undefined).map(
  ([p]) => p,
) as readonly CheckedProperty[];
/** The defaults `check` applies, by property. */
export const PLAN_DEFAULTS: Readonly<Partial<Record<PlanProperty, string>>> = Object.fromEntries(
  ENTRIES.filter(([, spec]) => spec.default !== undefined).map(([p, spec]) => [p, spec.default]),
);
/** The properties that are API plan fields, with their API names (every plan field but `id`). */
export const PLAN_PROPERTY_FIELDS: ReadonlyMap<PlanProperty, PlanApiField> = new Map(
  ENTRIES.flatMap(([p, spec]) => (spec.api === undefined ? [] : [[p, spec.api] as const])),
);

// Each API field's camelCase name is the property that carries it (checked once, at load).
for (const [property, field] of PLAN_PROPERTY_FIELDS) {
  if (PLAN_API[field].property !== property) throw new Error(`BackupPlan.${property} is not ${field}'s property`);
}
