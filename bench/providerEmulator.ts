// The emulator the provider bench runs against, in its own process, and the request log it counts requests by.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

/** One line of the emulator's request log: `<ISO time> <METHOD> <path> <status> <ms>ms <request id>`. */
export interface LoggedRequest {
  /** When the emulator answered (its clock, epoch ms) and how long the request took there. */
  endAt: number;
  ms: number;
  method: string;
  path: string;
}

const LOG_LINE = /^(\S+) ([A-Z]+) (\S+) \S+ ([\d.]+)ms /;

function parseLogLine(line: string): LoggedRequest | undefined {
  const match = LOG_LINE.exec(line);
  if (!match) return undefined;
  const endAt = Date.parse(match[1] as string);
  if (Number.isNaN(endAt)) return undefined;
  return { endAt, ms: Number(match[4]), method: match[2] as string, path: match[3] as string };
}

/** Most requests the emulator was serving at once. */
export function peakConcurrency(requests: readonly LoggedRequest[]): number {
  const edges = requests.flatMap((r) => [
    { at: r.endAt - r.ms, delta: 1 },
    { at: r.endAt, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const edge of edges) {
    current += edge.delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

export interface EmulatorHandle {
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
export async function startEmulatorProcess(
  requests: LoggedRequest[],
): Promise<{ child: ChildProcess; handle: EmulatorHandle }> {
  const main = path.join(__dirname, "..", "emulator", "main.js");
  const child = spawn(process.execPath, [main, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  createInterface({ input: child.stderr }).on("line", (line) => {
    const parsed = parseLogLine(line);
    if (parsed) requests.push(parsed);
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited (code ${code}) before printing its handle`)));
  });
  lines.close();
  return { child, handle: JSON.parse(first) as EmulatorHandle };
}

export async function stopEmulatorProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export async function admin(emulator: EmulatorHandle, method: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${emulator.admin}/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${res.status} ${await res.text()}`);
}
