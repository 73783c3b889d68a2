// What a subcommand is: its words, help, flags, positionals and a run function. run.ts owns the
// dispatch; each command group lives in its own module under commands/.
import type { ScheduledBackupClient } from "../provider/api";
import type { ExitCode } from "./errors";
import type { CliIo } from "./io";
import type { OptionSpecs, ParsedValues } from "./options";

export interface CommandContext {
  io: CliIo;
  values: ParsedValues;
  /** Positionals after the command words, already checked against `positionals`. */
  args: string[];
  json: boolean;
  /** Built on first use, so `schedule explain` and usage errors never need credentials. */
  client(): ScheduledBackupClient;
}

export interface Command {
  /** e.g. ["plans", "list"] or ["restore"]. */
  words: readonly string[];
  summary: string;
  /** Everything after `scheduled-backup <words>`, e.g. "ID [--json]". */
  usage: string;
  /** Extra help lines: flags, behaviour, examples. */
  details?: string;
  options: OptionSpecs;
  positionals: readonly string[];
  usesApi: boolean;
  /** Resolves to an exit code when success is not simply 0 (`health` answers 4 on a breach). */
  run(ctx: CommandContext): Promise<void | ExitCode>;
}
