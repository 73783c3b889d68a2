// The CLI's edges, injected so commands can be driven in-process by tests (a fake TTY on stdin, a
// frozen clock) and by main.ts with the real process streams.
import type { Readable, Writable } from "node:stream";

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** Whether a person can answer a prompt: confirmation is only asked on a TTY. */
  stdinIsTTY: boolean;
  /** Progress lines are only drawn on a TTY, so logs and pipes stay clean. */
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now(): Date;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => new Date(),
  };
}

export function writeLine(stream: Writable, line = ""): void {
  stream.write(`${line}\n`);
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
