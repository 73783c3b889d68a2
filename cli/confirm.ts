// Confirmation for destructive commands. A person at a terminal is asked; a script must say --yes,
// because a pipe cannot answer and silently proceeding would make `--yes` meaningless.
import { createInterface } from "node:readline/promises";
import type { CliIo } from "./io";
import { UsageError } from "./errors";

/** Fails fast (before any request) when nobody can answer the question. */
export function requireTerminal(io: CliIo, what: string): void {
  if (!io.stdinIsTTY) {
    throw new UsageError(
      `refusing to ${what} without confirmation: stdin is not a terminal`,
      "pass --yes to confirm from a script",
    );
  }
}

export async function confirm(io: CliIo, question: string, what: string): Promise<boolean> {
  requireTerminal(io, what);
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  // Ctrl-D (end of input) closes the interface without answering the question: that is a "no", and the
  // caller says so; left alone, the pending question would let the process end silently with exit 0.
  const closed = new Promise<undefined>((resolve) => rl.once("close", () => resolve(undefined)));
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), closed]);
    if (answer === undefined) io.stderr.write("\n");
    return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
