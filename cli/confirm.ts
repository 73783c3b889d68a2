// Confirmation for destructive commands. A person at a terminal is asked; a script must say --yes,
// because a pipe cannot answer and silently proceeding would make `--yes` meaningless.
import { createInterface } from "node:readline/promises";
import type { CliIo } from "./io";
import { UsageError } from "./errors";

/** Fails fast (before any request) when nobody can answer the question. */
export function requireTerminal(io: CliIo, what: string): void {
  if (!io.stdinIsTTY) {
    throw new UsageError(`refusing to ${what} without confirmation: stdin is not a terminal`, "pass --yes to confirm from a script");
  }
}

export async function confirm(io: CliIo, question: string, what: string): Promise<boolean> {
  requireTerminal(io, what);
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
