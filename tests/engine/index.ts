/**
 * Offline Pulumi engine stand-in: test infrastructure (and the offline fallback of `npm run demo`),
 * NOT a Pulumi replacement. It runs programs with the real @pulumi/pulumi Node.js runtime, serves
 * their resources through the real dynamic-provider plugin and policy packs through the real
 * analyzer host, and keeps a checkpoint-shaped JSON state per stack. See README.md for what is
 * modelled and which engine source each rule follows.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { PolicyPack, readPolicyPackConfig, type PolicyPackConfig } from "./analyzers.js";
import { Deployment } from "./deployment.js";
import { MonitorServer } from "./monitor.js";
import { kill, readProject, resolvePulumiRoot, spawnNode, type ProjectInfo, type Spawned } from "./processes.js";
import { makeSecret, type PropertyMap } from "./properties.js";
import { RunProviders, type TraceSink } from "./runProviders.js";
import { loadResources, readCheckpoint, saveResources, saveResourcesAsync, statePathFor } from "./state.js";
import type { Checkpoint, Diagnostic, RunOptions, RunResult } from "./types.js";

export type {
  Checkpoint,
  Diagnostic,
  ResourceRecord,
  RunOptions,
  RunResult,
  StepResult,
  StepOp,
  TraceEvent,
} from "./types.js";
export { SECRET_SIG, SIG_KEY, UNKNOWN, decodeSecretsFromState, isSecret, unwrapSecrets } from "./properties.js";

type Command = RunResult["command"];

/** A run option is malformed (bad config key, missing program, ...). */
export class RunOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunOptionsError";
  }
}

const DEFAULT_STACK = "dev";
/** How long RPCs must be quiet after a failure before the monitor is torn down (the spike's 300 ms). */
const QUIET_MS = 300;
/** Longest a step's result waits before reaching the state file. */
const STATE_WRITE_DELAY_MS = 25;
/** A run is aborted (every child killed) after this long unless `timeoutMs` says otherwise. */
const DEFAULT_TIMEOUT_MS = 300_000;
/**
 * Grace for the program to flush its own error log once the monitor is gone. Measured: it does not
 * exit by itself within a second (its channels keep it alive), so waiting longer only costs time.
 */
const KILL_GRACE_MS = 250;

export function preview(o: RunOptions): Promise<RunResult> {
  return run("preview", o);
}
export function up(o: RunOptions): Promise<RunResult> {
  return run("up", o);
}
export function refresh(o: RunOptions): Promise<RunResult> {
  return run("refresh", o);
}
export function destroy(o: RunOptions): Promise<RunResult> {
  return run("destroy", o);
}

/** The stack's checkpoint as stored (secrets in `ciphertext` form); an empty deployment before the first run. */
export function readState(cwd: string, stack: string = DEFAULT_STACK): Checkpoint {
  return readCheckpoint(statePathFor(cwd, stack));
}

interface StackConfig {
  values: Map<string, { value: string; secret: boolean }>;
}

/** Namespaces bare keys with the project, like `pulumi config set key v` does. */
export function buildConfig(project: string, o: Pick<RunOptions, "config" | "secrets">): StackConfig {
  const values = new Map<string, { value: string; secret: boolean }>();
  const add = (entries: Record<string, string> | undefined, secret: boolean): void => {
    for (const [rawKey, value] of Object.entries(entries ?? {})) {
      if (!rawKey || rawKey.startsWith(":") || rawKey.endsWith(":")) {
        throw new RunOptionsError(
          `config key \`${rawKey}\` is malformed: ` +
            `use \`namespace:key\` or a bare \`key\` (which belongs to the project)`,
        );
      }
      if (typeof value !== "string") {
        throw new RunOptionsError(`config value of \`${rawKey}\` must be a string (JSON-encode structured values)`);
      }
      const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
      values.set(key, { value, secret });
    }
  };
  add(o.config, false);
  add(o.secrets, true);
  return { values };
}

function packageConfigSource(config: StackConfig): PropertyMap {
  const result: PropertyMap = {};
  for (const [key, { value, secret }] of config.values) result[key] = secret ? makeSecret(value) : value;
  return result;
}

/**
 * Coalesces state writes: steps finishing together share one write (a checkpoint of 100 dynamic
 * resources is megabytes), yet the file is never more than STATE_WRITE_DELAY_MS behind the last
 * finished step (plus the write itself). Writes go to disk asynchronously, one at a time, so the
 * event loop keeps answering RegisterResource and provider calls meanwhile; `settle` cancels what is
 * pending and waits for the write in flight, after which the run writes the final snapshot itself.
 */
class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /** A step finished while a write was in flight: write again once it is done. */
  private again = false;
  private settled = false;
  constructor(private readonly write: () => Promise<void>) {}
  schedule(): void {
    if (this.settled) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.writing = this.write()
        .catch(() => undefined) // the final synchronous write reports a state file that cannot be written
        .finally(() => {
          this.writing = undefined;
          if (this.again) {
            this.again = false;
            this.schedule();
          }
        });
    }, STATE_WRITE_DELAY_MS);
  }
  async settle(): Promise<void> {
    this.settled = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
  }
}

/** Everything one run shares between its phases. */
interface RunContext {
  command: Command;
  options: RunOptions;
  cwd: string;
  stack: string;
  project: string;
  projectInfo: ProjectInfo;
  organization: string;
  parallel: number;
  preview: boolean;
  runtimeEnv: NodeJS.ProcessEnv;
  deployment: Deployment;
  engine: MonitorServer;
  providers: RunProviders;
  diagnostics: Diagnostic[];
  logSink: (d: Diagnostic) => void;
  startPacks: () => Promise<PolicyPack[]>;
  /** Set while the program runs, so a timeout can take it down. */
  program?: Spawned;
  /** Whether the run's timeout has fired. */
  aborted: () => boolean;
  trace: TraceSink | undefined;
  monitor?: MonitorServer;
}

async function run(command: Command, o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  if (!o || typeof o.cwd !== "string" || o.cwd === "")
    throw new RunOptionsError("`cwd` is required: the program directory holding Pulumi.yaml");
  const cwd = path.resolve(o.cwd);
  const stack = o.stack ?? DEFAULT_STACK;
  if (!/^[A-Za-z0-9_.-]+$/.test(stack))
    throw new RunOptionsError(`stack name \`${stack}\` may only contain letters, digits, \`-\`, \`_\` and \`.\``);
  const projectInfo = readProject(cwd);
  const project = projectInfo.name;
  const statePath = statePathFor(cwd, stack);
  const organization = o.organization ?? "organization";
  const parallel = o.parallel ?? availableParallelism() * 4;
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new RunOptionsError(`parallel must be a positive integer, got ${parallel}`);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const config = buildConfig(project, o);
  const policyConfig: PolicyPackConfig | undefined = o.policyPackConfig
    ? readPolicyPackConfig(o.policyPackConfig)
    : undefined;
  const preview = command === "preview";
  const runsProgram = command === "up" || command === "preview";
  if (o.runProgram !== undefined && runsProgram) {
    throw new RunOptionsError(`runProgram applies to refresh and destroy only; ${command} always runs the program`);
  }
  const plainConfig = JSON.stringify(Object.fromEntries([...config.values].map(([k, v]) => [k, v.value])));
  const secretKeys = JSON.stringify([...config.values].filter(([, v]) => v.secret).map(([k]) => k));
  const runtimeEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...o.env,
    PULUMI_CONFIG: plainConfig,
    PULUMI_CONFIG_SECRET_KEYS: secretKeys,
    PULUMI_NODEJS_PROJECT: project,
    PULUMI_PROJECT: project,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_STACK: stack,
    PULUMI_NODEJS_ORGANIZATION: organization,
    PULUMI_ORGANIZATION: organization,
    PULUMI_NODEJS_DRY_RUN: String(preview),
    PULUMI_DRY_RUN: String(preview),
  };

  const diagnostics: Diagnostic[] = [];
  const logSink = (d: Diagnostic): void => {
    if (d.severity === "debug" && !o.includeDebugLogs) return;
    diagnostics.push(d);
  };
  // Plugins and policy packs need the engine address before the monitor (which needs the
  // deployment) exists: the Engine service gets a server of its own.
  const engine = new MonitorServer(undefined, logSink);
  await engine.start();
  const userTrace = o.trace;
  const trace: TraceSink | undefined = userTrace
    ? (event) => userTrace({ atMs: Date.now() - started, ...event })
    : undefined;
  const providers = new RunProviders(
    projectInfo.programDirectory,
    runtimeEnv,
    engine.address,
    new Set(o.fakePackages ?? []),
    trace,
    logSink,
  );
  const packsStarted: PolicyPack[] = [];
  let packsPromise: Promise<PolicyPack[]> | undefined;
  const startPacks = (): Promise<PolicyPack[]> => {
    packsPromise ??= Promise.all(
      (o.policyPacks ?? []).map(async (dir) => {
        const pack = await PolicyPack.start(dir, engine.address, runtimeEnv, policyConfig, o.policyPackConfig);
        packsStarted.push(pack);
        return pack;
      }),
    );
    return packsPromise;
  };
  const stateWriter = new StateWriter(() => saveResourcesAsync(statePath, deployment.snapshot()));
  const deployment: Deployment = new Deployment({
    stack,
    project,
    preview,
    olds: loadResources(statePath),
    // Refresh and destroy configure providers with the inputs stored for their provider resources at
    // the last update, whatever config the run has (pkg/resource/deploy/target.go, providers/registry.go);
    // only `--run-program` evaluates the current config.
    config: runsProgram || o.runProgram === true ? packageConfigSource(config) : undefined,
    providers,
    policyPacks: () => (runsProgram ? startPacks() : Promise.resolve([])),
    parallel,
    persist: () => stateWriter.schedule(),
    ...(trace ? { trace: (kind: "register" | "registered", urn: string) => trace({ kind, urn }) } : {}),
  });
  const ctx: RunContext = {
    command,
    options: o,
    cwd,
    stack,
    project,
    projectInfo,
    organization,
    parallel,
    preview,
    runtimeEnv,
    deployment,
    engine,
    providers,
    diagnostics,
    logSink,
    startPacks,
    aborted: () => false,
    trace,
  };

  let ok: boolean;
  let timedOut = false;
  ctx.aborted = () => timedOut;
  const stopEverything = async (): Promise<void> => {
    kill(ctx.program);
    ctx.monitor?.shutdown();
    await providers.close();
    // Packs still starting register themselves when done: close again once they all settled.
    for (const pack of packsStarted) pack.close();
    await packsPromise?.catch(() => undefined);
    for (const pack of packsStarted) pack.close();
  };
  const timeout = setTimeout(() => {
    timedOut = true;
    // Killing the plugin fails in-flight provider calls, so a hung step ends too.
    void stopEverything();
  }, timeoutMs);
  try {
    if (command === "refresh") {
      await deployment.refreshAll();
      ok = !deployment.failed;
    } else if (command === "destroy") {
      await deployment.destroyAll();
      ok = !deployment.failed;
    } else {
      ok = await runProgram(ctx);
    }
  } catch (err) {
    diagnostics.push({ severity: "error", message: (err as Error).message });
    ok = false;
  } finally {
    clearTimeout(timeout);
    await stopEverything();
    engine.shutdown();
  }
  if (timedOut) diagnostics.push({ severity: "error", message: `the run exceeded ${timeoutMs} ms and was aborted` });
  await stateWriter.settle();
  if (!preview) saveResources(statePath, deployment.snapshot());

  return {
    command,
    ok: ok && !timedOut,
    steps: deployment.steps,
    diagnostics: [...deployment.diagnostics, ...diagnostics],
    outputs: command === "destroy" ? {} : deployment.stackOutputs(),
    statePath,
    durationMs: Date.now() - started,
  };
}

/** `up`/`preview`: run the program against the monitor, then stack policies and (up) the deletes. */
async function runProgram(ctx: RunContext): Promise<boolean> {
  const { deployment, diagnostics } = ctx;
  if (ctx.options.policyPacks?.length) ctx.startPacks().catch(() => undefined);
  ctx.providers.warmUp();
  const monitor = new MonitorServer(deployment, ctx.logSink, {
    project: ctx.project,
    stack: ctx.stack,
    organization: ctx.organization,
    dryRun: ctx.preview,
    parallel: ctx.parallel,
    // The config the program gets through the language host, from the same env.
    config: JSON.parse(ctx.runtimeEnv["PULUMI_CONFIG"] ?? "{}") as Record<string, string>,
    configSecretKeys: JSON.parse(ctx.runtimeEnv["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]") as string[],
  });
  ctx.monitor = monitor;
  await monitor.start();
  const { programDirectory, entryPoint, typescript } = ctx.projectInfo;
  // The language host locates `@pulumi/pulumi/cmd/run` from the program directory
  // (sdk/nodejs/cmd/pulumi-language-nodejs `locateModule(ctx, "@pulumi/pulumi/cmd/run", programDirectory, ...)`).
  const runEntry = path.join(resolvePulumiRoot(programDirectory), "cmd", "run");
  const args = [
    runEntry,
    `--monitor=${monitor.address}`,
    `--engine=${ctx.engine.address}`,
    `--project=${ctx.project}`,
    `--stack=${ctx.stack}`,
    `--organization=${ctx.organization}`,
    `--root-directory=${ctx.cwd}`,
    `--pwd=${programDirectory}`,
    `--parallel=${ctx.parallel}`,
    ...(ctx.preview ? ["--dry-run"] : []),
    entryPoint,
  ];
  // TypeScript (the default) runs through ts-node, which type-checks unless the environment sets
  // PULUMI_NODEJS_TRANSPILE_ONLY=true or the program's tsconfig.json sets `noCheck` (sdk/nodejs/cmd/run/run.ts);
  // `runtime.options.typescript: false` runs plain JavaScript, as the language host does.
  const programEnv: NodeJS.ProcessEnv = typescript
    ? { ...ctx.runtimeEnv, PULUMI_NODEJS_TYPESCRIPT: "true" }
    : { ...ctx.runtimeEnv };
  // What the program prints reaches the user as info diagnostics, as the language host forwards it.
  const program = spawnNode(args, programDirectory, programEnv, (line) => {
    if (line.trim()) diagnostics.push({ severity: "info", message: line });
  });
  ctx.program = program;
  ctx.trace?.({ kind: "program-started" });
  // The timeout may have fired while the monitor was starting: nothing would kill this one then.
  if (ctx.aborted()) kill(program);
  // Only a failed step strands the program (its pending registrations never complete): once RPCs
  // are quiet, tear the monitor down and kill the program after a short grace. An error the
  // program logs is not fatal (pulumi.log.error) or ends the process by itself (an unhandled
  // exception exits with code 32 in about the time of a normal run).
  let tornDown = false;
  const watchdog = setInterval(() => {
    if (!tornDown && deployment.failed && !deployment.busy && monitor.quietFor(QUIET_MS)) {
      tornDown = true;
      monitor.shutdown();
      setTimeout(() => kill(program), KILL_GRACE_MS).unref();
    }
  }, 100);
  const exitCode = await program.exited;
  ctx.trace?.({ kind: "program-exited" });
  clearInterval(watchdog);
  while (deployment.busy) await new Promise((resolve) => setTimeout(resolve, 20));
  monitor.shutdown();
  const programFailed = exitCode !== 0;
  if (programFailed && !deployment.failed && !diagnostics.some((d) => d.severity === "error")) {
    const tail = program.stderr.join("").trim().split("\n").slice(-20).join("\n");
    diagnostics.push({
      severity: "error",
      message: `the program exited with code ${String(exitCode)}${tail ? `:\n${tail}` : ""}`,
    });
  }
  // An error the program merely logs does not fail an update in real Pulumi (pulumi/pulumi#6090,
  // #5085); an unhandled exception does, through the exit code.
  if (programFailed || deployment.failed) return false;
  // Stack policies see the registered resources once the program is done; deletes come last.
  await deployment.analyzeStack();
  if (ctx.command === "up" && !deployment.failed) await deployment.finishUpdate();
  return !deployment.failed && !deployment.sawPolicyError;
}
