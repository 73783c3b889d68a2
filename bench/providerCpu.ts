// Section 4 of `npm run bench -- provider`: the plugin's own work in CPU time, which stays meaningful on a
// loaded machine where wall times do not. A fresh node (as the plugin is) loads the runtime, checks and
// creates plans through the same provider methods the shim installs (runtime.bindProvider), against the
// bench's emulator, and reads process.cpuUsage() between the steps. No gRPC: that part is the SDK's, the
// same for the floor. Beside it, the same requests through a bare undici Agent (one name lookup and one
// POST a plan, what exactly-once creates send), so the HTTP cost itself is visible.
import { execFile } from "node:child_process";
import type * as Runtime from "../provider/runtime";

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
  bareHttpEach: number;
}

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

  // The same two requests a plan through a bare keep-alive Agent (the client is loaded: so is undici).
  const { Agent } = await import("undici");
  const agent = new Agent({ connections: 16 });
  const base = new URL(target.endpoint);
  const headers = { accept: "application/json", "x-auth-token": target.token, "content-type": "application/json" };
  // The token layout (`/plans`, the project implied by the token), which the emulator serves.
  const plans = `${base.pathname}/plans`;
  lap();
  await inParallel(0, count, 8, async (i) => {
    const name = `${prefix}-bare-${i}`;
    const lookup = await agent.request({
      origin: base.origin,
      path: `${plans}?name=${name}&limit=10`,
      method: "GET",
      headers,
    });
    JSON.parse(await lookup.body.text());
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
    const created = await agent.request({ origin: base.origin, path: plans, method: "POST", headers, body });
    const text = await created.body.text();
    if (created.statusCode !== 201 && created.statusCode !== 200)
      throw new Error(`bench: bare POST answered ${created.statusCode}: ${text.slice(0, 200)}`);
    JSON.parse(text);
  });
  const bareHttpEach = lap() / count;
  await agent.close();
  return { loadRuntime, firstCheck, checkEach, firstCreate, createEach, bareHttpEach };
}

/** Runs the measurement in a fresh node, `count` plans named `<prefix>-<i>`. */
export function measurePluginCpu(target: Endpoint, count: number, prefix: string): Promise<PluginCpu> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [__filename, JSON.stringify({ target, count, prefix })],
      { encoding: "utf8", maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`bench: the CPU measurement failed: ${stderr.trim() || err.message}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as PluginCpu);
      },
    );
  });
}

if (require.main === module) {
  const { target, count, prefix } = JSON.parse(process.argv[2] ?? "{}") as {
    target: Endpoint;
    count: number;
    prefix: string;
  };
  child(target, count, prefix).then(
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
