// The demo's health stage: the emulator makes one plan's scheduled backups fail for two days, and the same
// analysis `scheduled-backup health` runs shows the breach (the command would exit 4).
import type { EmulatorHandle } from "../emulator";
import { collect, ScheduledBackupClient } from "../provider/api";
import { analyzeHealth } from "../provider/health";
import { renderHealthTable } from "../cli/commands/health";
import { DemoStageError } from "./engines";

async function admin(emulator: EmulatorHandle, method: string, route: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.admin}/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new DemoStageError(
      `the emulator refused ${method} ${route}: HTTP ${response.status} ${await response.text()}`,
    );
  return response.json();
}

export const HEALTH_STAGE_TITLE =
  "Backup health: a plan whose backups fail breaches its RPO (`scheduled-backup health`)";

/** Fails `planName`'s runs for two days, prints the health table and clears the fault. */
export async function showHealthBreach(
  emulator: EmulatorHandle,
  planName: string,
  out: (line?: string) => void,
): Promise<void> {
  await admin(emulator, "PUT", "faults", { backups: [{ plan: planName, outcome: "error" }] });
  const { now } = (await admin(emulator, "POST", "clock/advance", { seconds: 2 * 86_400 })) as { now: string };
  await admin(emulator, "PUT", "faults", {});
  out(`   the emulator failed every scheduled backup of ${planName} for two days (a backup fault); clock now ${now}`);
  const client = new ScheduledBackupClient({
    endpoint: emulator.endpoint,
    token: emulator.token,
    projectId: emulator.projectId,
  });
  const [plans, checkpoints] = await Promise.all([collect(client.plans()), collect(client.checkpoints())]);
  const report = analyzeHealth(plans, checkpoints, { now: new Date(now) });
  if (!report.plans.some((p) => p.planName === planName && p.breach)) {
    throw new DemoStageError(`${planName} should be in breach after two days of failed backups`);
  }
  out(`   $ scheduled-backup health --at ${now}`);
  out(
    renderHealthTable(report)
      .trimEnd()
      .replace(/^(?=.)/gm, "   "),
  );
  out(`   exit code ${report.healthy ? 0 : 4}: a cron job or a CI schedule alerts on it (README: Backup health)`);
}
