// One backup history for the health tests of the CLI and of the data source: a healthy, a stalled (runs
// skipped), a failing (backups end `error`, then an incremental on a failed full backup) and a suspended
// plan. Created through the client and the emulator's admin API, as a user and the service would.
import type { EmulatorHandle } from "../../emulator";
import { ScheduledBackupClient, type PlanCreate } from "../../provider/api";

/** The emulator's clock must start at this time; the report is judged at HEALTH_AT. */
export const HEALTH_START = new Date("2025-03-03T00:00:00Z");
export const HEALTH_AT = "2025-03-12T00:00:00Z";

async function admin(emulator: EmulatorHandle, method: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.admin}/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Four plans over three volumes, five normal days, then four days with a skip fault, an error fault and a suspension.
 */
export async function seedHealthScenario(
  emulator: EmulatorHandle,
  volumes: readonly { id: string; name: string }[],
): Promise<void> {
  const client = new ScheduledBackupClient({
    endpoint: emulator.endpoint,
    token: emulator.token,
    projectId: emulator.projectId,
    maxRetries: 0,
  });
  const on = (i: number) => [{ id: volumes[i]!.id, name: volumes[i]!.name, type: "OS::Cinder::Volume" }];
  const base: Omit<PlanCreate, "name" | "schedule_pattern" | "resources"> = {
    description: "",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
  };
  await client.createPlan({ ...base, name: "db-nightly", schedule_pattern: "0 2 * * *", resources: on(0) });
  await client.createPlan({ ...base, name: "web-stalled", schedule_pattern: "0 3 * * *", resources: on(1) });
  await client.createPlan({
    ...base,
    name: "logs-failing",
    backup_mode: "frequency",
    max_backups: 2,
    schedule_pattern: "0 4 * * *",
    resources: on(2),
  });
  const paused = await client.createPlan({
    ...base,
    name: "db-paused",
    schedule_pattern: "0 5 * * *",
    resources: on(0),
  });
  await admin(emulator, "POST", "clock/advance", { seconds: 5 * 86_400 });
  await admin(emulator, "PUT", "faults", {
    backups: [
      { plan: "web-stalled", outcome: "skip" },
      { plan: "logs-failing", outcome: "error", times: 3 },
    ],
  });
  await client.updatePlan(paused.id, { status: "suspended" });
  await admin(emulator, "POST", "clock/advance", { seconds: 4 * 86_400 });
}
