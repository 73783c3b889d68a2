// Dispatch: find the command from its words, parse its flags, run it, and turn the outcome into an
// exit code. Kept apart from main.ts so tests can drive the CLI in-process with a fake CliIo.
import { ScheduledBackupClient } from "../provider/api";
import { packageVersion } from "../provider/api/version";
import type { Command, CommandContext } from "./command";
import { checkpointsDelete, checkpointsGet, checkpointsList, chainsDelete } from "./commands/checkpoints";
import { healthCommand } from "./commands/health";
import { importPlans } from "./commands/import-plans";
import { plansGet, plansList } from "./commands/plans";
import { policyCheckConfig } from "./commands/policy";
import { restoreCommand } from "./commands/restore";
import { scheduleExplain } from "./commands/schedule";
import { EXIT, UsageError, describeError, formatErrorReport, type ExitCode } from "./errors";
import { type CliIo, writeJson, writeLine } from "./io";
import {
  COMMON_OPTIONS,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  booleanFlag,
  cliClientConfig,
  explainWrongBasePath,
  forCommandLine,
  parse,
  type ParsedValues,
} from "./options";
import { ConfigError } from "../provider/api/errors";
import { GUID_RE, PROJECT_ID_RE } from "../provider/rules";

export const COMMANDS: readonly Command[] = [
  plansList,
  plansGet,
  checkpointsList,
  checkpointsGet,
  checkpointsDelete,
  chainsDelete,
  restoreCommand,
  scheduleExplain,
  importPlans,
  policyCheckConfig,
  healthCommand,
];

const EXIT_HELP = `Exit codes:
  0  success
  1  the API refused or failed (the message says why), the network failed, or a confirmation was declined
  2  usage error: unknown flag, missing or bad argument, invalid schedule, missing configuration
  3  not found: no such plan, checkpoint, checkpoint item or chain
  4  health: a volume's newest usable backup is older than its plan's RPO (a breach)`;

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(" ").length));
  const list = COMMANDS.map((c) => `  ${c.words.join(" ").padEnd(width)}  ${c.summary}`).join("\n");
  return `scheduled-backup: day-2 operations on Scheduled Backup API v2 plans, checkpoints and restores

Usage: scheduled-backup <command> [arguments] [flags]

Commands:
${list}

Every command takes --json (machine-readable output on stdout; errors as JSON on stderr) and --help.
Run \`scheduled-backup <command> --help\` for its flags.

${CONNECTION_HELP}

${EXIT_HELP}
`;
}

export function commandHelp(command: Command): string {
  const parts = [
    `Usage: scheduled-backup ${command.words.join(" ")} ${command.usage}`,
    "",
    `${command.summary[0]?.toUpperCase() ?? ""}${command.summary.slice(1)}.`,
  ];
  if (command.details !== undefined) parts.push("", command.details);
  if (command.usesApi) parts.push("", CONNECTION_HELP);
  parts.push("", EXIT_HELP, "");
  return parts.join("\n");
}

function groupHelpText(group: readonly Command[]): string {
  const lines = group.map((c) => `  scheduled-backup ${c.words.join(" ")} ${c.usage}\n      ${c.summary}`);
  return `Commands:\n${lines.join("\n")}\n\nRun \`scheduled-backup <command> --help\` for flags and exit codes.\n`;
}

/** The command named by the leading words of argv, and the rest of argv. */
export function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.words.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || command.words.length > best.words.length)) best = command;
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(best.words.length) };
}

function unknownCommandError(argv: readonly string[]): UsageError {
  const group = COMMANDS.filter((c) => c.words.length > 1 && c.words[0] === argv[0]);
  if (group.length > 0) {
    const verbs = group.map((c) => c.words[1]).join(", ");
    return new UsageError(
      argv[1] === undefined
        ? `\`${argv[0] ?? ""}\` needs a subcommand: ${verbs}`
        : `unknown subcommand \`${argv[0] ?? ""} ${argv[1]}\`; expected one of: ${verbs}`,
      `see \`scheduled-backup ${argv[0] ?? ""} --help\``,
    );
  }
  return new UsageError(`unknown command \`${argv[0] ?? ""}\``, "see `scheduled-backup --help`");
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const wantsJson = argv.includes("--json");
  // `help plans` / `help plans list` mean `plans --help` / `plans list --help`.
  if (argv[0] === "help" && argv.length > 1)
    return runCli([...argv.slice(1).filter((a) => a !== "--help" && a !== "-h"), "--help"], io);
  let current: Command | undefined;
  let parsedValues: ParsedValues | undefined;
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      io.stdout.write(mainHelp());
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      writeLine(io.stdout, packageVersion());
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (found === undefined) {
      const groupHelp = argv.length === 2 && (argv[1] === "--help" || argv[1] === "-h");
      const group = COMMANDS.filter((c) => c.words[0] === argv[0]);
      if (groupHelp && group.length > 0) {
        io.stdout.write(groupHelpText(group));
        return EXIT.ok;
      }
      throw unknownCommandError(argv);
    }
    const { command, rest } = found;
    current = command;
    const options = { ...COMMON_OPTIONS, ...(command.usesApi ? CONNECTION_OPTIONS : {}), ...command.options };
    const { values, positionals } = parse(rest, options);
    parsedValues = values;
    if (booleanFlag(values, "help")) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (positionals.length !== command.positionals.length) {
      const expected = command.positionals.length === 0 ? "no arguments" : command.positionals.join(" ");
      throw new UsageError(
        positionals.length < command.positionals.length
          ? `missing ${command.positionals.slice(positionals.length).join(" ")}`
          : `unexpected argument \`${positionals[command.positionals.length] ?? ""}\` (expected ${expected})`,
        `usage: scheduled-backup ${command.words.join(" ")} ${command.usage}`,
      );
    }
    checkIds(command.positionals, positionals, values);
    let client: ScheduledBackupClient | undefined;
    const ctx: CommandContext = {
      io,
      values,
      args: positionals,
      json: booleanFlag(values, "json"),
      // The client is built once per command, so the insecure warning is printed once.
      client: () =>
        (client ??= new ScheduledBackupClient(
          cliClientConfig(values, io.env, (line) => io.stderr.write(`warning: ${line}\n`)),
        )),
    };
    return (await command.run(ctx)) ?? EXIT.ok;
  } catch (caught) {
    // A mistake in the command line is shown with the command's usage, unless it already says what to do.
    const err =
      caught instanceof UsageError && caught.hint === undefined && current !== undefined
        ? new UsageError(caught.message, `usage: scheduled-backup ${current.words.join(" ")} ${current.usage}`)
        : ((parsedValues !== undefined ? explainWrongBasePath(caught, parsedValues, io.env) : undefined) ??
          (caught instanceof ConfigError ? forCommandLine(caught) : caught));
    const report = describeError(err);
    if (wantsJson) writeJson(io.stderr, { error: report });
    else for (const line of formatErrorReport(report)) writeLine(io.stderr, line);
    return report.exitCode;
  }
}

/** Ids go into URL paths: refuse anything but an id's own form before a request is made. */
function checkIds(names: readonly string[], args: readonly string[], values: Record<string, unknown>): void {
  names.forEach((name, i) => {
    const value = args[i] ?? "";
    if (name.endsWith("ID") && !GUID_RE.test(value)) {
      throw new UsageError(
        `${name} must be a UUID (8-4-4-4-12 hex digits), got ${JSON.stringify(value)}`,
        "take it from a list command's ID column or --json output",
      );
    }
  });
  const project = values["project-id"];
  if (typeof project === "string" && !PROJECT_ID_RE.test(project)) {
    throw new UsageError(
      `--project-id must be a project id (a UUID), got ${JSON.stringify(project)}`,
      "use the project's id, e.g. 5c1f0a7e-2b3d-4e8f-9a61-7d0c4b2e8f13",
    );
  }
}
