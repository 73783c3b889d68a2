// `npm run demo`: the whole product, locally, in about a minute. Each stage is labelled; the first
// failure stops the demo with the underlying message and exit 1. The emulator and every state file
// the demo writes are removed at the end, also on failure or Ctrl-C.
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type EmulatorHandle, startEmulator } from "../emulator";
import { type Checkpoint, ScheduledBackupClient } from "../provider/api";
import { itemColumns, itemRows } from "../cli/commands/checkpoints";
import { parseArgsMessage } from "../cli/options";
import {
  type DemoEngine,
  DemoStageError,
  type Deployment,
  type Program,
  PulumiCliEngine,
  StandInEngine,
  type Step,
  pulumiOnPath,
} from "./engines";
import { HEALTH_STAGE_TITLE, showHealthBreach } from "./health";
import { formatTime, renderTable } from "../cli/table";

const REPO = dirname(realpathSync(require.resolve("pulumi-scheduled-backup/package.json")));
const BACKUP_PLAN_TYPE = "pulumi-nodejs:dynamic/scheduledbackup:BackupPlan";
const RESTORE_TYPE = "pulumi-nodejs:dynamic/scheduledbackup:Restore";
const TWO_WEEKS_SECONDS = 14 * 86_400;
const STAGES = 8;

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

const STEP_SIGNS: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: "=",
  read: ">",
  refresh: "~",
};
function printSteps(steps: readonly Step[]): void {
  for (const step of steps) {
    if (step.type === "pulumi:pulumi:Stack") continue;
    const type = step.type.slice(step.type.lastIndexOf(":") + 1);
    out(
      `   ${(STEP_SIGNS[step.op] ?? "?").padEnd(2)} ${step.op.padEnd(8)} ${type.padEnd(11)}` +
        ` ${step.name}${step.status === "ok" ? "" : `  (${step.status})`}`,
    );
  }
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Stack outputs as `path: value` lines: nested objects flattened, scalar lists joined, secrets hidden. */
export function flattenOutputs(value: unknown, path: string, lines: string[] = []): string[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && SECRET_SIG_KEY in value) {
    lines.push(`${path}: [secret]`);
  } else if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    lines.push(`${path}: ${value.length === 0 ? "(none)" : value.map(String).join(", ")}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flattenOutputs(v, `${path}[${i}]`, lines));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) flattenOutputs(v, path === "" ? key : `${path}.${key}`, lines);
  } else {
    lines.push(`${path}: ${String(value)}`);
  }
  return lines;
}

function printOutputs(outputs: Record<string, unknown>): void {
  for (const line of flattenOutputs(outputs, "")) out(`     ${line}`);
}

function printPlanFacts(deployment: Deployment): void {
  const plans = deployment.resources.filter((r) => r.type === BACKUP_PLAN_TYPE);
  for (const plan of plans) {
    const o = plan.outputs ?? {};
    const runs = Array.isArray(o["nextRunTimes"])
      ? (o["nextRunTimes"] as unknown[]).map((t) => formatTime(String(t)))
      : [];
    out(
      `   plan ${String(o["name"])} (${String(o["backupMode"])}, keeps ${String(o["maxBackups"])}, ` +
        `\`${String(o["schedulePattern"])}\`, ${String(o["status"])})`,
    );
    out(
      `     RPO (longest gap):  ${o["maxIntervalHours"] === null ? "-" : `${JSON.stringify(o["maxIntervalHours"])} h`}`,
    );
    out(
      `     restores reach:     ` +
        `${o["retentionDays"] === null ? "-" : `${JSON.stringify(o["retentionDays"])} days back`}`,
    );
    out(`     next runs:          ${runs.slice(0, 3).join(", ")}${runs.length > 3 ? ", …" : ""}`);
  }
}

/** Stack config pointing a program at the emulator; the token is set as a secret, as users should. */
function programFor(dir: string, stack: string, emulator: EmulatorHandle, extra: Record<string, string> = {}): Program {
  return {
    dir,
    stack,
    config: {
      "scheduledbackup:endpoint": emulator.endpoint,
      "scheduledbackup:projectId": emulator.projectId,
      ...extra,
    },
    secrets: { "scheduledbackup:token": emulator.token },
  };
}

async function advanceClock(emulator: EmulatorHandle, seconds: number): Promise<string> {
  const response = await fetch(`${emulator.admin}/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seconds }),
  });
  if (!response.ok)
    throw new DemoStageError(
      `the emulator refused to advance its clock: HTTP ${response.status} ${await response.text()}`,
    );
  const body = (await response.json()) as { now?: unknown };
  return String(body.now);
}

function chooseEngine(requested: string | undefined): DemoEngine {
  if (requested !== undefined && requested !== "pulumi" && requested !== "stand-in") {
    throw new DemoStageError(`--engine must be pulumi or stand-in, got \`${requested}\``);
  }
  const version = requested === "stand-in" ? undefined : pulumiOnPath();
  if (requested === "pulumi" && version === undefined)
    throw new DemoStageError("--engine pulumi: no `pulumi` CLI on PATH");
  if (version === undefined) return new StandInEngine();
  return new PulumiCliEngine(version, mkdtempSync(join(tmpdir(), "scheduled-backup-demo-")));
}

export const DEMO_USAGE = `Usage: npm run demo -- [--engine pulumi|stand-in]

Starts the API emulator, deploys examples/quickstart, advances the clock two weeks, restores a backup,
runs the policy pack against demo/bad and destroys everything.
  --engine E   pulumi (the \`pulumi\` CLI on PATH) or stand-in (this repository's offline engine);
               default: pulumi when it is on PATH, else the stand-in
  --help       this text
`;

async function main(argv: string[]): Promise<number> {
  let values: { engine?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { engine: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`error: ${parseArgsMessage(err)}\n${DEMO_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
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
  let engine: DemoEngine | undefined;
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the emulator and removing the demo's state\n`);
      interrupted = true;
      engine?.abort();
      void cleanUp().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  // `npm run demo | head` closes stdout early: keep going quietly so the clean-up still runs.
  process.stdout.on("error", () => undefined);

  const stack = `demo-${process.pid}`;
  let destroyed = false;
  try {
    out("pulumi-scheduled-backup demo: backup plans as code, checked by policy, against a local emulator.");

    stage("Start the API emulator (a local, faithful Scheduled Backup API v2)");
    // The virtual clock starts now, so the next runs the provider computes (from the real clock) are the
    // runs the emulator's scheduler takes once the clock is advanced.
    const clockStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const emulator = await startEmulator({
      port: 0,
      volumes: DEMO_VOLUMES.map((v) => ({ ...v })),
      startTime: clockStart,
    });
    cleanups.push(() => emulator.close());
    out(`   endpoint ${emulator.endpoint}, project ${emulator.projectId}`);
    out(`   volumes: ${DEMO_VOLUMES.map((v) => v.name).join(", ")}; virtual clock starts at ${formatTime(clockStart)}`);

    const chosen = chooseEngine(values.engine);
    engine = chosen;
    cleanups.push(() => chosen.cleanup());
    // Destroying is part of cleaning up after a failure, not after an interruption: the emulator goes anyway.
    const destroyLater = (program: Program) =>
      cleanups.push(async () => {
        if (!destroyed && !interrupted) await chosen.destroy(program);
      });

    const quickstart = programFor(join(REPO, "examples", "quickstart"), stack, emulator, {
      "quickstart:volumes": JSON.stringify(DEMO_VOLUMES.slice(0, 2)),
    });
    stage(`Deploy examples/quickstart with ${chosen.description}`);
    out(`   stack ${stack}, config pointing at the emulator (token set as a secret); the state is removed at the end`);
    const deployed = await chosen.up(quickstart);
    destroyLater(quickstart);
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
    const client = new ScheduledBackupClient({
      endpoint: emulator.endpoint,
      token: emulator.token,
      projectId: emulator.projectId,
    });
    const checkpoints: Checkpoint[] = [];
    for await (const checkpoint of client.checkpoints()) checkpoints.push(checkpoint);
    const planNames = new Map<string, string>();
    for await (const plan of client.plans()) planNames.set(plan.id, plan.name);
    const rows = itemRows(checkpoints, planNames);
    if (rows.length === 0) throw new DemoStageError("no checkpoints appeared: the plans did not run");
    // Chain ids are UUIDs; numbering each volume's chains in order keeps the table narrow and readable.
    const chainNumbers = new Map<string, number>();
    const chainsPerVolume = new Map<string, number>();
    for (const row of rows) {
      if (chainNumbers.has(row.item.chain_id)) continue;
      const n = (chainsPerVolume.get(row.item.resource.id) ?? 0) + 1;
      chainsPerVolume.set(row.item.resource.id, n);
      chainNumbers.set(row.item.chain_id, n);
    }
    const columns = [
      ...itemColumns.filter((c) => ["created", "plan", "volume", "kind", "status"].includes(c.header)),
      { header: "chain", value: (r: (typeof rows)[number]) => `#${chainNumbers.get(r.item.chain_id) ?? "?"}` },
    ];
    out(renderTable(columns, rows).trimEnd().replace(/^/gm, "   "));
    out(
      `   ${rows.length} volume backups in ${checkpoints.length} checkpoints. Full mode: each backup is its own chain;`,
    );
    out("   frequency mode: a full backup starts a chain of 7 (chains are numbered per volume).");

    const restoreVolume = DEMO_VOLUMES[0];
    stage(`Restore the newest backup of volume ${restoreVolume.name}, pinned at create (examples/restore)`);
    const restore = programFor(join(REPO, "examples", "restore"), stack, emulator, {
      "restore:volumeName": restoreVolume.name,
      "restore:restoreName": `${restoreVolume.name}-restored`,
    });
    const restored = await chosen.up(restore);
    destroyLater(restore);
    printSteps(restored.steps);
    for (const record of restored.resources.filter((r) => r.type === RESTORE_TYPE)) {
      const o = record.outputs ?? {};
      out(
        `   restored checkpoint item ${String(o["checkpointItemId"])}` +
          ` (backup of ${String(o["backupCreatedAt"])}) into new volume ${String(o["restoreName"])}` +
          ` (${String(o["resourceId"])}): ${String(o["status"])}`,
      );
    }
    out("   pinned: later `up`s keep this backup even once newer ones exist; changing volumeName, notAfter or");
    out("   restoreName replaces the Restore, and the volume the first one created stays, no longer tracked.");
    out("   stack outputs:");
    printOutputs(restored.outputs);

    stage("The policy pack stops a bad backup setup (demo/bad) before it reaches the API");
    const bad = programFor(join(REPO, "demo", "bad"), stack, emulator, {
      "demo-bad-backups:volumeId": restoreVolume.id,
      "demo-bad-backups:volumeName": restoreVolume.name,
    });
    const policy = await chosen.previewWithPolicy(bad, join(REPO, "policy"));
    if (!policy.blocked) throw new DemoStageError("the policy pack let the bad program through");
    for (const f of policy.mandatory) {
      out(`   ✗ ${f.policy} (mandatory) on ${f.resource}:`);
      out(`     ${f.message.replace(/\n/g, "\n     ")}`);
    }
    if (policy.advisory.length > 0)
      out(
        `   (${policy.advisory.length} advisory finding(s) too: ` +
          `${[...new Set(policy.advisory.map((f) => f.policy))].join(", ")})`,
      );
    const created = (await client.listPlans()).plans.filter((p) => p.name.startsWith("demo-"));
    if (created.length > 0)
      throw new DemoStageError(`the bad plans reached the API: ${created.map((p) => p.name).join(", ")}`);
    out("   the preview failed, as it should, and no plan of the bad program exists in the API");

    stage(HEALTH_STAGE_TITLE);
    await showHealthBreach(emulator, `${DEMO_VOLUMES[0].name}-nightly`, out);

    stage("Destroy the stacks");
    printSteps(await chosen.destroy(restore));
    printSteps(await chosen.destroy(quickstart));
    destroyed = true;
    const left = (await client.listPlans()).total;
    out(`   plans left in the emulator: ${left} (the restored volume stays: a restore's volume is yours)`);

    out();
    out(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Where to go next (README.md):`);
    out("  - Install and configure:   sections Install and Configuration");
    out("  - Write your own plans:    examples/quickstart and the Reference section");
    out("  - Adopt existing plans:    `npx scheduled-backup import-plans --out index.ts` (Adopting existing plans)");
    out("  - Gate CI with the pack:   `pulumi preview --policy-pack <pack>` (The policy pack in CI)");
    out("  - Day-2 operations:        `npx scheduled-backup --help` (The CLI)");
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\ndemo failed at stage ${currentStage}/${STAGES}: ${message}\n`);
    return 1;
  } finally {
    await cleanUp();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
