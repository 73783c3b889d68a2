// `npm run bench -- provider [--plans N] [--latency MS] [--activation S] [--parallel N] [--rounds N]
//   [--program ts|js|both]`
//
// Through the engine stand-in, against an emulator answering every request after `--latency` ms (0):
// 1. `up` of N plans (200) against the floor: `up` of N trivial dynamic resources with the same 18
//    properties and a provider that does no I/O (tests/e2e/fixtures/bench-floor*), the cost any Node.js
//    dynamic provider pays on this SDK. Both run in the same process, interleaved (the order alternates
//    each round); medians. Reported: the whole run and the steps phase (first Check .. last Create) as
//    ratios (target: the whole run within 1.05x the floor), how long after Configure the first Check is
//    answered (target <= 50 ms) and the plugin's CPU per resource from Configure on (/proc; target <= 2.5 ms).
//    Every API request is counted at the emulator (its request log, whatever the route), with the peak in
//    flight; at `--latency` above 0 their network time is printed beside (requests x latency / parallelism).
//    Timed for the TypeScript program users write (ts-node, like `pulumi up`) and for the same program in
//    plain JavaScript (`runtime.options.typescript: false`), each against a floor of the same language.
// 2. Activation wait overhead: `up` of a few plans with the emulator holding new plans `suspended` for
//    `--activation` s (2), minus the same `up` without the hold, minus the hold itself (target < 25% of the
//    hold + 250 ms).
// 3. `__provider` bytes per resource in the state (target <= 2,048), and whether it is the same for all.
// 4. The plugin's own work in CPU time (bench/providerCpu.ts): loading the runtime, the first Check, each
//    later Check, the first Create (which loads the client) and each later one, in a fresh node through the
//    same provider methods, beside the same requests through a bare undici Agent. Steady under load, where
//    the wall times of 1 are not; informational (the targets are those of 1).
// Each timed run is repeated `--rounds` times (5) and the median is reported. A missed target fails the
// command (exit code 1).
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as engine from "../tests/engine";
import type { RunOptions, TraceEvent } from "../tests/engine";
import { BACKUP_PLAN_TYPE } from "../provider/tokens";
import { ChildCpuSampler } from "./procCpu";
import { measureBareCpu, measurePluginCpu } from "./providerCpu";
import {
  admin,
  peakConcurrency,
  startEmulatorProcess,
  stopEmulatorProcess,
  type EmulatorHandle,
  type LoggedRequest,
} from "./providerEmulator";
import { FLOORS, fixturesRoot, plans, PROGRAMS, type ProgramFixture } from "./providerFixtures";

const TARGET_RATIO = 1.05;
const FIRST_CHECK_TARGET_MS = 50;
const PLUGIN_CPU_TARGET_MS = 2.5;
const PROVIDER_BUDGET = 2048;

function positiveInt(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`--${flag} must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Bench {
  emulator: EmulatorHandle;
  requests: LoggedRequest[];
  root: string;
  parallel: number;
}

/** Where one `up` spent its wall time, from the stand-in's trace (ms since the run started). */
interface Phases {
  programStarted: number;
  programExited: number;
  /** First and last RegisterResource of a plan (NaN without plans). */
  firstPlanRegistered: number;
  lastPlanRegistered: number;
  /** First Check sent to the provider, last Create answered (NaN without plans). */
  firstCheck: number;
  lastCreateAnswered: number;
  /** Mean time a Check and a Create took, seen from the engine. */
  meanCheckMs: number;
  meanCreateMs: number;
  /** Configure of the dynamic provider answered, and the first Check answered. */
  configured: number;
  firstCheckAnswered: number;
}

function phasesOf(events: readonly TraceEvent[], type: string): Phases {
  const at = (pick: (e: TraceEvent) => boolean, last = false): number => {
    const matching = events.filter(pick);
    const event = last ? matching.at(-1) : matching[0];
    return event?.atMs ?? Number.NaN;
  };
  const isPlan = (e: TraceEvent): boolean => (e.urn ?? "").includes(`::${type}::`);
  /** Mean of answered - called per resource, pairing the two by URN. */
  const meanLatency = (method: string): number => {
    const calls = new Map<string, number>();
    const spans: number[] = [];
    for (const e of events) {
      if (e.method !== method || !e.urn) continue;
      if (e.kind === "provider-call") calls.set(e.urn, e.atMs);
      else if (e.kind === "provider-answered" && calls.has(e.urn)) spans.push(e.atMs - (calls.get(e.urn) as number));
    }
    return spans.length ? spans.reduce((a, b) => a + b, 0) / spans.length : Number.NaN;
  };
  return {
    programStarted: at((e) => e.kind === "program-started"),
    programExited: at((e) => e.kind === "program-exited"),
    firstPlanRegistered: at((e) => e.kind === "register" && isPlan(e)),
    lastPlanRegistered: at((e) => e.kind === "register" && isPlan(e), true),
    firstCheck: at((e) => e.kind === "provider-call" && e.method === "check"),
    lastCreateAnswered: at((e) => e.kind === "provider-answered" && e.method === "create", true),
    meanCheckMs: meanLatency("check"),
    meanCreateMs: meanLatency("create"),
    configured: at((e) => e.kind === "provider-answered" && e.method === "configure"),
    firstCheckAnswered: at((e) => e.kind === "provider-answered" && e.method === "check"),
  };
}

interface Timed {
  ms: number;
  /** API requests the emulator logged during the run (admin routes excluded), and the most at once. */
  requests: number;
  peakInFlight: number;
  phases: Phases;
  /** CPU the dynamic-provider plugin spent from Configure to the end of the run, ms. */
  pluginCpuMs: number;
}

function runOptions(
  b: Bench,
  program: ProgramFixture,
  stack: string,
  declared: unknown[],
  extra: Partial<RunOptions> = {},
): RunOptions {
  return {
    cwd: path.join(b.root, program.dir),
    stack,
    parallel: b.parallel,
    config: {
      "scheduledbackup:endpoint": b.emulator.endpoint,
      "scheduledbackup:projectId": b.emulator.projectId,
      [`${program.project}:plans`]: JSON.stringify(declared),
      [`${program.project}:exportOutputs`]: "false",
    },
    secrets: { "scheduledbackup:token": b.emulator.token },
    ...extra,
  };
}

async function timedUp(b: Bench, program: ProgramFixture, stack: string, declared: unknown[]): Promise<Timed> {
  const options = runOptions(b, program, stack, declared);
  rmSync(path.join(options.cwd, ".pulumi-test", `${stack}.json`), { force: true });
  const events: TraceEvent[] = [];
  const plugin = new ChildCpuSampler("cmd/dynamic-provider");
  const trace = (event: TraceEvent): void => {
    events.push(event);
    // Configure is called once the plugin has started: its start-up (the SDK's) is not the provider's.
    if (event.kind === "provider-call" && event.method === "configure") plugin.mark();
  };
  const startedAt = Date.now();
  const result = await engine.up({ ...options, trace }).finally(() => undefined);
  const pluginCpuMs = plugin.stop();
  const endedAt = startedAt + result.durationMs;
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    throw new Error(`bench up of ${declared.length} plans failed:\n${errors.slice(0, 5).join("\n")}`);
  }
  // Every API request the run made: a request belongs to the run when the emulator started serving it
  // within the run's wall time (the log line itself may arrive a little later).
  const sent = b.requests.filter(
    (r) => !r.path.startsWith("/_emulator/") && r.endAt - r.ms >= startedAt - 5 && r.endAt - r.ms <= endedAt + 5,
  );
  const destroyed = await engine.destroy({
    ...options,
    config: { ...options.config, [`${program.project}:plans`]: "[]" },
  });
  if (!destroyed.ok) throw new Error(`bench: destroying ${declared.length} plans failed`);
  rmSync(path.join(options.cwd, ".pulumi-test", `${stack}.json`), { force: true });
  return {
    ms: result.durationMs,
    requests: sent.length,
    peakInFlight: peakConcurrency(sent),
    phases: phasesOf(events, program.type),
    pluginCpuMs,
  };
}

const fmt = (ms: number): string => (Number.isNaN(ms) ? "-" : ms.toFixed(0));

interface Verdict {
  line: string;
  met: boolean;
}

/** Section 1 for one program: rounds of the floor and the package, interleaved; ratios and breakdowns. */
async function againstFloor(
  b: Bench,
  lang: "ts" | "js",
  count: number,
  latencyMs: number,
  rounds: number,
  out: (line: string) => void,
): Promise<Verdict[]> {
  const program = PROGRAMS[lang];
  const floor = FLOORS[lang];
  const ours: Timed[] = [];
  const floors: Timed[] = [];
  for (let r = 0; r < rounds; r++) {
    const runOurs = async () =>
      ours.push(await timedUp(b, program, "bench-full", plans(count, `bench-${program.dir}-${r}`)));
    const runFloor = async () => floors.push(await timedUp(b, floor, "bench-floor", plans(count, `floor-${r}`)));
    if (r % 2 === 0) {
      await runFloor();
      await runOurs();
    } else {
      await runOurs();
      await runFloor();
    }
  }
  const pick = (runs: Timed[], f: (t: Timed) => number): number => median(runs.map(f));
  const both = (f: (t: Timed) => number): [number, number] => [pick(ours, f), pick(floors, f)];
  const [whole, floorWhole] = both((t) => t.ms);
  const steps = (t: Timed): number => t.phases.lastCreateAnswered - t.phases.firstCheck;
  const [ourSteps, floorSteps] = both(steps);
  const ratio = whole / floorWhole;
  const firstCheck = pick(ours, (t) => t.phases.firstCheckAnswered - t.phases.configured);
  const [cpu, floorCpu] = both((t) => t.pluginCpuMs / count);
  const requests = pick(ours, (t) => t.requests);
  const row = (label: string, f: (p: Phases) => number): string =>
    `     ${label.padEnd(30)}${fmt(pick(ours, (t) => f(t.phases))).padStart(7)}` +
    ` ${fmt(pick(floors, (t) => f(t.phases))).padStart(7)}`;
  out("");
  out(`1. up of ${count} plans: ${program.label}, against the ${floor.label}`);
  out(`   up, ${count} plans                ${fmt(whole)} ms   (runs: ${ours.map((t) => t.ms).join(", ")})`);
  out(`   up, ${count} floor resources      ${fmt(floorWhole)} ms   (runs: ${floors.map((t) => t.ms).join(", ")})`);
  out(
    `   whole run                     ${ratio.toFixed(3)}` +
      `x the floor   target <= ${TARGET_RATIO}x   ${ratio <= TARGET_RATIO ? "OK" : "MISSED"}`,
  );
  out(
    `   steps (first Check .. last Create)  ${fmt(ourSteps)} ms vs ${fmt(floorSteps)}` +
      ` ms = ${(ourSteps / floorSteps).toFixed(2)}x the floor's`,
  );
  out(
    `   requests made                 ${requests} (${(requests / count).toFixed(2)} per plan), ` +
      `at most ${pick(ours, (t) => t.peakInFlight)} in flight at the emulator` +
      (latencyMs > 0
        ? `; their network time alone: ${requests} x ${latencyMs} ms / ${b.parallel}` +
          ` = ${fmt((requests * latencyMs) / b.parallel)} ms`
        : ""),
  );
  const floorFirstCheck = pick(floors, (t) => t.phases.firstCheckAnswered - t.phases.configured);
  out(
    `   first Check answered          ${firstCheck.toFixed(0)}` +
      ` ms after Configure (floor ${floorFirstCheck.toFixed(0)} ms)   ` +
      `target <= ${FIRST_CHECK_TARGET_MS} ms   ${firstCheck <= FIRST_CHECK_TARGET_MS ? "OK" : "MISSED"}`,
  );
  out(
    `   plugin CPU per resource       ${cpu.toFixed(2)} ms (floor ${floorCpu.toFixed(2)} ms), ` +
      `from Configure on   target <= ${PLUGIN_CPU_TARGET_MS}` +
      ` ms   ${cpu <= PLUGIN_CPU_TARGET_MS ? "OK" : "MISSED"}`,
  );
  out(`   where the time goes (medians, ms since the run started)   plans   floor`);
  out(row("program started", (p) => p.programStarted));
  out(row("first resource registered", (p) => p.firstPlanRegistered));
  out(row("last resource registered", (p) => p.lastPlanRegistered));
  out(row("first Check sent", (p) => p.firstCheck));
  out(row("last Create answered", (p) => p.lastCreateAnswered));
  out(row("program exited", (p) => p.programExited));
  out(row("mean Check (ms each)", (p) => p.meanCheckMs));
  out(row("mean Create (ms each)", (p) => p.meanCreateMs));
  const name = lang === "ts" ? "TypeScript" : "JavaScript";
  return [
    {
      line: `${name}: whole run ${ratio.toFixed(3)}x the floor (target <= ${TARGET_RATIO}x)`,
      met: ratio <= TARGET_RATIO,
    },
    {
      line: `${name}: first Check ${firstCheck.toFixed(0)} ms after Configure (target <= ${FIRST_CHECK_TARGET_MS} ms)`,
      met: firstCheck <= FIRST_CHECK_TARGET_MS,
    },
    {
      line: `${name}: plugin CPU ${cpu.toFixed(2)} ms per plan (target <= ${PLUGIN_CPU_TARGET_MS} ms)`,
      met: cpu <= PLUGIN_CPU_TARGET_MS,
    },
  ];
}

export async function run(args: string[]): Promise<boolean> {
  const { values } = parseArgs({
    args,
    options: {
      plans: { type: "string" },
      latency: { type: "string" },
      activation: { type: "string" },
      parallel: { type: "string" },
      rounds: { type: "string" },
      program: { type: "string" },
    },
    strict: true,
  });
  const count = positiveInt("plans", values.plans, 200, 5000);
  const latencyMs = positiveInt("latency", values.latency, 0, 10_000);
  const activationS = positiveInt("activation", values.activation, 2, 600);
  const rounds = Math.max(1, positiveInt("rounds", values.rounds, 5, 20));
  const which = values.program ?? "both";
  if (which !== "ts" && which !== "js" && which !== "both")
    throw new Error(`--program must be ts, js or both, got ${JSON.stringify(which)}`);
  const languages: ("ts" | "js")[] = which === "both" ? ["ts", "js"] : [which];
  const requests: LoggedRequest[] = [];
  const { child, handle: emulator } = await startEmulatorProcess(requests);
  const bench: Bench = {
    emulator,
    requests,
    root: fixturesRoot(),
    parallel: positiveInt("parallel", values.parallel, 0, 1000) || availableParallelism() * 4, // the engine's default
  };
  const out = (line: string) => process.stdout.write(line + "\n");
  try {
    await admin(emulator, "PUT", "faults", { latencyMs });
    out(
      `provider bench: ${count} plans, ${latencyMs} ms per request, engine parallelism ${bench.parallel}, ` +
        `${rounds} round(s)`,
    );

    // 1. up against the floor, per program language.
    const verdicts: Verdict[] = [];
    for (const lang of languages) verdicts.push(...(await againstFloor(bench, lang, count, latencyMs, rounds, out)));

    // `__provider` as recorded: run once more and read the state before destroying it.
    let providerSizes: number[] = [];
    let identical = true;
    {
      const program = PROGRAMS.ts;
      const options = runOptions(bench, program, "bench-state", plans(3, "bench-state"), {});
      options.config = { ...options.config, [`${program.project}:exportOutputs`]: "true" };
      rmSync(path.join(options.cwd, ".pulumi-test", "bench-state.json"), { force: true });
      const result = await engine.up(options);
      if (!result.ok) throw new Error("bench: the state run failed");
      const records = engine
        .readState(options.cwd, "bench-state")
        .deployment.resources.filter((res) => res.type === BACKUP_PLAN_TYPE);
      const texts = records
        .flatMap((res) => [res.inputs?.["__provider"], res.outputs?.["__provider"]])
        .filter((t): t is string => typeof t === "string");
      providerSizes = texts.map((t) => Buffer.byteLength(t));
      identical = texts.every((t) => t === texts[0]);
      await engine.destroy({ ...options, config: { ...options.config, [`${program.project}:plans`]: "[]" } });
      rmSync(path.join(options.cwd, ".pulumi-test", "bench-state.json"), { force: true });
    }

    // 2. Activation wait overhead.
    const few = 4;
    const plain: number[] = [];
    const held: number[] = [];
    for (let r = 0; r < Math.min(rounds, 3); r++) {
      await admin(emulator, "PUT", "faults", { latencyMs });
      plain.push((await timedUp(bench, PROGRAMS.ts, "bench-activation", plans(few, `plain-${r}`))).ms);
      await admin(emulator, "PUT", "faults", { latencyMs, activationDelaySeconds: activationS });
      held.push((await timedUp(bench, PROGRAMS.ts, "bench-activation", plans(few, `held-${r}`))).ms);
    }
    await admin(emulator, "PUT", "faults", {});
    const holdMs = activationS * 1000;
    const overhead = median(held) - median(plain) - holdMs;
    const allowed = 0.25 * holdMs + 250;
    out("");
    out(`2. activation wait (${few} plans, new plans held suspended for ${activationS} s)`);
    out(`   up without the hold           ${median(plain).toFixed(0)} ms   (runs: ${plain.join(", ")})`);
    out(`   up with the hold              ${median(held).toFixed(0)} ms   (runs: ${held.join(", ")})`);
    out(
      `   overhead beyond the hold      ${overhead.toFixed(0)} ms   target < ${allowed.toFixed(0)}` +
        ` ms   ${overhead < allowed ? "OK" : "MISSED"}`,
    );
    verdicts.push({
      line: `activation wait overhead ${overhead.toFixed(0)} ms (target < ${allowed.toFixed(0)} ms)`,
      met: overhead < allowed,
    });

    const biggest = Math.max(...providerSizes);
    out("");
    out(`3. __provider in the state`);
    out(
      `   bytes per copy                ${biggest}   target <= ${PROVIDER_BUDGET}` +
        `   ${biggest <= PROVIDER_BUDGET ? "OK" : "MISSED"}`,
    );
    out(`   identical for every resource  ${identical ? "yes" : "NO"}`);
    verdicts.push({
      line:
        `__provider ${biggest} B, ${identical ? "identical" : "NOT identical"} (target <= ${PROVIDER_BUDGET}` +
        ` B, identical)`,
      met: biggest <= PROVIDER_BUDGET && identical,
    });
    // 4. The plugin's own work, in CPU time, and what the same requests cost without the client.
    const cpu = await measurePluginCpu(emulator, count, "bench-cpu");
    const bareUndici = await measureBareCpu("undici", emulator, count, "bench-bare-undici");
    const bareNode = await measureBareCpu("node-http", emulator, count, "bench-bare-node");
    const ms = (v: number, digits = 1): string => v.toFixed(digits).padStart(7);
    out("");
    out(`4. the plugin's own work, ${count} plans in a fresh node (process.cpuUsage, ms of CPU; no gRPC)`);
    out(`   load the runtime              ${ms(cpu.loadRuntime)}`);
    out(`   first Check                   ${ms(cpu.firstCheck)}   (with the load: what the first Check waits for)`);
    out(`   each later Check              ${ms(cpu.checkEach, 3)}`);
    out(`   first Create                  ${ms(cpu.firstCreate)}   (loads the API client: undici, zod)`);
    out(`   each later Create             ${ms(cpu.createEach, 3)}   (a name lookup and a POST)`);
    const perPlan = (cpu.loadRuntime + cpu.firstCheck + cpu.firstCreate) / count + cpu.checkEach + cpu.createEach;
    out(`   per plan, all included        ${ms(perPlan, 3)}   (to add to the floor's plugin CPU per resource)`);
    out(`   the same two requests a plan, no client, each in a fresh node (cold, as in the plugin):`);
    for (const [label, bare] of [
      ["undici Agent (client's parts)", bareUndici],
      ["Node's http client", bareNode],
    ] as const) {
      const all = bare.load / count + bare.each;
      const parts = `load ${bare.load.toFixed(1)} ms, then ${bare.each.toFixed(3)} a plan`;
      out(`   ${label.padEnd(30)}${ms(all, 3)}   (${parts})`);
    }
    out("");
    out("targets:");
    for (const v of verdicts) out(`   ${v.met ? "OK    " : "MISSED"} ${v.line}`);
    return verdicts.every((v) => v.met);
  } finally {
    await stopEmulatorProcess(child);
  }
}
