// The plan field rules of the API reference, written once: the emulator turns these problems into 422 entries, the
// provider's check into CheckFailures, and the policies into violations. Pure; paths are in the API's
// snake_case terms (provider/mapping.ts translates them to the BackupPlan's camelCase inputs).
import { validateSchedule } from "./schedule";
import { SERVER_FIELDS, UPDATABLE_FIELDS, WRITABLE_FIELDS } from "./fields/planApi";
import type { WritableField } from "./fields/planApi";
import { BACKUP_MODES, PLAN_STATUSES, RESOURCE_TYPES } from "./fields/values";
import type { BackupMode } from "./fields/values";
import { describeValue, isRecord } from "./values";

import { GUID_RE } from "./fields/patterns";

export { GUID_RE, PROJECT_ID_RE } from "./fields/patterns";
export { RESOURCE_TYPES, WRITABLE_FIELDS };
export const MAX_BACKUPS = { full: 90, frequency: 14 } as const satisfies Record<BackupMode, number>;
export const MAX_RESOURCES = 100;
export const NAME_MAX_LENGTH = 255;
export const DESCRIPTION_MAX_LENGTH = 1024;

/** One thing wrong with a plan body; `path` in API terms, e.g. ["resources", 1, "id"]. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
  fix: string;
}

function problem(path: (string | number)[], message: string, fix: string): FieldProblem {
  return { path, message, fix };
}

/** What a value is, for messages, without echoing it (bodies may be large or sensitive). */
function isModeWithLimit(mode: string): mode is keyof typeof MAX_BACKUPS {
  return mode === "full" || mode === "frequency";
}

/** max_backups: an integer of at least 1, at most 90 (full) or 14 chains (frequency). */
export function checkMaxBackups(mode: string, maxBackups: unknown): FieldProblem[] {
  const path = ["max_backups"];
  const limit = isModeWithLimit(mode) ? MAX_BACKUPS[mode] : undefined;
  const range = limit === undefined ? "at least 1" : `between 1 and ${limit}`;
  const unit =
    mode === "frequency" ? " (chains of a full backup and its incrementals)" : mode === "full" ? " (full backups)" : "";
  if (typeof maxBackups !== "number" || !Number.isInteger(maxBackups)) {
    return [
      problem(
        path,
        `max_backups must be a whole number, got ${describeValue(maxBackups)}`,
        `set max_backups to a whole number ${range}${unit}`,
      ),
    ];
  }
  if (maxBackups < 1) {
    return [
      problem(
        path,
        `max_backups is ${maxBackups}; it must be at least 1`,
        `keep at least one backup: set max_backups ${range}${unit}`,
      ),
    ];
  }
  if (limit !== undefined && maxBackups > limit) {
    const fix =
      mode === "frequency"
        ? `set max_backups between 1 and ${limit} chains; each chain holds 7 backups, ` +
          `so ${limit} chains already keep up to ${limit * 7} restore points`
        : `set max_backups between 1 and ${limit}, or use backup_mode \`frequency\` (chains of incrementals) ` +
          `for a longer look-back`;
    return [problem(path, `max_backups is ${maxBackups}; backup_mode \`${mode}\` allows at most ${limit}`, fix)];
  }
  return [];
}

/** name: a string of 1..255 characters. */
export function checkName(name: unknown): FieldProblem[] {
  const path = ["name"];
  if (typeof name !== "string")
    return [
      problem(
        path,
        `name must be a string, got ${describeValue(name)}`,
        "set name to a plan name of 1 to 255 characters, e.g. `db-nightly`",
      ),
    ];
  if (name.length === 0)
    return [problem(path, "name is empty", "set name to a plan name of 1 to 255 characters, e.g. `db-nightly`")];
  if (name.length > NAME_MAX_LENGTH)
    return [
      problem(
        path,
        `name is ${name.length} characters long; the limit is ${NAME_MAX_LENGTH}`,
        `shorten the name to at most ${NAME_MAX_LENGTH} characters`,
      ),
    ];
  return [];
}

/** description: a string of 0..1024 characters (empty is fine). */
export function checkDescription(d: unknown): FieldProblem[] {
  const path = ["description"];
  if (typeof d !== "string")
    return [
      problem(
        path,
        `description must be a string, got ${describeValue(d)}`,
        'set description to text of at most 1024 characters, or `""`',
      ),
    ];
  if (d.length > DESCRIPTION_MAX_LENGTH)
    return [
      problem(
        path,
        `description is ${d.length} characters long; the limit is ${DESCRIPTION_MAX_LENGTH}`,
        `shorten the description to at most ${DESCRIPTION_MAX_LENGTH} characters`,
      ),
    ];
  return [];
}

export function checkBackupMode(mode: unknown): FieldProblem[] {
  if (typeof mode === "string" && (BACKUP_MODES as readonly string[]).includes(mode)) return [];
  const shown = typeof mode === "string" ? `\`${mode}\`` : describeValue(mode);
  return [
    problem(
      ["backup_mode"],
      `backup_mode ${shown} is not supported`,
      "use `full` (every backup is a full copy, up to 90 kept) " +
        "or `frequency` (weekly full plus daily incrementals, up to 14 chains kept)",
    ),
  ];
}

export function checkStatus(status: unknown): FieldProblem[] {
  if (typeof status === "string" && (PLAN_STATUSES as readonly string[]).includes(status)) return [];
  const shown = typeof status === "string" ? `\`${status}\`` : describeValue(status);
  return [
    problem(
      ["status"],
      `status ${shown} is not supported`,
      "use `started` (backups run) or `suspended` (no new backups)",
    ),
  ];
}

/** resources: 1..100 of {id, name, type}, type OS::Cinder::Volume, non-empty id and name, unique ids. */
export function checkResources(resources: unknown, opts: { requireGuidIds?: boolean } = {}): FieldProblem[] {
  const path = ["resources"];
  if (!Array.isArray(resources)) {
    return [
      problem(
        path,
        `resources must be a list of volumes, got ${describeValue(resources)}`,
        'list the volumes to protect, e.g. `[{id, name, type: "OS::Cinder::Volume"}]`',
      ),
    ];
  }
  if (resources.length === 0)
    return [
      problem(
        path,
        "resources is empty; a plan protects at least one volume",
        'add at least one volume `{id, name, type: "OS::Cinder::Volume"}`',
      ),
    ];
  const problems: FieldProblem[] = [];
  if (resources.length > MAX_RESOURCES) {
    problems.push(
      problem(
        path,
        `resources lists ${resources.length} volumes; a plan holds at most ${MAX_RESOURCES}`,
        `split the volumes over several plans of at most ${MAX_RESOURCES}`,
      ),
    );
  }
  const firstIndexOfId = new Map<string, number>();
  resources.forEach((entry: unknown, index) => {
    const at = (field?: string): (string | number)[] =>
      field === undefined ? ["resources", index] : ["resources", index, field];
    if (!isRecord(entry)) {
      problems.push(
        problem(
          at(),
          `resources[${index}] must be an object {id, name, type}, got ${describeValue(entry)}`,
          'write each volume as `{id, name, type: "OS::Cinder::Volume"}`',
        ),
      );
      return;
    }
    const record = entry;
    for (const key of Object.keys(record)) {
      if (key !== "id" && key !== "name" && key !== "type") {
        problems.push(
          problem(
            at(key),
            `resources[${index}] has an unknown field \`${key}\``,
            "keep only `id`, `name` and `type` in each volume",
          ),
        );
      }
    }
    const { id, name, type } = record;
    if (typeof id !== "string" || id.trim() === "") {
      problems.push(
        problem(
          at("id"),
          `resources[${index}].id must be a non-empty string, ` +
            `got ${typeof id === "string" ? "an empty string" : describeValue(id)}`,
          "set id to the volume's id (a GUID such as `3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6`)",
        ),
      );
    } else {
      if (opts.requireGuidIds === true && !GUID_RE.test(id)) {
        problems.push(
          problem(
            at("id"),
            `resources[${index}].id \`${id}\` is not a GUID (8-4-4-4-12 hex digits)`,
            "use the volume's id, not its name, e.g. `3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6`",
          ),
        );
      }
      const first = firstIndexOfId.get(id.toLowerCase());
      if (first !== undefined) {
        problems.push(
          problem(
            at("id"),
            `resources[${index}].id \`${id}\` repeats resources[${first}].id`,
            "list each volume once per plan",
          ),
        );
      } else {
        firstIndexOfId.set(id.toLowerCase(), index);
      }
    }
    if (typeof name !== "string" || name.trim() === "") {
      problems.push(
        problem(
          at("name"),
          `resources[${index}].name must be a non-empty string, ` +
            `got ${typeof name === "string" ? "an empty string" : describeValue(name)}`,
          "set name to the volume's name",
        ),
      );
    }
    if (typeof type !== "string" || !(RESOURCE_TYPES as readonly string[]).includes(type)) {
      const shown = typeof type === "string" ? `\`${type}\`` : describeValue(type);
      problems.push(
        problem(
          at("type"),
          `resources[${index}].type ${shown} is not supported`,
          `use \`${RESOURCE_TYPES[0]}\`, the only resource type the service protects`,
        ),
      );
    }
  });
  return problems;
}

export interface PlanBodyCheckOptions {
  mode: "create" | "update";
  /**
   * update: the plan as stored, so a changed schedule is re-validated with the unchanged half and max_backups against
   * the plan's mode.
   */
  stored?: { backup_mode: string; schedule_type: string; schedule_pattern: string };
  /** Demand 8-4-4-4-12 hex resource ids (the provider and policies do; the emulator does not). */
  requireGuidIds?: boolean;
}

/**
 * Every validation rule of the API reference over a plan body in API terms (snake_case), all problems at once.
 * create: every writable field required, unknown and server-owned fields rejected. update: every field
 * optional, `null` counts as not sent, backup_mode immutable, status started|suspended.
 */
export function checkPlanBody(body: Record<string, unknown>, opts: PlanBodyCheckOptions): FieldProblem[] {
  // Parsed JSON can be anything; the signature is what callers usually hold, not a guarantee.
  const raw: unknown = body;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return [
      problem(
        [],
        `the plan body must be a JSON object, got ${describeValue(raw)}`,
        `send an object with the plan's fields, e.g. {"name": "db-nightly", ...}`,
      ),
    ];
  }
  const problems: FieldProblem[] = [];
  const sent = (field: string): boolean =>
    body[field] !== undefined && !(opts.mode === "update" && body[field] === null);
  const allowed: readonly string[] = opts.mode === "create" ? WRITABLE_FIELDS : UPDATABLE_FIELDS;

  for (const key of Object.keys(body)) {
    if (allowed.includes(key)) continue;
    if (opts.mode === "update" && key === "backup_mode") {
      if (sent(key)) {
        problems.push(
          problem(
            ["backup_mode"],
            "backup_mode cannot be changed on an existing plan",
            "leave backup_mode out of the update; to change the mode, create a new plan (and delete this one)",
          ),
        );
      }
      continue;
    }
    if (opts.mode === "update" && body[key] === null) continue;
    if ((SERVER_FIELDS as readonly string[]).includes(key)) {
      problems.push(
        problem(
          [key],
          `${key} is set by the service and cannot be sent${opts.mode === "create" ? " on create" : ""}`,
          `leave ${key} out of the request body`,
        ),
      );
    } else {
      problems.push(
        problem([key], `unknown field \`${key}\``, `remove it; the writable fields are ${allowed.join(", ")}`),
      );
    }
  }

  if (opts.mode === "create") {
    for (const field of WRITABLE_FIELDS) {
      if (body[field] === undefined) {
        problems.push(problem([field], `${field} is required`, requiredFix(field)));
      }
    }
  }

  if (sent("name")) problems.push(...checkName(body.name));
  if (sent("description")) problems.push(...checkDescription(body.description));
  if (opts.mode === "create" && sent("backup_mode")) problems.push(...checkBackupMode(body.backup_mode));
  if (opts.mode === "update" && sent("status")) problems.push(...checkStatus(body.status));
  if (sent("resources"))
    problems.push(...checkResources(body.resources, { requireGuidIds: opts.requireGuidIds === true }));

  const mode = opts.mode === "create" ? body.backup_mode : opts.stored?.backup_mode;
  if (sent("max_backups")) {
    // With an unknown or missing mode only the mode-independent bounds apply; the mode's own problem is reported above.
    problems.push(...checkMaxBackups(typeof mode === "string" ? mode : "", body.max_backups));
  }
  problems.push(...scheduleProblems(body, opts, sent));
  return problems;
}

function requiredFix(field: WritableField): string {
  switch (field) {
    case "name":
      return "set name, e.g. `db-nightly`";
    case "description":
      return 'set description (it may be `""`)';
    case "backup_mode":
      return "set backup_mode to `full` or `frequency`";
    case "max_backups":
      return "set max_backups, e.g. `7` (1 to 90 for full, 1 to 14 for frequency)";
    case "schedule_type":
      return "set schedule_type to `crontab` or `calendar`";
    case "schedule_pattern":
      return "set schedule_pattern to a five-field cron expression, e.g. `0 2 * * *` (daily at 02:00 UTC)";
    case "resources":
      return 'set resources to the volumes to protect, e.g. `[{id, name, type: "OS::Cinder::Volume"}]`';
  }
}

/** The schedule is validated as a pair: on update, a half that is not sent comes from the stored plan. */
function scheduleProblems(
  body: Record<string, unknown>,
  opts: PlanBodyCheckOptions,
  sent: (f: string) => boolean,
): FieldProblem[] {
  const typeSent = sent("schedule_type");
  const patternSent = sent("schedule_pattern");
  if (!typeSent && !patternSent) return [];
  const problems: FieldProblem[] = [];
  const type = typeSent ? body.schedule_type : opts.stored?.schedule_type;
  const pattern = patternSent ? body.schedule_pattern : opts.stored?.schedule_pattern;
  if (typeSent && typeof type !== "string") {
    problems.push(
      problem(
        ["schedule_type"],
        `schedule_type must be a string, got ${describeValue(type)}`,
        "set schedule_type to `crontab` or `calendar`",
      ),
    );
  }
  if (patternSent && typeof pattern !== "string") {
    problems.push(
      problem(
        ["schedule_pattern"],
        `schedule_pattern must be a string, got ${describeValue(pattern)}`,
        "set schedule_pattern to a five-field cron expression, e.g. `0 2 * * *`",
      ),
    );
  }
  if (typeof type !== "string" || typeof pattern !== "string") {
    // Half of the pair is missing (create without it: already reported as required) or of the wrong type;
    // the pattern's own syntax can still be checked on its own.
    if (typeof pattern === "string" && patternSent) {
      for (const p of validateSchedule("crontab", pattern)) problems.push(problem([p.field], p.message, p.fix));
    } else if (typeof type === "string" && typeSent) {
      for (const p of validateSchedule(type, "0 0 * * *"))
        if (p.field === "schedule_type") problems.push(problem([p.field], p.message, p.fix));
    }
    return problems;
  }
  for (const p of validateSchedule(type, pattern)) {
    const carried = (p.field === "schedule_type" && !typeSent) || (p.field === "schedule_pattern" && !patternSent);
    // A problem in the stored half exists only because of the half being changed: report it on the sent field.
    const field = carried ? (p.field === "schedule_type" ? "schedule_pattern" : "schedule_type") : p.field;
    const note = carried
      ? ` (with the plan's current ${p.field} \`${p.field === "schedule_type" ? type : pattern}\`)`
      : "";
    problems.push(problem([field], `${p.message}${note}`, p.fix));
  }
  return problems;
}
