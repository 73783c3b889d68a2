#!/usr/bin/env node
// The `scheduled-backup` bin. Everything but wiring the real process lives in run.ts.
import { processIo } from "./io";
import { runCli } from "./run";

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli turns every failure into an exit code; reaching this is a bug, so show the stack.
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
