// Section 4 of `npm run bench -- provider`: the plugin's own work in CPU time, which stays meaningful on a
// loaded machine where wall times do not. A fresh node (as the plugin is) loads the runtime, checks and
// creates plans through the same provider methods the shim installs (runtime.bindProvider), against the
// bench's emulator, and reads process.cpuUsage() between the steps. No gRPC: that part is the SDK's, the
// same for the floor. Beside it, the same requests (one name lookup and one POST a plan, what exactly-once
// creates send) with no client around them, each in a fresh node too: through undici's Agent (the parts the
// client loads), and through Node's own http client. Cold, as the plugin is: a loop run after the client has
// warmed undici measures JIT-compiled code, which 200 plans never get to run.
import { execFile } from "node:child_process";
import * as http from "node:http";
import type * as Runtime from "../provider/runtime";
import type * as UndiciParts from "../provider/api/undici";

interface Endpoint {
  endpoint: string;
  projectId: string;
  token: string;
}

/** CPU ms of each step, measured in the child. */
export interface PluginCpu {
  loadRuntime: number;
  firstCheck: number;
  checkEach: number;
  firstCreate: number;
  createEach: number;
}

/** CPU ms of the same requests without the client, in a fresh node: loading the HTTP client, then each plan. */
export interface BareCpu {
  load: number;
  each: number;
}

type BareKind = "undici" | "node-http";

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** What the bench plans declare: the same inputs as bench/provider.ts `plans`. */
function inputs(i: number, prefix: string): Record<string, unknown> {
  return {
    name: `${prefix}-${i}`,
    maxBackups: 7,
    schedulePattern: `${i % 60} ${i % 24} * * *`,
    resources: [{ id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`, name: `volume-${i}` }],
  };
}

/** Runs `work(i)` for i in [from, count), `parallel` at a time (the engine's parallelism). */
async function inParallel(from: number, count: number, parallel: number, work: (i: number) => Promise<void>) {
  let next = from;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function child(target: Endpoint, count: number, prefix: string): Promise<PluginCpu> {
  let mark = cpuMs();
  const lap = (): number => {
    const now = cpuMs();
    const spent = now - mark;
    mark = now;
    return spent;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- timed: loading it is what is measured
  const runtime = require("../provider/runtime") as typeof Runtime;
  const loadRuntime = lap();
  const config: Record<string, string> = {
    "scheduledbackup:endpoint": target.endpoint,
    "scheduledbackup:projectId": target.projectId,
    "scheduledbackup:token": target.token,
  };
  const provider = runtime.bindProvider("backupPlan", { get: (key) => config[key] });
  const checked: unknown[] = [];
  const check = async (i: number): Promise<void> => {
    const result = await provider.check({}, inputs(i, prefix));
    if (result.failures.length > 0) throw new Error(`bench: check failed: ${JSON.stringify(result.failures)}`);
    checked[i] = result.inputs;
  };
  await check(0);
  const firstCheck = lap();
  for (let i = 1; i < count; i++) await check(i);
  const checkEach = lap() / (count - 1);
  await provider.create(checked[0]);
  const firstCreate = lap();
  await inParallel(1, count, 8, async (i) => {
    await provider.create(checked[i]);
  });
  const createEach = lap() / (count - 1);

  return { loadRuntime, firstCheck, checkEach, firstCreate, createEach };
}

/** One plan's two requests, given a way to send one and read its whole body. */
type Send = (method: "GET" | "POST", path: string, body?: string) => Promise<{ status: number; text: string }>;

async function barePlans(target: Endpoint, count: number, prefix: string, send: Send): Promise<void> {
  // The token layout (`/plans`, the project implied by the token), which the emulator serves.
  const plans = `${new URL(target.endpoint).pathname}/plans`;
  await inParallel(0, count, 8, async (i) => {
    const name = `${prefix}-${i}`;
    JSON.parse((await send("GET", `${plans}?name=${name}&limit=10`)).text);
    const body = JSON.stringify({
      name,
      description: "",
      backup_mode: "full",
      max_backups: 7,
      schedule_type: "crontab",
      schedule_pattern: `${i % 60} ${i % 24} * * *`,
      resources: [
        { id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`, name: `v-${i}`, type: "OS::Cinder::Volume" },
      ],
    });
    const created = await send("POST", plans, body);
    if (created.status !== 201 && created.status !== 200)
      throw new Error(`bench: bare POST answered ${created.status}: ${created.text.slice(0, 200)}`);
    JSON.parse(created.text);
  });
}

async function bareChild(kind: BareKind, target: Endpoint, count: number, prefix: string): Promise<BareCpu> {
  const base = new URL(target.endpoint);
  const headers = { accept: "application/json", "x-auth-token": target.token, "content-type": "application/json" };
  let mark = cpuMs();
  let send: Send;
  if (kind === "undici") {
    // What the client loads (provider/api/undici.ts): the Agent and the request API from undici's own files.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- timed: loading it is what is measured
    const { undiciParts } = require("../provider/api/undici") as typeof UndiciParts;
    const agent = new (undiciParts().Agent)({ connections: 16 });
    send = async (method, path, body) => {
      const res = await agent.request({ origin: base.origin, path, method, headers, body: body ?? null });
      return { status: res.statusCode, text: await res.body.text() };
    };
  } else {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    send = (method, path, body) =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      });
  }
  const load = cpuMs() - mark;
  mark = cpuMs();
  await barePlans(target, count, prefix, send);
  return { load, each: (cpuMs() - mark) / count };
}

function inFreshNode<T>(task: object): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [__filename, JSON.stringify(task)],
      { encoding: "utf8", maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`bench: the CPU measurement failed: ${stderr.trim() || err.message}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as T);
      },
    );
  });
}

/** Runs the measurement in a fresh node, `count` plans named `<prefix>-<i>`. */
export function measurePluginCpu(target: Endpoint, count: number, prefix: string): Promise<PluginCpu> {
  return inFreshNode({ kind: "provider", target, count, prefix });
}

/** The same requests with no client, through undici or Node's http, in a fresh node. */
export function measureBareCpu(kind: BareKind, target: Endpoint, count: number, prefix: string): Promise<BareCpu> {
  return inFreshNode({ kind, target, count, prefix });
}

if (require.main === module) {
  const { kind, target, count, prefix } = JSON.parse(process.argv[2] ?? "{}") as {
    kind: "provider" | BareKind;
    target: Endpoint;
    count: number;
    prefix: string;
  };
  const task: Promise<object> =
    kind === "provider" ? child(target, count, prefix) : bareChild(kind, target, count, prefix);
  task.then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + "\n");
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
