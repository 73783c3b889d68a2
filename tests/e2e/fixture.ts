// Shared set-up of the provider's end-to-end tests: an emulator the test starts, programs under
// tests/e2e/fixtures/ (or examples/) run through the engine stand-in, and helpers to look at the
// emulator's state, its request log and the stack's state file. The programs and the plugin load the
// package by name, i.e. the built dist/ (run `npx tsc -p tsconfig.json` first).
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../../emulator";
import type { EmulatorHandle, EmulatorOptions } from "../../emulator";
import * as engine from "../engine";
import type { ResourceRecord, RunOptions, RunResult } from "../engine";
import { BACKUP_PLAN_TYPE, RESTORE_TYPE } from "../../provider/tokens";

/** The repository root, found from wherever the tests were compiled to. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "tests", "e2e", "fixtures")))
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
}

export function fixtureDir(name: string): string {
  return path.join(REPO_ROOT, "tests", "e2e", "fixtures", name);
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
  /** Run options for a program: emulator endpoint, project and token (as a secret) plus `config`. */
  options(cwd: string, stack: string, config?: Record<string, string>, env?: Record<string, string>): RunOptions;
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Plans in the emulator (all projects), not deleted. */
  plans(): Promise<EmulatorPlan[]>;
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

export async function startHarness(opts: EmulatorOptions = {}): Promise<Harness> {
  const requests: string[] = [];
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
    options(cwd, stack, config = {}, env = {}) {
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
      };
    },
    admin,
    async plans() {
      const state = await admin<{ plans: EmulatorPlan[] }>("GET", "state");
      return state.plans.filter((p) => !p.deleting);
    },
    close: () => emulator.close(),
  };
}

/** Removes a stack's state so a test starts from nothing. */
export function freshStack(cwd: string, stack: string): void {
  rmSync(path.join(cwd, ".pulumi-test", `${stack}.json`), { force: true });
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

/** Fails with the run's diagnostics when it did not succeed. */
export function assertOk(result: RunResult): void {
  if (!result.ok) {
    const lines = result.diagnostics
      .filter((d) => d.severity === "error" || d.severity === "warning")
      .map((d) => `${d.severity}: ${d.message}`);
    assert.fail(`${result.command} failed:\n${lines.join("\n")}\nsteps: ${stepSummary(result).join(", ")}`);
  }
}

export function errorMessages(result: RunResult): string[] {
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
}

/** Requests to the product API (not the admin or identity routes). */
export function apiRequests(lines: readonly string[]): string[] {
  return lines.filter((line) => line.includes("/data-protect/"));
}

export { engine };
