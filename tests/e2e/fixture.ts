// The one fixture of the end-to-end tests (tests/e2e/): every test here runs real programs through the engine
// stand-in (tests/engine) against a service it starts itself on 127.0.0.1, and looks at what came out.
//
// - Where things are: `REPO_ROOT`, `fixtureDir(name)` (the programs and packs under tests/e2e/fixtures/).
// - The service: `startHarness(options)` starts the emulator with `VOLUMES` (options override), logs every
//   request it serves (`requests`), and gives the run options a program needs to reach it (`options`), its
//   admin API (`admin`, `plans`), a client of the API (`client`), and stacks to clean up (`useStack`).
//   `seedNightlyBackups` gives a volume a plan with backups to restore from.
// - Stacks: `freshStack` forgets a stack's state; `uniqueStack` names one no other run uses.
// - Runs: `assertOk` fails with the run's diagnostics; `stepSummary`, `digest` and `stepOf` look at the
//   steps; `errorMessages`/`errorsOf` at the errors; `planRecords`/`restoreRecords`/`stateText` at the
//   state file; `apiRequests` at the request log; `waitForNoChildren` at the processes a run left.
//
// The engine stand-in's own tests (tests/e2e/engine/) run the `items` program over an in-test API instead of
// the emulator: `useItemsStack` in ./engine/items-api.ts is their counterpart of `startHarness`.
//
// The programs and the plugin load the package by name, i.e. the built dist/ (`npm run build` first).
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../../emulator";
import type { EmulatorHandle, EmulatorOptions } from "../../emulator";
import { ScheduledBackupClient } from "../../provider/api";
import { BACKUP_PLAN_TYPE, RESTORE_TYPE } from "../../provider/tokens";
import * as engine from "../engine";
import type { ResourceRecord, RunOptions, RunResult, StepResult } from "../engine";
import { liveChildCount } from "../engine/processes";
import { statePathFor } from "../engine/state";

/** The repository root, found from wherever the tests were compiled to. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "tests", "e2e", "fixtures")))
      return dir;
    if (dir === path.dirname(dir)) throw new Error(`cannot find the repository root above ${start}`);
  }
}

/**
 * A program or policy pack under tests/e2e/fixtures/. Fixtures are not compiled (ts-node runs them inside
 * the Pulumi runtime), so they are found in the source tree, not next to the compiled tests.
 */
export function fixtureDir(name: string): string {
  const dir = path.join(REPO_ROOT, "tests", "e2e", "fixtures", name);
  if (!existsSync(dir)) throw new Error(`no fixture ${name} in ${path.dirname(dir)}`);
  return dir;
}

/** Volumes the emulator knows; ids are GUIDs as check demands. */
export const VOLUMES = [
  { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data" },
  { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c02", name: "web-data" },
  { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c03", name: "logs" },
] as const;

export interface Harness {
  emulator: EmulatorHandle;
  /** One line per request the emulator served: "METHOD path status ms request-id". */
  requests: string[];
  /**
   * Run options for a program: emulator endpoint, project and token (as a secret) plus `config`, `env` on
   * top of short client retries, and any other run option in `extra` (which may replace the secrets).
   */
  options(
    cwd: string,
    stack: string,
    config?: Record<string, string>,
    env?: Record<string, string>,
    extra?: Partial<RunOptions>,
  ): RunOptions;
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Plans in the emulator (all projects), not deleted. */
  plans(): Promise<EmulatorPlan[]>;
  /** A client of the emulator's API, as a user configures one. */
  client(): ScheduledBackupClient;
  /** Starts the stack from nothing now and removes its state again when the harness closes. */
  useStack(cwd: string, stack: string): void;
  /** Stops the emulator and removes the state of the stacks in use. */
  close(): Promise<void>;
}

export interface EmulatorPlan {
  id: string;
  name: string;
  backup_mode: string;
  max_backups: number;
  schedule_type: string;
  schedule_pattern: string;
  resources: { id: string; name: string; type: string }[];
  status: string;
  deleting: boolean;
}

/** The emulator's records as its admin API shows them (the fields the tests read). */
export interface EmulatorState {
  plans: EmulatorPlan[];
  restores: { id: string; checkpoint_item_id: string; resource_id: string }[];
  volumes: { id: string; name: string }[];
}

export async function startHarness(opts: EmulatorOptions = {}): Promise<Harness> {
  const requests: string[] = [];
  const stacks: [cwd: string, stack: string][] = [];
  const emulator = await startEmulator({
    port: 0,
    volumes: VOLUMES.map((v) => ({ ...v })),
    ...opts,
    log: (line) => requests.push(line),
  });
  const admin = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${emulator.admin}/${route}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${response.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  };
  return {
    emulator,
    requests,
    options(cwd, stack, config = {}, env = {}, extra = {}) {
      return {
        cwd,
        stack,
        config: {
          "scheduledbackup:endpoint": emulator.endpoint,
          "scheduledbackup:projectId": emulator.projectId,
          ...config,
        },
        secrets: { "scheduledbackup:token": emulator.token },
        // Keep the client's own waits short in tests; nothing else differs from a user's run.
        env: { SCHEDULED_BACKUP_MAX_RETRIES: "4", ...env },
        ...extra,
      };
    },
    admin,
    async plans() {
      const state = await admin<EmulatorState>("GET", "state");
      return state.plans.filter((p) => !p.deleting);
    },
    client: () =>
      new ScheduledBackupClient({ endpoint: emulator.endpoint, token: emulator.token, projectId: emulator.projectId }),
    useStack(cwd, stack) {
      freshStack(cwd, stack);
      stacks.push([cwd, stack]);
    },
    async close() {
      await emulator.close();
      for (const [cwd, stack] of stacks) freshStack(cwd, stack);
    },
  };
}

/**
 * A full nightly plan (02:00) on `VOLUMES[0]` made in the API, not by a program, and three days of the
 * emulator's clock, so the volume has three available backups to restore from.
 */
export async function seedNightlyBackups(h: Harness): Promise<void> {
  await h.client().createPlan({
    name: "db-nightly",
    description: "",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [{ ...VOLUMES[0], type: "OS::Cinder::Volume" }],
  });
  await h.admin("POST", "clock/advance", { seconds: 3 * 86_400 });
}

/** Removes a stack's state so a test starts from nothing. */
export function freshStack(cwd: string, stack: string): void {
  rmSync(statePathFor(cwd, stack), { force: true });
}

let stackCounter = 0;
/** A stack name no other test (or concurrent test process) uses. */
export function uniqueStack(label: string): string {
  stackCounter += 1;
  return `${label}-${process.pid}-${stackCounter}`;
}

/** The state file's raw text (what `pulumi stack export` would show). */
export function stateText(result: RunResult): string {
  return readFileSync(result.statePath, "utf8");
}

export function resourcesOfType(cwd: string, stack: string, type: string): ResourceRecord[] {
  return engine.readState(cwd, stack).deployment.resources.filter((r) => r.type === type && r.delete !== true);
}

export function planRecords(cwd: string, stack: string): ResourceRecord[] {
  return resourcesOfType(cwd, stack, BACKUP_PLAN_TYPE);
}

export function restoreRecords(cwd: string, stack: string): ResourceRecord[] {
  return resourcesOfType(cwd, stack, RESTORE_TYPE);
}

/** Steps of our resources only (the Stack's own step is noise here), as `op name` strings. */
export function stepSummary(result: RunResult): string[] {
  return result.steps
    .filter((s) => s.type !== "pulumi:pulumi:Stack")
    .map((s) => `${s.op} ${s.name}${s.status === "ok" ? "" : ` (${s.status})`}`);
}

/** `op:name:status` for every step, sorted: order within a run depends on scheduling. */
export function digest(result: RunResult): string[] {
  return result.steps.map((s) => `${s.op}:${s.name}:${s.status}`).sort();
}

export function stepOf(result: RunResult, name: string, op?: StepResult["op"]): StepResult {
  const step = result.steps.find((s) => s.name === name && (op === undefined || s.op === op));
  if (!step) throw new Error(`no ${op ?? ""} step for ${name}; steps: ${digest(result).join(", ")}`);
  return step;
}

/** Fails with the run's diagnostics when it did not succeed (far more useful than `false !== true`). */
export function assertOk(result: RunResult): void {
  if (!result.ok) {
    const lines = result.diagnostics
      .filter((d) => d.severity === "error" || d.severity === "warning")
      .map((d) => `${d.severity}: ${d.message}`);
    assert.fail(`${result.command} failed:\n${lines.join("\n")}\nsteps: ${digest(result).join(", ")}`);
  }
}

export function errorMessages(result: RunResult): string[] {
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
}

/** The run's error messages as one text, for `assert.match`. */
export function errorsOf(result: RunResult): string {
  return errorMessages(result).join("\n");
}

/** Requests to the product API (not the admin or identity routes). */
export function apiRequests(lines: readonly string[]): string[] {
  return lines.filter((line) => line.includes("/data-protect/"));
}

/** Every child a run started (program, plugin, policy packs) has exited; fails after 3 s. */
export async function waitForNoChildren(): Promise<void> {
  for (let waited = 0; liveChildCount() > 0; waited += 50) {
    if (waited >= 3000) throw new Error(`${liveChildCount()} child process(es) outlived the run`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { engine };
