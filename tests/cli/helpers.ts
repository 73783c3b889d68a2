// Shared fixtures of the CLI tests: an emulator per suite, plans created through the real client, and
// two ways to run the CLI: the compiled bin in a child process (exit codes, real streams) and runCli
// in-process (a fake terminal on stdin, for confirmation prompts).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { type Plan, type PlanCreate, ScheduledBackupClient } from "../../provider/api";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";

/** The compiled bin, found next to this compiled test (works from dist/ and from any --outDir). */
export const MAIN_JS = join(__dirname, "..", "..", "cli", "main.js");

export const VOLUMES = [
  { id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0001", name: "db-data" },
  { id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0002", name: "web-data" },
  { id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0003", name: "logs" },
] as const;

/** A clean environment: nothing of the developer's own SCHEDULED_BACKUP_* / OS_* leaks into a test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("SCHEDULED_BACKUP_") && !key.startsWith("OS_")) env[key] = value;
  }
  return { ...env, ...extra };
}

export function emulatorEnv(emulator: EmulatorHandle): NodeJS.ProcessEnv {
  return cleanEnv({
    SCHEDULED_BACKUP_ENDPOINT: emulator.endpoint,
    SCHEDULED_BACKUP_TOKEN: emulator.token,
    SCHEDULED_BACKUP_PROJECT_ID: emulator.projectId,
    SCHEDULED_BACKUP_MAX_RETRIES: "0",
  });
}

/** `log` receives the emulator's request lines ("METHOD path status ms id"), for tests that wait on a request. */
export async function startTestEmulator(log?: (line: string) => void): Promise<EmulatorHandle> {
  return startEmulator({
    port: 0,
    volumes: VOLUMES.map((v) => ({ ...v })),
    startTime: new Date("2025-03-03T00:00:00Z"),
    ...(log ? { log } : {}),
  });
}

export function clientFor(emulator: EmulatorHandle): ScheduledBackupClient {
  return new ScheduledBackupClient({
    endpoint: emulator.endpoint,
    token: emulator.token,
    projectId: emulator.projectId,
    maxRetries: 0,
  });
}

export function planBody(overrides: Partial<PlanCreate> = {}): PlanCreate {
  const volume = VOLUMES[0];
  return {
    name: "db-nightly",
    description: "nightly backup of the database volume",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [{ id: volume.id, name: volume.name, type: "OS::Cinder::Volume" }],
    ...overrides,
  };
}

export async function createPlan(emulator: EmulatorHandle, overrides: Partial<PlanCreate> = {}): Promise<Plan> {
  return clientFor(emulator).createPlan(planBody(overrides));
}

export async function admin(
  emulator: EmulatorHandle,
  method: "POST" | "PUT" | "GET",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const init: RequestInit = { method, headers: { "content-type": "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`${emulator.admin}${path}`, init);
  if (!response.ok) throw new Error(`admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

export async function advanceClock(emulator: EmulatorHandle, seconds: number): Promise<void> {
  await admin(emulator, "POST", "/clock/advance", { seconds });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled bin; stdin is a pipe (not a TTY) that is closed at once unless `input` is given.
 * `onStderr` sees the stderr so far after each chunk, for tests that act once the CLI said something.
 */
export function runMain(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = "",
  onStderr?: (stderr: string) => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN_JS, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      onStderr?.(stderr);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface InProcessOptions {
  env: NodeJS.ProcessEnv;
  stdinIsTTY?: boolean;
  stderrIsTTY?: boolean;
  input?: string;
  now?: Date;
}

/** Runs the CLI in this process with a scripted terminal. */
export async function runInProcess(args: string[], options: InProcessOptions): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  stdin.end(options.input ?? "");
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    stdinIsTTY: options.stdinIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    env: options.env,
    now: () => options.now ?? new Date(),
  };
  const code = await runCli(args, io);
  return { code, stdout: out, stderr: err };
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}
