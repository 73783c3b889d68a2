/** Shared helpers of the engine self-tests: fixture lookup, throwaway stacks, step digests. */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { liveChildCount } from "../../engine/processes.js";
import type { RunResult, StepResult } from "../../engine/types.js";
import { statePathFor } from "../../engine/state.js";

/**
 * The fixture's source directory. Fixtures are not compiled (ts-node runs them inside the Pulumi
 * runtime), so walk up from wherever this file was compiled to until the source tree shows up.
 */
export function fixtureDir(name: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tests", "e2e", "fixtures", name);
    if (existsSync(path.join(candidate, "Pulumi.yaml")) || existsSync(path.join(candidate, "PulumiPolicy.yaml")))
      return candidate;
  }
  throw new Error(`fixture ${name} not found above ${__dirname}`);
}

let counter = 0;
/** A stack name no other test (or concurrent test process) uses. */
export function uniqueStack(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}`;
}

export function removeStack(cwd: string, stack: string): void {
  rmSync(statePathFor(cwd, stack), { force: true });
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
    throw new Error(`${result.command} failed:\n${lines.join("\n")}\nsteps: ${digest(result).join(", ")}`);
  }
}

export function errorsOf(result: RunResult): string {
  return result.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => d.message)
    .join("\n");
}

/** Every child a run started (program, plugin, policy packs) has exited; fails after 3 s. */
export async function waitForNoChildren(): Promise<void> {
  for (let waited = 0; liveChildCount() > 0; waited += 50) {
    if (waited >= 3000) throw new Error(`${liveChildCount()} child process(es) outlived the run`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
