// A read-only view of one BackupPlan's properties as a policy sees them: the camelCase inputs at
// Analyze (`args.props`), the outputs at AnalyzeStack. Reading goes through the analyzer's
// unknown-checking proxy, so touching a value that is unknown during preview throws
// `UnknownValueError`, which @pulumi/policy turns into its "can't run during preview" advisory. Nothing
// here catches that error, except `label`, which only decides how a message names the plan.
import { UnknownValueError } from "@pulumi/policy";
import { analyzeSchedule, retention, ScheduleError } from "../../provider/schedule";
import type { Retention, ScheduleAnalysis, ScheduleType } from "../../provider/schedule";
import { BACKUP_PLAN_TYPE } from "../../provider/tokens";
import { PLAN_DEFAULTS, PLAN_INPUT_PROPERTIES, PLAN_PROPERTY_FIELDS } from "../../provider/fields/backupPlan";
import type { BACKUP_PLAN, PlanInputProperty, PlanProperty } from "../../provider/fields/backupPlan";
import { SCHEDULE_TYPES } from "../../provider/fields/values";
import { asRecord } from "../../provider/values";
import { behindProxy, knownProperty } from "./known";

export type Props = Record<string, unknown>;

/** Whether a resource (or a type token) is one of our BackupPlans; matched by token, not by class. */
export function isBackupPlan(resource: { type: string } | string): boolean {
  return (typeof resource === "string" ? resource : resource.type) === BACKUP_PLAN_TYPE;
}

/** Deep copy of a property value read through the proxy: every unknown inside throws on the way. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = plain((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}

/** The stack segment of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1];
}

/** What retention maths needs from a plan's inputs. */
export type RetentionInputs = Readonly<{ mode: "full" | "frequency"; maxBackups: number }>;

export interface PlanResourceEntry {
  id: unknown;
  name: unknown;
  type: unknown;
}

/**
 * A property as the provider sees it: the input, or the default its `check` applies when the input is left out
 * (`full` mode, `crontab` schedules, `started`; the field table's defaults).
 */
function read(view: PlanView, property: PlanProperty): unknown {
  return knownProperty(view.props, property, view.target) ?? PLAN_DEFAULTS[property];
}

/** The inputs that are API plan fields, read plainly (`status` keeps its own getter, which remembers). */
type ViewedProperty = Exclude<
  { [P in PlanInputProperty]: (typeof BACKUP_PLAN)[P] extends { api: string } ? P : never }[PlanInputProperty],
  "status"
>;
const VIEWED = PLAN_INPUT_PROPERTIES.filter((p) => PLAN_PROPERTY_FIELDS.has(p) && p !== "status") as ViewedProperty[];

// The getters of VIEWED, defined on the prototype below; the merge gives them their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface PlanView extends Readonly<Record<ViewedProperty, unknown>> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class PlanView {
  /** What `props` reads from (see known.ts), asked for once. */
  readonly target: Props | undefined;
  // Stack policies ask for these once per volume a plan covers, so the first answer is kept (an unknown
  // value throws on every read, and nothing is kept). `null`: worked out, and there is none.
  private analysed: ScheduleAnalysis | null | undefined;
  private retentionRead: RetentionInputs | null | undefined;
  private labelRead: string | undefined;
  private statusRead: unknown;

  constructor(
    readonly props: Props,
    readonly resourceName: string,
    readonly urn: string,
  ) {
    this.target = behindProxy(props) as Props | undefined;
  }

  /** How messages name the plan: its `name` input, else the Pulumi resource name. */
  get label(): string {
    this.labelRead ??= this.readLabel();
    return this.labelRead;
  }

  private readLabel(): string {
    try {
      const name = knownProperty(this.props, "name", this.target);
      return typeof name === "string" && name.trim() !== "" ? name : this.resourceName;
    } catch (err) {
      // A name computed from other resources is unknown in preview; the message still needs a label.
      if (err instanceof UnknownValueError) return this.resourceName;
      throw err;
    }
  }

  /** The plan's status; the provider creates plans `started` when the input is left out. */
  get status(): unknown {
    this.statusRead ??= read(this, "status");
    return this.statusRead;
  }

  /** The resource entries as plain objects (reads every entry, so unknown ids throw). */
  resourceEntries(): PlanResourceEntry[] {
    const value = plain(this.resources);
    if (!Array.isArray(value)) return [];
    return value.map((entry) => {
      const record = asRecord(entry);
      return { id: record["id"], name: record["name"], type: record["type"] };
    });
  }

  /** The schedule analysis, or undefined when the schedule is invalid (`schedule-valid` reports that). */
  analysis(): ScheduleAnalysis | undefined {
    if (this.analysed === undefined) {
      const type = this.scheduleType;
      const pattern = this.schedulePattern;
      this.analysed = analyse(type, pattern) ?? null;
    }
    return this.analysed ?? undefined;
  }

  /** The analysis, or the policy is not applicable: an invalid schedule is schedule-valid's to report. */
  requireAnalysis(args: { notApplicable(reason?: string): never }): ScheduleAnalysis {
    return this.analysis() ?? args.notApplicable("the schedule is invalid (reported by schedule-valid)");
  }

  /** Mode and count, or the policy is not applicable: invalid values are max-backups-range's to report. */
  requireRetentionInputs(args: { notApplicable(reason?: string): never }): RetentionInputs {
    return (
      this.retentionInputs() ??
      args.notApplicable("backupMode or maxBackups is invalid (reported by max-backups-range)")
    );
  }

  /** Mode and count when both are usable for retention maths, else undefined (`max-backups-range` reports). */
  retentionInputs(): RetentionInputs | undefined {
    if (this.retentionRead === undefined) {
      const mode = this.backupMode;
      const maxBackups = this.maxBackups;
      const usable =
        (mode === "full" || mode === "frequency") &&
        typeof maxBackups === "number" &&
        Number.isInteger(maxBackups) &&
        maxBackups >= 1;
      this.retentionRead = usable ? { mode, maxBackups } : null;
    }
    return this.retentionRead ?? undefined;
  }
}

// Once, at load: a getter per table field on the prototype, so a read allocates nothing (the policy bench's
// 25,000 plans read them on every policy).
for (const property of VIEWED) {
  Object.defineProperty(PlanView.prototype, property, {
    get(this: PlanView): unknown {
      return read(this, property);
    },
    configurable: true,
  });
}

const retentions = new WeakMap<ScheduleAnalysis, Map<string, Map<number, Retention>>>();

/**
 * `retention`, remembered per analysis, mode and count: a stack's plans share a few schedules. Keyed by mode,
 * then count (no key string is built per call: volume-tier asks once per volume).
 */
export function retentionOf(analysis: ScheduleAnalysis, mode: "full" | "frequency", maxBackups: number): Retention {
  let byMode = retentions.get(analysis);
  if (byMode === undefined) retentions.set(analysis, (byMode = new Map<string, Map<number, Retention>>()));
  let byCount = byMode.get(mode);
  if (byCount === undefined) byMode.set(mode, (byCount = new Map<number, Retention>()));
  let result = byCount.get(maxBackups);
  if (result === undefined) byCount.set(maxBackups, (result = retention(analysis, mode, maxBackups)));
  return result;
}

export function analyse(type: unknown, pattern: unknown): ScheduleAnalysis | undefined {
  if (typeof type !== "string" || !(SCHEDULE_TYPES as readonly string[]).includes(type) || typeof pattern !== "string")
    return undefined;
  try {
    return analyzeSchedule(type as ScheduleType, pattern);
  } catch (err) {
    if (err instanceof ScheduleError) return undefined;
    throw err;
  }
}
