// Exit codes and the one place that turns any failure into a line for a person (or a JSON object on
// stderr under --json). Credentials never reach here: the client's typed errors carry the method,
// path and API message only, and we print nothing else from them.
import { ApiError, ConfigError, NotFoundError, ValidationError } from "../provider/api/errors";
import { ScheduleError } from "../provider/schedule";

export const EXIT = {
  ok: 0,
  /** The API refused or failed, the network failed, or the user declined a confirmation. */
  failed: 1,
  /** The command line is wrong: unknown flag, missing argument, bad value, missing configuration. */
  usage: 2,
  /** The plan, checkpoint, item or chain does not exist. */
  notFound: 3,
  /** `health`: a volume's newest usable backup is older than its plan's RPO. */
  breach: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line, caught before any request is sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Something the user asked for is not there (found out without a 404, e.g. by scanning a listing). */
export class NotFoundLocallyError extends Error {
  override readonly name = "NotFoundLocallyError";
}

/** The command ran and its outcome is a failure that is neither an API error nor a usage error. */
export class CommandFailedError extends Error {
  override readonly name = "CommandFailedError";
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof ScheduleError) return EXIT.usage;
  if (err instanceof NotFoundError || err instanceof NotFoundLocallyError) return EXIT.notFound;
  if (isParseArgsError(err)) return EXIT.usage;
  return EXIT.failed;
}

export function isParseArgsError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error) || !("code" in err)) return false;
  const code: unknown = err.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

export interface ErrorReport {
  kind: string;
  message: string;
  exitCode: ExitCode;
  status?: number;
  code?: string;
  errorKey?: string;
  requestId?: string;
  problems?: { field: string; message: string }[];
  hint?: string;
}

export function describeError(err: unknown): ErrorReport {
  const exitCode = exitCodeFor(err);
  if (err instanceof ApiError) {
    // The service words a refused checkpoint delete as a raw request; this CLI has a command for it.
    const message = err.message.replace(
      /DELETE \/checkpoints\/\?chain_id=([\w-]+)/g,
      "`scheduled-backup chains delete $1`",
    );
    const report: ErrorReport = { kind: err.name, message, exitCode };
    if (err.status !== undefined) report.status = err.status;
    if (err.code !== undefined) report.code = err.code;
    if (err.errorKey !== undefined) report.errorKey = err.errorKey;
    if (err.requestId !== undefined) report.requestId = err.requestId;
    if (err instanceof ValidationError) {
      report.problems = err.problems.map((p) => ({ field: p.field, message: p.msg }));
    }
    return report;
  }
  if (err instanceof ScheduleError) {
    return {
      kind: err.name,
      message: err.message,
      exitCode,
      problems: err.problems.map((p) => ({ field: p.field, message: `${p.message}; ${p.fix}` })),
    };
  }
  if (err instanceof UsageError) {
    const report: ErrorReport = { kind: err.name, message: err.message, exitCode };
    if (err.hint !== undefined) report.hint = err.hint;
    return report;
  }
  if (err instanceof ConfigError) {
    // Worded for the command line by run.ts (options.ts forCommandLine): flags and environment variables.
    return {
      kind: err.name,
      message: err.message,
      exitCode,
      hint: "See --help for the connection flags and their environment variables.",
    };
  }
  if (err instanceof Error) return { kind: err.name, message: err.message, exitCode };
  return { kind: "Error", message: String(err), exitCode };
}

/** Lines for a person: the message, each field problem not already in it, and the request id for support. */
export function formatErrorReport(report: ErrorReport): string[] {
  const lines = [`error: ${report.message}`];
  for (const problem of report.problems ?? []) {
    const line = `  ${problem.field}: ${problem.message}`;
    if (!report.message.includes(problem.message)) lines.push(line);
  }
  if (report.hint !== undefined) lines.push(report.hint);
  if (report.requestId !== undefined && !report.message.includes(report.requestId))
    lines.push(`(request id ${report.requestId})`);
  return lines;
}
