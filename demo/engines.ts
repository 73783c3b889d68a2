// The two ways the demo deploys programs: the real `pulumi` CLI when it is installed (local file
// backend in a temporary directory, throwaway passphrase), otherwise the repo's engine stand-in
// (tests/engine), which drives the real Pulumi Node.js runtime but is test infrastructure, not Pulumi.
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as standIn from "../tests/engine";
import type { Checkpoint, ResourceRecord } from "../tests/engine";

export interface Step {
  op: string;
  type: string;
  name: string;
  status: string;
}
export interface PolicyFinding {
  policy: string;
  level: string;
  resource: string;
  message: string;
}

export interface Deployment {
  /** Steps as the engine reports them; the real CLI prints its own and reports none here. */
  steps: Step[];
  outputs: Record<string, unknown>;
  resources: ResourceRecord[];
}

export interface PolicyRun {
  blocked: boolean;
  /** Mandatory findings; empty for the real CLI, which prints them itself. */
  mandatory: PolicyFinding[];
  advisory: PolicyFinding[];
}

export interface Program {
  dir: string;
  stack: string;
  config: Record<string, string>;
  secrets: Record<string, string>;
}

export interface DemoEngine {
  readonly description: string;
  up(program: Program): Promise<Deployment>;
  previewWithPolicy(program: Program, policyPack: string): Promise<PolicyRun>;
  destroy(program: Program): Promise<Step[]>;
  /** Stops every run in flight (an interrupted demo must not orphan programs or plugins). */
  abort(): void;
  /** Removes every state file this engine wrote. */
  cleanup(): void;
}

export class DemoStageError extends Error {
  override readonly name = "DemoStageError";
}

function failureText(result: standIn.RunResult): string {
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message.trim());
  const failedSteps = result.steps.filter((s) => s.status === "failed").map((s) => `${s.name}: ${s.error ?? "failed"}`);
  return [...failedSteps, ...errors].join("\n") || `${result.command} failed`;
}

/** The engine's text is "[level] pack/policy: <policy description>\n<violation>"; the violation is the news. */
function finding(d: standIn.Diagnostic): PolicyFinding {
  const text = d.message.trim();
  const newline = text.indexOf("\n");
  return {
    policy: d.policy?.name ?? "?",
    level: d.policy?.enforcementLevel ?? "?",
    resource: d.urn === undefined ? "(stack)" : d.urn.slice(d.urn.lastIndexOf("::") + 2),
    message: newline === -1 ? text : text.slice(newline + 1),
  };
}

/**
 * Children run in their own process group, so an interrupted demo can stop a whole run (the program,
 * the provider plugin, the policy analyzer) with one signal instead of orphaning them.
 */
class ProcessGroups {
  private readonly running = new Set<ChildProcess>();

  spawn(command: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, { ...options, detached: true });
    this.running.add(child);
    child.on("exit", () => this.running.delete(child));
    return child;
  }

  signal(signal: NodeJS.Signals): void {
    for (const child of this.running) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    }
  }
}

/** The stand-in through its CLI (`npm run engine`), one process group per run. */
export class StandInEngine implements DemoEngine {
  readonly description =
    "the engine stand-in (tests/engine: the real Pulumi Node.js runtime driven by a test harness; not Pulumi)";
  private readonly touched = new Set<string>();
  private readonly groups = new ProcessGroups();
  private readonly cli = require.resolve("../tests/engine/cli");

  private run(
    command: "up" | "preview" | "destroy",
    program: Program,
    extra: string[] = [],
  ): Promise<standIn.RunResult> {
    this.touched.add(join(program.dir, ".pulumi-test", `${program.stack}.json`));
    const args = [this.cli, command, "--cwd", program.dir, "--stack", program.stack, "--json", ...extra];
    for (const [key, value] of Object.entries(program.config)) args.push("--config", `${key}=${value}`);
    for (const [key, value] of Object.entries(program.secrets)) args.push("--secret", `${key}=${value}`);
    return new Promise((resolve, reject) => {
      const child = this.groups.spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (signal !== null) return reject(new DemoStageError(`the engine stand-in was stopped by ${signal}`));
        try {
          resolve(JSON.parse(stdout) as standIn.RunResult);
        } catch {
          reject(
            new DemoStageError(`the engine stand-in failed (exit ${code ?? "?"}): ${stderr.trim() || stdout.trim()}`),
          );
        }
      });
    });
  }

  async up(program: Program): Promise<Deployment> {
    const result = await this.run("up", program);
    if (!result.ok) throw new DemoStageError(failureText(result));
    const state = JSON.parse(readFileSync(result.statePath, "utf8")) as Checkpoint;
    return {
      steps: result.steps.map((s) => ({ op: s.op, type: s.type, name: s.name, status: s.status })),
      outputs: result.outputs,
      resources: state.deployment.resources,
    };
  }

  async previewWithPolicy(program: Program, policyPack: string): Promise<PolicyRun> {
    const result = await this.run("preview", program, ["--policy-pack", policyPack]);
    const policy = result.diagnostics.filter((d) => d.policy !== undefined);
    const mandatory = policy.filter((d) => d.policy?.enforcementLevel === "mandatory").map(finding);
    if (!result.ok && mandatory.length === 0) throw new DemoStageError(failureText(result));
    return {
      blocked: !result.ok,
      mandatory,
      advisory: policy.filter((d) => d.policy?.enforcementLevel !== "mandatory").map(finding),
    };
  }

  async destroy(program: Program): Promise<Step[]> {
    const result = await this.run("destroy", program);
    if (!result.ok) throw new DemoStageError(failureText(result));
    return result.steps.map((s) => ({ op: s.op, type: s.type, name: s.name, status: s.status }));
  }

  abort(): void {
    this.groups.signal("SIGKILL");
  }

  cleanup(): void {
    for (const file of this.touched) {
      rmSync(file, { force: true });
      removeIfEmpty(dirname(file));
    }
  }
}

/** rmdir, not rm -r: a directory another run is using at the same time is left alone. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}

export function pulumiOnPath(): string | undefined {
  const probe = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * The real CLI: a file backend in a temp dir and a throwaway passphrase. Pulumi keeps a stack's config in
 * `Pulumi.<stack>.yaml` next to the program; the stack name is unique to this run, `stack rm` deletes
 * that file, and cleanup removes it too if a failure came first.
 */
export class PulumiCliEngine implements DemoEngine {
  readonly description: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly groups = new ProcessGroups();
  private readonly stackFiles = new Set<string>();

  constructor(
    version: string,
    private readonly stateDir: string,
  ) {
    this.description = `the Pulumi CLI ${version} (local file backend in ${stateDir})`;
    mkdirSync(join(stateDir, "backend"), { recursive: true });
    this.env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${join(stateDir, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "demo-throwaway-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
  }

  private run(program: Program, args: string[], capture = false): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = this.groups.spawn("pulumi", [...args, "--stack", program.stack, "--non-interactive"], {
        cwd: program.dir,
        env: this.env,
        stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
      });
      let stdout = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
    });
  }

  private async must(program: Program, args: string[], capture = false): Promise<string> {
    const { code, stdout } = await this.run(program, args, capture);
    if (code !== 0) throw new DemoStageError(`pulumi ${args.join(" ")} exited with ${code} (its output is above)`);
    return stdout;
  }

  private async prepare(program: Program): Promise<void> {
    this.stackFiles.add(join(program.dir, `Pulumi.${program.stack}.yaml`));
    await this.must(program, ["stack", "select", "--create"], true);
    for (const [key, value] of Object.entries(program.config))
      await this.must(program, ["config", "set", key, value], true);
    for (const [key, value] of Object.entries(program.secrets))
      await this.must(program, ["config", "set", "--secret", key, value], true);
  }

  async up(program: Program): Promise<Deployment> {
    await this.prepare(program);
    await this.must(program, ["up", "--yes", "--skip-preview"]);
    const outputs = JSON.parse(await this.must(program, ["stack", "output", "--json"], true)) as Record<
      string,
      unknown
    >;
    const exported = JSON.parse(await this.must(program, ["stack", "export"], true)) as Checkpoint;
    return { steps: [], outputs, resources: exported.deployment.resources };
  }

  async previewWithPolicy(program: Program, policyPack: string): Promise<PolicyRun> {
    await this.prepare(program);
    const { code } = await this.run(program, ["preview", "--policy-pack", policyPack]);
    await this.must(program, ["stack", "rm", "--yes", "--force"], true);
    return { blocked: code !== 0, mandatory: [], advisory: [] };
  }

  async destroy(program: Program): Promise<Step[]> {
    await this.must(program, ["destroy", "--yes", "--skip-preview"]);
    await this.must(program, ["stack", "rm", "--yes", "--force"], true);
    return [];
  }

  abort(): void {
    // Pulumi cancels gracefully on the first SIGINT.
    this.groups.signal("SIGINT");
  }

  cleanup(): void {
    for (const file of this.stackFiles) rmSync(file, { force: true });
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
