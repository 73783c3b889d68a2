// `npm run bench -- health [--plans N] [--checkpoints N] [--rounds N]`: backup health of N plans with M
// checkpoints each (default 100 x 1,000) from an emulator in a child process: one paginated listing of plans
// and one of checkpoints through the client, then the pure analysis. Side by side, interleaved, the floor:
// the same two listings through the client without the analysis (the bare-undici comparison of the
// listing itself is `npm run bench -- list`).
// Targets: median health < 2 s (the issue's), and health <= 1.5x the floor (the analysis costs at most
// half of the listing). Exits 1 when a target is missed.
import { parseArgs } from "node:util";
import { collect, ScheduledBackupClient } from "../provider/api";
import { analyzeHealth, type HealthReport } from "../provider/health";
import { admin, startEmulatorProcess, stopEmulatorProcess } from "./list";

const TARGET_MS = 2000;
const TARGET_RATIO = 1.5;

function positiveInt(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${flag} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** The floor: the two listings health needs, through the client, and nothing else. */
async function listingOnly(client: ScheduledBackupClient): Promise<number> {
  const [, checkpoints] = await Promise.all([collect(client.plans()), collect(client.checkpoints())]);
  return checkpoints.length;
}

interface HealthRun {
  report: HealthReport;
  checkpoints: number;
  listMs: number;
  analyzeMs: number;
}

async function healthRun(client: ScheduledBackupClient, now: Date): Promise<HealthRun> {
  const started = performance.now();
  const [plans, checkpoints] = await Promise.all([collect(client.plans()), collect(client.checkpoints())]);
  const listed = performance.now();
  const report = analyzeHealth(plans, checkpoints, { now });
  return { report, checkpoints: checkpoints.length, listMs: listed - started, analyzeMs: performance.now() - listed };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function run(args: string[]): Promise<boolean> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { plans: { type: "string" }, checkpoints: { type: "string" }, rounds: { type: "string" } },
  });
  const planCount = positiveInt("plans", values.plans, 100, 1000);
  const perPlan = positiveInt("checkpoints", values.checkpoints, 1000, 10_000);
  const rounds = positiveInt("rounds", values.rounds, 5, 15);

  const { child, handle } = await startEmulatorProcess();
  try {
    process.stdout.write(`seeding ${planCount} plans x ${perPlan.toLocaleString("en-US")} checkpoints... `);
    const seedStarted = performance.now();
    for (let i = 0; i < planCount; i += 1)
      await admin(handle, "seed/checkpoints", { count: perPlan, planName: `bench-${String(i).padStart(3, "0")}` });
    process.stdout.write(`${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);
    const clock = (await (await fetch(`${handle.admin}/clock`)).json()) as { now: string };
    const now = new Date(clock.now);
    const client = new ScheduledBackupClient({
      endpoint: handle.endpoint,
      token: handle.token,
      projectId: handle.projectId,
    });
    const total = planCount * perPlan;

    // Warm both paths (JIT, connections, schedule caches) once before measuring.
    await healthRun(client, now);
    await listingOnly(client);

    const floor: number[] = [];
    const health: number[] = [];
    const analyze: number[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      // Alternate the order so neither path always runs on a warmer (or more fragmented) process.
      for (const which of round % 2 === 1 ? ["floor", "health"] : ["health", "floor"]) {
        if (which === "floor") {
          const started = performance.now();
          const count = await listingOnly(client);
          if (count !== total) throw new Error(`the listing saw ${count} of ${total} checkpoints`);
          floor.push(performance.now() - started);
        } else {
          const result = await healthRun(client, now);
          if (result.checkpoints !== total || result.report.plans.length !== planCount) {
            throw new Error(`health saw ${result.report.plans.length} plans and ${result.checkpoints} checkpoints`);
          }
          health.push(result.listMs + result.analyzeMs);
          analyze.push(result.analyzeMs);
        }
      }
      process.stdout.write(
        `  round ${round}: floor ${floor[floor.length - 1]!.toFixed(0)} ms, ` +
          `health ${health[health.length - 1]!.toFixed(0)}` +
          ` ms (analysis ${analyze[analyze.length - 1]!.toFixed(0)} ms)\n`,
      );
    }
    const h = median(health);
    const f = median(floor);
    const ratio = h / f;
    const timeMet = h < TARGET_MS;
    const ratioMet = ratio <= TARGET_RATIO;
    process.stdout.write(
      [
        "",
        `health: ${planCount} plans x ${perPlan.toLocaleString("en-US")}` +
          ` checkpoints (${total.toLocaleString("en-US")}), median of ${rounds} rounds`,
        `  floor (client listings)     : ${f.toFixed(0)} ms`,
        `  health (client + analysis)  : ${h.toFixed(0)} ms, of which analysis ${median(analyze).toFixed(0)} ms`,
        `  target < ${TARGET_MS} ms            : ${timeMet ? "met" : "NOT met"}`,
        `  ratio to the floor          : ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO.toFixed(2)}x) ` +
          `${ratioMet ? "met" : "NOT met"}`,
        "",
      ].join("\n"),
    );
    return timeMet && ratioMet;
  } finally {
    await stopEmulatorProcess(child);
  }
}
