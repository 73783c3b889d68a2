// `--data FILE`: state is written atomically (temporary file, fsync, then rename), and read back on start.
// Writes of the API are acknowledged only after the state holding them is on disk (the server awaits
// `flush`), so a kill -9 loses nothing that was answered; bursts of concurrent writes share one file write.
// A crash mid-write leaves the previous file intact and a temporary file, removed on the next start.

import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { PersistedState } from "./app";

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot load emulator state from ${file}: ${reason}; fix or delete the file to start empty`);
    this.name = "DataFileError";
  }
}

export function loadState(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new DataFileError(file, error instanceof Error ? error.message : String(error));
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    (parsed as { format?: unknown }).format !== "scheduled-backup-emulator"
  ) {
    throw new DataFileError(file, 'it is not an emulator state file (format "scheduled-backup-emulator" expected)');
  }
  const state = parsed as PersistedState;
  if (state.store?.version !== 1)
    throw new DataFileError(file, `unsupported state version ${String(state.store?.version)}`);
  return state;
}

/** Removes `FILE.<pid>.<n>.tmp` files a crashed emulator left beside FILE. */
export function removeStaleTemporaries(file: string, log: (line: string) => void): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/\.\d+\.\d+\.tmp$/.test(name)) continue;
    rmSync(join(dir, name), { force: true });
    log(`removed ${join(dir, name)}, left by an emulator that stopped while writing`);
  }
}

export class Persister {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly produce: () => PersistedState,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 150,
  ) {}

  /** Schedules a write; bursts of changes are written once. */
  schedule(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes now if a write is pending, and waits for writes in flight. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  /** Final write on shutdown; changes after it (requests still in flight) are not written any more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private write(): Promise<void> {
    // Serialize now (a consistent snapshot), write after the previous write finished.
    const text = JSON.stringify(this.produce());
    this.sequence += 1;
    const temp = `${this.file}.${process.pid}.${this.sequence}.tmp`;
    this.writing = this.writing
      .then(async () => {
        const handle = await open(temp, "w");
        try {
          await handle.writeFile(text, "utf8");
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, this.file);
      })
      .catch(this.onError);
    return this.writing;
  }
}
