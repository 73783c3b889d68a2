// `npm run bench -- list [--count N] [--page-size N] [--rounds N]`: lists N checkpoints (default 100,000)
// from the emulator through the client's iterator and, in the same run, through a bare undici loop with the
// same page size. Prints items/s of both, their ratio (target: client >= 0.95x bare) and peak RSS (target:
// bounded, as the iterator holds one page at a time).
//
// The emulator runs in a child process, so this process's RSS and CPU are the listing's alone.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Agent, request } from "undici";
import { ScheduledBackupClient } from "../provider/api";

export interface Handle {
  endpoint: string;
  admin: string;
  projectId: string;
  token: string;
}

const MB = 1024 * 1024;
const LIST_TARGET = 0.95;

function positiveInt(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${flag} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

export async function startEmulatorProcess(): Promise<{ child: ChildProcess; handle: Handle }> {
  const main = path.join(__dirname, "..", "emulator", "main.js");
  const child = spawn(process.execPath, [main, "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited (code ${code}) before printing its handle`)));
  });
  lines.close();
  return { child, handle: JSON.parse(first) as Handle };
}

export async function stopEmulatorProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export async function admin(handle: Handle, route: string, body: unknown): Promise<unknown> {
  const res = await request(`${handle.admin}/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.body.json();
  if (res.statusCode >= 300) throw new Error(`admin ${route}: ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Samples RSS every 20 ms and on demand; `peak` is the highest value since the last `reset`. Through
 * `memoryUsage.rss()`: the full `memoryUsage()` also collects heap statistics, about 5% of a round's CPU.
 */
class RssSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.timer = setInterval(() => this.sample(), 20);
    this.timer.unref();
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  reset(): void {
    this.peak = process.memoryUsage.rss();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

interface Measurement {
  items: number;
  ms: number;
  /** This process's CPU time (user + system): the listing's own cost, the emulator's excluded. */
  cpuMs: number;
  peakRss: number;
}

async function measure(rss: RssSampler, list: () => Promise<number>): Promise<Measurement> {
  global.gc?.();
  rss.reset();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const items = await list();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  rss.sample();
  return { items, ms, cpuMs: (used.user + used.system) / 1000, peakRss: rss.peak };
}

/** What a careful hand-written loop does: request a page, parse it, follow the marker. No validation. */
async function bareLoop(handle: Handle, pageSize: number, dispatcher: Agent, rss: RssSampler): Promise<number> {
  const url = new URL(handle.endpoint);
  const base = `${url.pathname.replace(/\/+$/, "")}/${handle.projectId}/checkpoints/`;
  let marker: string | undefined;
  let count = 0;
  for (;;) {
    const markerParam = marker === undefined ? "" : `&marker=${encodeURIComponent(marker)}`;
    const query = `?plan_name=bench&limit=${pageSize}${markerParam}`;
    const res = await dispatcher.request({
      origin: url.origin,
      path: base + query,
      method: "GET",
      headers: { "x-auth-token": handle.token, accept: "application/json" },
    });
    const page = (await res.body.json()) as { checkpoints: { id: string }[] };
    if (res.statusCode !== 200) throw new Error(`bare loop: HTTP ${res.statusCode}`);
    if (page.checkpoints.length === 0) break;
    count += page.checkpoints.length;
    marker = page.checkpoints[page.checkpoints.length - 1]!.id;
    rss.sample();
    if (page.checkpoints.length < pageSize) break;
  }
  return count;
}

async function clientLoop(client: ScheduledBackupClient, pageSize: number, rss: RssSampler): Promise<number> {
  let count = 0;
  for await (const checkpoint of client.checkpoints({ planName: "bench", pageSize })) {
    if (checkpoint.checkpoint_items.length > 0) count += 1;
    if (count % pageSize === 0) rss.sample();
  }
  return count;
}

function rate(m: Measurement): number {
  return m.items / (m.ms / 1000);
}

export async function run(args: string[]): Promise<boolean> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { count: { type: "string" }, "page-size": { type: "string" }, rounds: { type: "string" } },
  });
  const count = positiveInt("count", values.count, 100_000, 1_000_000);
  const pageSize = positiveInt("page-size", values["page-size"], 1000, 1000);
  const rounds = positiveInt("rounds", values.rounds, 2, 10);

  const { child, handle } = await startEmulatorProcess();
  const rss = new RssSampler();
  const bareAgent = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
  try {
    process.stdout.write(`seeding ${count.toLocaleString("en-US")} checkpoints... `);
    const seedStarted = performance.now();
    await admin(handle, "seed/checkpoints", { count, planName: "bench" });
    process.stdout.write(`${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);
    const client = new ScheduledBackupClient({
      endpoint: handle.endpoint,
      token: handle.token,
      projectId: handle.projectId,
    });
    const baseline = process.memoryUsage.rss();

    // Warm both paths (JIT, connections) on one page each before measuring.
    await client.listCheckpoints({ plan_name: "bench", limit: pageSize });
    const origin = new URL(handle.endpoint).origin;
    const firstPage =
      `${new URL(handle.endpoint).pathname}/${handle.projectId}` + `/checkpoints/?plan_name=bench&limit=${pageSize}`;
    await bareAgent
      .request({ origin, path: firstPage, method: "GET", headers: { "x-auth-token": handle.token } })
      .then((r) => r.body.dump());

    const bare: Measurement[] = [];
    const ours: Measurement[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      // Alternate the order so neither path always runs on a warmer (or more fragmented) process.
      const pair = round % 2 === 1 ? ["bare", "client"] : ["client", "bare"];
      for (const which of pair) {
        const m =
          which === "bare"
            ? await measure(rss, () => bareLoop(handle, pageSize, bareAgent, rss))
            : await measure(rss, () => clientLoop(client, pageSize, rss));
        if (m.items !== count) throw new Error(`${which} listed ${m.items} of ${count} checkpoints`);
        (which === "bare" ? bare : ours).push(m);
        process.stdout.write(
          `  round ${round} ${which.padEnd(6)} ${Math.round(rate(m)).toLocaleString("en-US").padStart(9)} items/s  ` +
            `${(m.ms / 1000).toFixed(2)} s  cpu ${(m.cpuMs / 1000).toFixed(2)}` +
            ` s  peak RSS ${(m.peakRss / MB).toFixed(0)} MB\n`,
        );
      }
    }
    const best = (ms: Measurement[]): Measurement => ms.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    const b = best(bare);
    const c = best(ours);
    const ratio = rate(c) / rate(b);
    const peak = Math.max(...bare.map((m) => m.peakRss), ...ours.map((m) => m.peakRss));
    const lines = [
      "",
      `list: ${count.toLocaleString("en-US")} checkpoints, page size ${pageSize}, best of ${rounds} rounds`,
      `  bare undici loop : ${Math.round(rate(b)).toLocaleString("en-US")} items/s`,
      `  client iterator  : ${Math.round(rate(c)).toLocaleString("en-US")} items/s (zod-validated)`,
      `  ratio            : ${ratio.toFixed(2)}x (target >= ${LIST_TARGET.toFixed(2)}) ` +
        `${ratio >= LIST_TARGET ? "OK" : "MISSED"}`,
      `  client CPU/item  : ${((1000 * Math.min(...ours.map((m) => m.cpuMs))) / count).toFixed(1)} us vs bare ` +
        `${((1000 * Math.min(...bare.map((m) => m.cpuMs))) / count).toFixed(1)} us (this process only)`,
      `  peak RSS         : ${(peak / MB).toFixed(0)} MB (baseline after seeding ${(baseline / MB).toFixed(0)} MB; ` +
        `client phase peak ${(Math.max(...ours.map((m) => m.peakRss)) / MB).toFixed(0)} MB)`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
    return ratio >= LIST_TARGET;
  } finally {
    rss.stop();
    await bareAgent.close();
    await stopEmulatorProcess(child);
  }
}
