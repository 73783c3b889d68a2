// Fault injection (docs/design.md §7). The configuration is validated strictly: a typo in a fault rule would
// otherwise silently test nothing.

import { z } from "zod";
import { BACKUP_STREAM, BackupFaults, backupRuleSchema, type BackupOutcome } from "./backupFaults";
import { OPERATION_NAMES, ROUTES, type OperationName } from "../provider/api/routes";
import { mulberry32 } from "../provider/random";

export type Operation = OperationName;

/** Operations that change state: persisted after they answer, and the only ones a late commit means anything for. */
export const MUTATING: ReadonlySet<Operation> = new Set(OPERATION_NAMES.filter((op) => ROUTES[op].method !== "GET"));
type FaultOperation = Operation | "auth";

const ruleSchema = z
  .strictObject({
    operation: z.enum([...OPERATION_NAMES, "auth"]),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    reset: z.enum(["before-commit", "after-commit"]).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    times: z.number().int().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
    commit: z.enum(["before", "after"]).optional(),
    commitDelayMs: z.number().int().min(1).max(600_000).optional(),
    skip: z.number().int().min(1).optional(),
  })
  .refine((rule) => rule.status !== undefined || rule.reset !== undefined || rule.delayMs !== undefined, {
    message: "a rule needs an effect: `status`, `reset` or `delayMs`",
  })
  .refine((rule) => !(rule.status !== undefined && rule.reset !== undefined), {
    message: "`status` answers an error and `reset` answers nothing: choose one",
  })
  .refine((rule) => rule.retryAfterSeconds === undefined || rule.status !== undefined, {
    message: "`retryAfterSeconds` is sent with an error `status`; add one",
    path: ["retryAfterSeconds"],
  })
  .superRefine(checkLateCommit);

/**
 * `commit` and `commitDelayMs`: the change is applied although the answer is an error (issue 10's ambiguous creates).
 */
function checkLateCommit(
  rule: {
    operation: string;
    status?: number | undefined;
    commit?: "before" | "after" | undefined;
    commitDelayMs?: number | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const late = rule.commit === "after" || rule.commitDelayMs !== undefined;
  if (!late) return;
  if (rule.status === undefined) {
    ctx.addIssue({
      code: "custom",
      message: '`commit: "after"` and `commitDelayMs` apply the change and answer an error `status`; add one',
      path: ["status"],
    });
  }
  if (!(MUTATING as ReadonlySet<string>).has(rule.operation)) {
    ctx.addIssue({
      code: "custom",
      message: `\`${rule.operation}\` changes nothing: a late commit needs one of ${[...MUTATING].join(", ")}`,
      path: ["operation"],
    });
  }
  if (rule.commit === "before" && rule.commitDelayMs !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: '`commit: "before"` answers the error without applying anything; drop it or `commitDelayMs`',
      path: ["commit"],
    });
  }
}

const faultsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  rules: z.array(ruleSchema).optional(),
  activationDelaySeconds: z.number().min(0).max(3600).optional(),
  deletionDelaySeconds: z.number().min(0).max(3600).optional(),
  protectingSeconds: z
    .number()
    .min(0)
    .max(366 * 24 * 3600)
    .optional(),
  seed: z.number().int().optional(),
  /** Scheduled runs that fail or are skipped (backupFaults.ts). */
  backups: z.array(backupRuleSchema).optional(),
});

type FaultRule = z.infer<typeof ruleSchema>;
type Faults = z.infer<typeof faultsSchema>;

export class FaultConfigError extends Error {
  constructor(
    readonly issues: { path: (string | number)[]; message: string }[],
    pretty: string,
  ) {
    super(pretty);
    this.name = "FaultConfigError";
  }
}

export function parseFaults(input: unknown): Faults {
  const result = faultsSchema.safeParse(input);
  if (!result.success) {
    throw new FaultConfigError(
      result.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: issue.message,
      })),
      z.prettifyError(result.error),
    );
  }
  return result.data;
}

/** What a request meets: extra latency, then maybe an error status, a reset or a delay. */
interface FaultDecision {
  delayMs: number;
  status?: number;
  retryAfterSeconds?: number;
  reset?: "before-commit" | "after-commit";
  /** Apply the change although the answer is `status`: at once ("after") or this many ms later. */
  lateCommit?: { delayMs: number };
}

/** The late-commit part of a status rule, if any. */
function lateCommitOf(rule: FaultRule): { delayMs: number } | undefined {
  if (rule.commitDelayMs !== undefined) return { delayMs: rule.commitDelayMs };
  return rule.commit === "after" ? { delayMs: 0 } : undefined;
}

interface LiveRule {
  rule: FaultRule;
  remaining: number; // Infinity without `times`
  /** Matching requests still let through before the rule applies (`skip`). */
  toSkip: number;
}

export class FaultEngine {
  private config: Faults = {};
  private rules: LiveRule[] = [];
  private random: () => number = mulberry32(0);
  private readonly backups = new BackupFaults();

  configure(config: Faults): void {
    this.cancelLateCommits();
    this.config = config;
    this.rules = (config.rules ?? []).map((rule) => ({
      rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      toSkip: rule.skip ?? 0,
    }));
    this.random = mulberry32(config.seed ?? 0);
    this.backups.configure(config.backups ?? [], mulberry32(((config.seed ?? 0) ^ BACKUP_STREAM) >>> 0));
  }

  /** The configuration as set, with how many firings each counted rule has left. */
  describe(): Faults & { remaining: (number | null)[]; backupsRemaining: (number | null)[] } {
    return {
      ...this.config,
      remaining: this.rules.map((live) => (Number.isFinite(live.remaining) ? live.remaining : null)),
      backupsRemaining: this.backups.remaining(),
    };
  }

  /** The fate of one scheduled run of the plan: undefined for a normal run. */
  backupOutcome(planName: string): BackupOutcome | undefined {
    return this.backups.outcome(planName);
  }

  get activationDelaySeconds(): number {
    return this.config.activationDelaySeconds ?? 0;
  }

  get deletionDelaySeconds(): number {
    return this.config.deletionDelaySeconds ?? 0;
  }

  protectingSeconds(defaultSeconds: number): number {
    return this.config.protectingSeconds ?? defaultSeconds;
  }

  private lateCommits = new Set<NodeJS.Timeout>();

  /** Runs `apply` after `delayMs` unless the faults are replaced or cleared (or the emulator resets) first. */
  scheduleLateCommit(apply: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.lateCommits.delete(timer);
      apply();
    }, delayMs);
    timer.unref();
    this.lateCommits.add(timer);
  }

  cancelLateCommits(): void {
    for (const timer of this.lateCommits) clearTimeout(timer);
    this.lateCommits.clear();
  }

  /** Decides the fate of one request. The first rule of the operation that fires wins; a delay rule combines. */
  decide(operation: FaultOperation): FaultDecision {
    const decision: FaultDecision = { delayMs: this.config.latencyMs ?? 0 };
    for (const live of this.rules) {
      if (live.rule.operation !== operation || live.remaining <= 0) continue;
      if (live.toSkip > 0) {
        live.toSkip -= 1;
        continue;
      }
      if (live.rule.rate !== undefined && this.random() >= live.rule.rate) continue;
      live.remaining -= 1;
      decision.delayMs += live.rule.delayMs ?? 0;
      if (live.rule.status !== undefined) {
        decision.status = live.rule.status;
        if (live.rule.retryAfterSeconds !== undefined) decision.retryAfterSeconds = live.rule.retryAfterSeconds;
        const lateCommit = lateCommitOf(live.rule);
        if (lateCommit !== undefined) decision.lateCommit = lateCommit;
        return decision;
      }
      if (live.rule.reset !== undefined) {
        decision.reset = live.rule.reset;
        return decision;
      }
    }
    return decision;
  }
}
