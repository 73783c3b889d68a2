// `npm run bench -- provider [--plans N] [--latency MS] [--activation S] [--parallel N] [--rounds N]`
//
// Through the engine stand-in, against an emulator answering every request after `--latency` ms (20):
// 1. `up` of N plans (200) minus `up` of the same program with no plan (start-up), against the ideal
//    requests x latency / parallelism, as a ratio (target <= 1.5x). Requests are counted at the emulator.
// 2. Activation wait overhead: `up` of a few plans with the emulator holding new plans `suspended` for
//    `--activation` s (2), minus the same `up` without the hold, minus the hold itself (target < 25% of the
//    hold + 250 ms).
// 3. `__provider` bytes per resource in the state (target <= 2,048), and whether it is the same for all.
// Each timed run is repeated `--rounds` times (3) and the median is reported.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import * as engine from "../tests/engine";
import { bindProvider } from "../provider/runtime";
import { BACKUP_PLAN_TYPE } from "../provider/tokens";

const TARGET_RATIO = 1.5;
const PROVIDER_BUDGET = 2048;

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "tests", "provider", "fixtures", "plans"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bench provider: cannot find tests/provider/fixtures/plans above " + __dirname);
    dir = parent;
  }
  return dir;
}

function positiveInt(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${flag} must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function plans(count: number, prefix: string): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}-${i}`,
    args: {
      name: `${prefix}-${i}`,
      maxBackups: 7,
      schedulePattern: `${i % 60} ${i % 24} * * *`,
      resources: [{ id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`, name: `volume-${i}` }],
    },
  }));
}

interface Stamped {
  at: number;
  line: string;
}

interface EmulatorHandle {
  endpoint: string;
  admin: string;
  projectId: string;
  token: string;
}

/**
 * The emulator runs in its own process, as a remote API would: the engine stand-in does synchronous work
 * (state writes) on its event loop, and an in-process emulator would answer late because of it.
 * Its stderr carries one line per request, which is how requests are counted.
 */
async function startEmulatorProcess(requests: Stamped[]): Promise<{ child: ChildProcess; handle: EmulatorHandle }> {
  const main = path.join(__dirname, "..", "emulator", "main.js");
  const child = spawn(process.execPath, [main, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  createInterface({ input: child.stderr! }).on("line", (line) => requests.push({ at: Date.now(), line }));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited (code ${code}) before printing its handle`)));
  });
  lines.close();
  return { child, handle: JSON.parse(first) as EmulatorHandle };
}

async function stopEmulatorProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

interface Bench {
  emulator: EmulatorHandle;
  requests: Stamped[];
  cwd: string;
  parallel: number;
}

interface Timed {
  ms: number;
  requests: number;
  /** From the run's start to its first API request, and from the first to the last. */
  toFirstMs: number;
  requestSpanMs: number;
}

async function timedUp(b: Bench, stack: string, declared: unknown[]): Promise<Timed> {
  rmSync(path.join(b.cwd, ".pulumi-test", `${stack}.json`), { force: true });
  const before = b.requests.length;
  const options = {
    cwd: b.cwd,
    stack,
    parallel: b.parallel,
    config: {
      "scheduledbackup:endpoint": b.emulator.endpoint,
      "scheduledbackup:projectId": b.emulator.projectId,
      "plansfixture:plans": JSON.stringify(declared),
      "plansfixture:exportOutputs": "false",
    },
    secrets: { "scheduledbackup:token": b.emulator.token },
  };
  const started = Date.now();
  const result = await engine.up(options);
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    throw new Error(`bench up of ${declared.length} plans failed:\n${errors.slice(0, 5).join("\n")}`);
  }
  const sent = b.requests.slice(before).filter((r) => r.line.includes("/data-protect/"));
  const requests = sent.length;
  const first = sent[0]?.at ?? started;
  const last = sent.at(-1)?.at ?? started;
  const destroyed = await engine.destroy({ ...options, config: { ...options.config, "plansfixture:plans": "[]" } });
  if (!destroyed.ok) throw new Error(`bench: destroying ${declared.length} plans failed`);
  rmSync(path.join(b.cwd, ".pulumi-test", `${stack}.json`), { force: true });
  return { ms: result.durationMs, requests, toFirstMs: first - started, requestSpanMs: last - first };
}

/** Runs check + create of every plan through the runtime entry point, `parallel` at a time; returns ms. */
async function providerAlone(emulator: EmulatorHandle, declared: unknown[], parallel: number): Promise<number> {
  const stack: Record<string, string> = {
    "scheduledbackup:endpoint": emulator.endpoint,
    "scheduledbackup:projectId": emulator.projectId,
    "scheduledbackup:token": emulator.token,
  };
  const provider = bindProvider("backupPlan", { get: (key) => stack[key] });
  const queue = (declared as { args: unknown }[]).map((d) => d.args);
  const created: { id: string; outs: Record<string, unknown> }[] = [];
  const started = Date.now();
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const checked = await provider.check({}, next);
      if (checked.failures.length > 0) throw new Error(`bench: check failed: ${JSON.stringify(checked.failures)}`);
      created.push(await provider.create(checked.inputs));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const ms = Date.now() - started;
  await Promise.all(created.map((c) => provider.delete(c.id, c.outs)));
  return ms;
}

async function admin(emulator: EmulatorHandle, method: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${emulator.admin}/${route}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${res.status} ${await res.text()}`);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      plans: { type: "string" },
      latency: { type: "string" },
      activation: { type: "string" },
      parallel: { type: "string" },
      rounds: { type: "string" },
    },
    strict: true,
  });
  const count = positiveInt("plans", values.plans, 200, 5000);
  const latencyMs = positiveInt("latency", values.latency, 20, 10_000);
  const activationS = positiveInt("activation", values.activation, 2, 600);
  const rounds = Math.max(1, positiveInt("rounds", values.rounds, 3, 20));
  const requests: Stamped[] = [];
  const { child, handle: emulator } = await startEmulatorProcess(requests);
  const bench: Bench = {
    emulator,
    requests,
    cwd: path.join(repoRoot(), "tests", "provider", "fixtures", "plans"),
    parallel: positiveInt("parallel", values.parallel, 0, 1000) || availableParallelism() * 4, // the engine's default
  };
  const out = (line: string) => process.stdout.write(line + "\n");
  try {
    await admin(emulator, "PUT", "faults", { latencyMs });
    out(`provider bench: ${count} plans, ${latencyMs} ms per request, engine parallelism ${bench.parallel}, ${rounds} round(s)`);

    // 1. Throughput of up, net of start-up.
    const empty: number[] = [];
    const full: number[] = [];
    let requestCount = 0;
    const spans: number[] = [];
    const firsts: number[] = [];
    let providerSizes: number[] = [];
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      empty.push((await timedUp(bench, "bench-empty", [])).ms);
      const loaded = await timedUp(bench, "bench-full", plans(count, `bench-${r}`));
      full.push(loaded.ms);
      requestCount = loaded.requests;
      spans.push(loaded.requestSpanMs);
      firsts.push(loaded.toFirstMs);
    }
    // `__provider` as recorded: run once more and read the state before destroying it.
    {
      const stack = "bench-state";
      rmSync(path.join(bench.cwd, ".pulumi-test", `${stack}.json`), { force: true });
      const options = {
        cwd: bench.cwd,
        stack,
        parallel: bench.parallel,
        config: {
          "scheduledbackup:endpoint": emulator.endpoint,
          "scheduledbackup:projectId": emulator.projectId,
          "plansfixture:plans": JSON.stringify(plans(3, "bench-state")),
        },
        secrets: { "scheduledbackup:token": emulator.token },
      };
      const result = await engine.up(options);
      if (!result.ok) throw new Error("bench: the state run failed");
      const records = engine.readState(bench.cwd, stack).deployment.resources.filter((res) => res.type === BACKUP_PLAN_TYPE);
      const texts = records.flatMap((res) => [res.inputs?.["__provider"], res.outputs?.["__provider"]]).filter((t): t is string => typeof t === "string");
      providerSizes = texts.map((t) => Buffer.byteLength(t));
      identical = texts.every((t) => t === texts[0]);
      await engine.destroy({ ...options, config: { ...options.config, "plansfixture:plans": "[]" } });
      rmSync(path.join(bench.cwd, ".pulumi-test", `${stack}.json`), { force: true });
    }
    const startup = median(empty);
    const net = median(full) - startup;
    const ideal = (requestCount * latencyMs) / bench.parallel;
    const ratio = net / ideal;
    out("");
    out(`1. up of ${count} plans`);
    out(`   up with no plan (start-up)    ${startup.toFixed(0)} ms   (runs: ${empty.join(", ")})`);
    out(`   up with ${count} plans          ${median(full).toFixed(0)} ms   (runs: ${full.join(", ")})`);
    out(`   net                           ${net.toFixed(0)} ms`);
    out(`   requests made                 ${requestCount} (${(requestCount / count).toFixed(2)} per plan)`);
    out(`   ideal = ${requestCount} x ${latencyMs} ms / ${bench.parallel}    ${ideal.toFixed(0)} ms`);
    out(`   ratio                         ${ratio.toFixed(2)}x   target <= ${TARGET_RATIO}x   ${ratio <= TARGET_RATIO ? "OK" : "MISSED"}`);
    out(`   where it goes: first request after ${median(firsts).toFixed(0)} ms; first to last request ${median(spans).toFixed(0)} ms ` +
      `(${(median(spans) / ideal).toFixed(2)}x the ideal)`);

    // 1b. The provider alone: the runtime's check + create for each plan, `parallel` at a time, in this
    // process (what the plugin does, without the engine and the program around it).
    const direct: number[] = [];
    for (let r = 0; r < rounds; r++) direct.push(await providerAlone(emulator, plans(count, `direct-${r}`), bench.parallel));
    const directIdeal = (count * latencyMs) / bench.parallel;
    out(`   the provider alone (check + create, ${bench.parallel} at a time, no engine): ${median(direct).toFixed(0)} ms ` +
      `= ${(median(direct) / directIdeal).toFixed(2)}x the ideal (runs: ${direct.join(", ")})`);

    // 2. Activation wait overhead.
    const few = 4;
    const plain: number[] = [];
    const held: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await admin(emulator, "PUT", "faults", { latencyMs });
      plain.push((await timedUp(bench, "bench-activation", plans(few, `plain-${r}`))).ms);
      await admin(emulator, "PUT", "faults", { latencyMs, activationDelaySeconds: activationS });
      held.push((await timedUp(bench, "bench-activation", plans(few, `held-${r}`))).ms);
    }
    await admin(emulator, "PUT", "faults", {});
    const holdMs = activationS * 1000;
    const overhead = median(held) - median(plain) - holdMs;
    const allowed = 0.25 * holdMs + 250;
    out("");
    out(`2. activation wait (${few} plans, new plans held suspended for ${activationS} s)`);
    out(`   up without the hold           ${median(plain).toFixed(0)} ms   (runs: ${plain.join(", ")})`);
    out(`   up with the hold              ${median(held).toFixed(0)} ms   (runs: ${held.join(", ")})`);
    out(`   overhead beyond the hold      ${overhead.toFixed(0)} ms   target < ${allowed.toFixed(0)} ms   ${overhead < allowed ? "OK" : "MISSED"}`);

    const biggest = Math.max(...providerSizes);
    out("");
    out(`3. __provider in the state`);
    out(`   bytes per copy                ${biggest}   target <= ${PROVIDER_BUDGET}   ${biggest <= PROVIDER_BUDGET ? "OK" : "MISSED"}`);
    out(`   identical for every resource  ${identical ? "yes" : "NO"}`);
  } finally {
    await stopEmulatorProcess(child);
  }
}
