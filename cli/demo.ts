// `npm run demo`: the whole product, locally, in about a minute. Each stage is labelled; the first
// failure stops the demo with the underlying message and exit 1. The emulator and every state file
// the demo writes are removed at the end, also on failure or Ctrl-C.
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type EmulatorHandle, startEmulator } from "../emulator";
import { type Checkpoint, ScheduledBackupClient } from "../provider/api";
import { itemColumns, itemRows } from "./commands/checkpoints";
import {
  type DemoEngine, DemoStageError, type Deployment, type Program, PulumiCliEngine, StandInEngine, type Step, pulumiOnPath,
} from "./demo/engines";
import { formatTime, renderTable } from "./table";

const REPO = dirname(realpathSync(require.resolve("pulumi-scheduled-backup/package.json")));
const BACKUP_PLAN_TYPE = "pulumi-nodejs:dynamic/scheduledbackup:BackupPlan";
const RESTORE_TYPE = "pulumi-nodejs:dynamic/scheduledbackup:Restore";
const TWO_WEEKS_SECONDS = 14 * 86_400;
const STAGES = 7;

export const DEMO_VOLUMES = [
  { id: "5c1d0e3a-7f42-4b6e-9d2c-1a0b3c4d5e01", name: "db-data" },
  { id: "5c1d0e3a-7f42-4b6e-9d2c-1a0b3c4d5e02", name: "web-data" },
  { id: "5c1d0e3a-7f42-4b6e-9d2c-1a0b3c4d5e03", name: "logs" },
] as const;

const out = (line = "") => process.stdout.write(`${line}\n`);
let currentStage = 0;
function stage(title: string): void {
  currentStage += 1;
  out();
  out(`━━ [${currentStage}/${STAGES}] ${title}`);
}

const STEP_SIGNS: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: "=", read: ">", refresh: "~" };
function printSteps(steps: readonly Step[]): void {
  for (const step of steps) {
    if (step.type === "pulumi:pulumi:Stack") continue;
    const type = step.type.slice(step.type.lastIndexOf(":") + 1);
    out(`   ${(STEP_SIGNS[step.op] ?? "?").padEnd(2)} ${step.op.padEnd(8)} ${type.padEnd(11)} ${step.name}${step.status === "ok" ? "" : `  (${step.status})`}`);
  }
}

function printValue(value: unknown, indent: string): void {
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    out(`${indent}${value.join(", ")}`);
    return;
  }
  out(`${indent}${JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`)}`);
}

function printOutputs(outputs: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(outputs)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value) && "4dabf18193072939515e22adb298388d" in value) {
      out(`   ${key}: [secret]`);
    } else if (typeof value === "object" && value !== null) {
      out(`   ${key}:`);
      printValue(value, "     ");
    } else {
      out(`   ${key}: ${String(value)}`);
    }
  }
}

function printPlanFacts(deployment: Deployment): void {
  const plans = deployment.resources.filter((r) => r.type === BACKUP_PLAN_TYPE);
  for (const plan of plans) {
    const o = plan.outputs ?? {};
    const runs = Array.isArray(o["nextRunTimes"]) ? (o["nextRunTimes"] as unknown[]).map((t) => formatTime(String(t))) : [];
    out(`   plan ${String(o["name"])} (${String(o["backupMode"])}, keeps ${String(o["maxBackups"])}, \`${String(o["schedulePattern"])}\`, ${String(o["status"])})`);
    out(`     RPO (longest gap):  ${o["maxIntervalHours"] === null ? "-" : `${String(o["maxIntervalHours"])} h`}`);
    out(`     restores reach:     ${o["retentionDays"] === null ? "-" : `${String(o["retentionDays"])} days back`}`);
    out(`     next runs:          ${runs.slice(0, 3).join(", ")}${runs.length > 3 ? ", …" : ""}`);
  }
}

/** Stack config pointing a program at the emulator; the token is set as a secret, as users should. */
function programFor(dir: string, stack: string, emulator: EmulatorHandle, extra: Record<string, string> = {}): Program {
  return {
    dir, stack,
    config: { "scheduledbackup:endpoint": emulator.endpoint, "scheduledbackup:projectId": emulator.projectId, ...extra },
    secrets: { "scheduledbackup:token": emulator.token },
  };
}

async function advanceClock(emulator: EmulatorHandle, seconds: number): Promise<string> {
  const response = await fetch(`${emulator.admin}/clock/advance`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ seconds }),
  });
  if (!response.ok) throw new DemoStageError(`the emulator refused to advance its clock: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { now?: unknown };
  return String(body.now);
}

function chooseEngine(requested: string | undefined, stateDir: string): DemoEngine {
  if (requested !== undefined && requested !== "pulumi" && requested !== "stand-in") {
    throw new DemoStageError(`--engine must be pulumi or stand-in, got \`${requested}\``);
  }
  const version = requested === "stand-in" ? undefined : pulumiOnPath();
  if (requested === "pulumi" && version === undefined) throw new DemoStageError("--engine pulumi: no `pulumi` CLI on PATH");
  return version === undefined ? new StandInEngine() : new PulumiCliEngine(version, stateDir);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { engine: { type: "string" } }, strict: true });
  const started = Date.now();
  const cleanups: (() => Promise<void> | void)[] = [];
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  };
  process.once("SIGINT", () => {
    process.stderr.write("\ninterrupted: stopping the emulator and removing the demo's state\n");
    void cleanUp().then(() => process.exit(130));
  });

  const stack = `demo-${process.pid}`;
  let destroyed = false;
  try {
    out("pulumi-scheduled-backup demo: backup plans as code, checked by policy, against a local emulator.");

    stage("Start the API emulator (a local, faithful Scheduled Backup API v2)");
    const emulator = await startEmulator({ port: 0, volumes: DEMO_VOLUMES.map((v) => ({ ...v })), startTime: new Date("2025-06-02T00:00:00Z") });
    cleanups.push(() => emulator.close());
    out(`   endpoint ${emulator.endpoint}, project ${emulator.projectId}`);
    out(`   volumes: ${DEMO_VOLUMES.map((v) => v.name).join(", ")}; virtual clock at 2025-06-02T00:00:00Z`);

    const stateDir = mkdtempSync(join(tmpdir(), "scheduled-backup-demo-"));
    const engine = chooseEngine(values.engine, stateDir);
    cleanups.push(() => engine.cleanup());

    const quickstart = programFor(join(REPO, "examples", "quickstart"), stack, emulator, {
      "quickstart:volumes": JSON.stringify(DEMO_VOLUMES.slice(0, 2)),
    });
    stage(`Deploy examples/quickstart with ${engine.description}`);
    const deployed = await engine.up(quickstart);
    cleanups.push(async () => {
      if (!destroyed) await engine.destroy(quickstart);
    });
    printSteps(deployed.steps);
    if (!deployed.resources.some((r) => r.type === BACKUP_PLAN_TYPE)) {
      throw new DemoStageError("the deployment holds no BackupPlan: examples/quickstart did not run as the program");
    }

    stage("What the plans guarantee (stack outputs and each plan's schedule facts)");
    printPlanFacts(deployed);
    if (Object.keys(deployed.outputs).length > 0) {
      out("   stack outputs:");
      printOutputs(deployed.outputs);
    }

    stage("Two weeks later: the checkpoints the plans produced");
    const now = await advanceClock(emulator, TWO_WEEKS_SECONDS);
    out(`   advanced the emulator's clock by 14 days, to ${now}`);
    const client = new ScheduledBackupClient({ endpoint: emulator.endpoint, token: emulator.token, projectId: emulator.projectId });
    const checkpoints: Checkpoint[] = [];
    for await (const checkpoint of client.checkpoints()) checkpoints.push(checkpoint);
    const planNames = new Map<string, string>();
    for await (const plan of client.plans()) planNames.set(plan.id, plan.name);
    const rows = itemRows(checkpoints, planNames);
    if (rows.length === 0) throw new DemoStageError("no checkpoints appeared: the plans did not run");
    // Chain ids are UUIDs; numbering them in order of appearance keeps the table narrow and readable.
    const chainNumbers = new Map<string, number>();
    for (const row of rows) if (!chainNumbers.has(row.item.chain_id)) chainNumbers.set(row.item.chain_id, chainNumbers.size + 1);
    const columns = [
      ...itemColumns.filter((c) => ["created", "plan", "volume", "kind", "status"].includes(c.header)),
      { header: "chain", value: (r: (typeof rows)[number]) => `#${chainNumbers.get(r.item.chain_id) ?? "?"}` },
    ];
    out(renderTable(columns, rows).trimEnd().replace(/^/gm, "   "));
    out(`   ${rows.length} volume backups in ${checkpoints.length} checkpoints; retention pruned the oldest (chain numbers are per chain id)`);

    const restoreVolume = DEMO_VOLUMES[0];
    stage(`Restore the latest restore point of volume ${restoreVolume.name} (examples/restore)`);
    const restore = programFor(join(REPO, "examples", "restore"), stack, emulator, {
      "restore:volumeName": restoreVolume.name, "restore:restoreName": `${restoreVolume.name}-restored`,
    });
    const restored = await engine.up(restore);
    cleanups.push(async () => {
      if (!destroyed) await engine.destroy(restore);
    });
    printSteps(restored.steps);
    for (const record of restored.resources.filter((r) => r.type === RESTORE_TYPE)) {
      const o = record.outputs ?? {};
      out(`   restored checkpoint item ${String(o["checkpointItemId"])} into new volume ${String(o["restoreName"])} (${String(o["resourceId"])}): ${String(o["status"])}`);
    }

    stage("The policy pack stops a bad backup setup (cli/demo-bad) before it reaches the API");
    const bad = programFor(join(REPO, "cli", "demo-bad"), stack, emulator, {
      "demo-bad-backups:volumeId": restoreVolume.id, "demo-bad-backups:volumeName": restoreVolume.name,
    });
    const policy = await engine.previewWithPolicy(bad, join(REPO, "policy"));
    if (!policy.blocked) throw new DemoStageError("the policy pack let the bad program through");
    for (const f of policy.mandatory) {
      out(`   ✗ ${f.policy} (mandatory) on ${f.resource}:`);
      out(`     ${f.message.replace(/\n/g, "\n     ")}`);
    }
    if (policy.advisory.length > 0) out(`   (${policy.advisory.length} advisory finding(s) too: ${[...new Set(policy.advisory.map((f) => f.policy))].join(", ")})`);
    out("   preview failed as it should: nothing was sent to the API");

    stage("Destroy the stacks");
    printSteps(await engine.destroy(restore));
    printSteps(await engine.destroy(quickstart));
    destroyed = true;
    const left = (await client.listPlans()).total;
    out(`   plans left in the emulator: ${left} (the restored volume stays: a restore's volume is yours)`);

    out();
    out(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Where to go next (README.md):`);
    out("  - Install and configure:    README.md#install and #configuration");
    out("  - Write your own plans:     examples/quickstart, README.md#reference");
    out("  - Adopt existing plans:     npx scheduled-backup import-plans --out index.ts (README.md#adopting-existing-plans)");
    out("  - Gate CI with the pack:    pulumi preview --policy-pack node_modules/pulumi-scheduled-backup/policy (README.md#policy-pack)");
    out(`  - Day-2 operations:         npx scheduled-backup --help`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\ndemo failed at stage ${currentStage}/${STAGES}: ${message}\n`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
