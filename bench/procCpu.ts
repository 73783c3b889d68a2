// CPU time of this process's child processes, read from /proc (Linux): how the provider bench tells how much
// CPU the dynamic-provider plugin spent, without touching the plugin. Clock ticks are 10 ms, so figures
// are meant for runs of a second or more.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcessCpu {
  pid: number;
  /** user + system CPU so far, ms. */
  cpuMs: number;
}

function statOf(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name (which may itself hold spaces).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    return Number.isFinite(ppid) && Number.isFinite(cpuMs) ? { ppid, cpuMs } : undefined;
  } catch {
    return undefined; // exited meanwhile
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** Children of this process whose command line contains `marker`, with their CPU so far. */
export function childrenCpu(marker: string): ProcessCpu[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: ProcessCpu[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = statOf(pid);
    if (stat === undefined || stat.ppid !== process.pid) continue;
    if (commandLine(pid).includes(marker)) found.push({ pid, cpuMs: stat.cpuMs });
  }
  return found;
}

/**
 * Follows the CPU of the children matching `marker` while a run goes on: `mark()` records each one's CPU at
 * that moment (e.g. once the plugin has started), `stop()` the CPU spent since the mark, over all of them.
 * Sampling every `everyMs` keeps the last reading of a child that is killed without warning.
 */
export class ChildCpuSampler {
  private readonly last = new Map<number, number>();
  private readonly marks = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly marker: string,
    everyMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const { pid, cpuMs } of childrenCpu(this.marker)) this.last.set(pid, cpuMs);
  }

  mark(): void {
    this.sample();
    for (const [pid, cpuMs] of this.last) if (!this.marks.has(pid)) this.marks.set(pid, cpuMs);
  }

  /** CPU ms since the mark (children seen without a mark count whole); NaN when nothing was seen. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    if (this.last.size === 0) return Number.NaN;
    let total = 0;
    for (const [pid, cpuMs] of this.last) total += cpuMs - (this.marks.get(pid) ?? 0);
    return total;
  }
}
