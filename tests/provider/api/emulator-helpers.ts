// Test fixture: a real emulator on a free port, its admin API, and clients pointed at it.
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../../emulator";
import { ScheduledBackupClient, type ClientConfig, type PlanCreate } from "../../../provider/api";

export interface Volume {
  id: string;
  name: string;
}

export interface EmulatorState {
  plans: { id: string; name: string }[];
  checkpoints: unknown[];
  volumes: Volume[];
  restores: unknown[];
}

export class Fixture {
  private constructor(readonly emu: EmulatorHandle) {}

  static async start(opts: EmulatorOptions = {}): Promise<Fixture> {
    return new Fixture(
      await startEmulator({ port: 0, host: "127.0.0.1", volumes: [{ name: "db-1" }, { name: "db-2" }], ...opts }),
    );
  }

  close(): Promise<void> {
    return this.emu.close();
  }

  async admin<T = unknown>(method: "GET" | "POST" | "PUT", route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emu.admin}/${route}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`admin ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  reset(): Promise<unknown> {
    return this.admin("POST", "reset");
  }

  faults(config: Record<string, unknown>): Promise<unknown> {
    return this.admin("PUT", "faults", config);
  }

  advance(seconds: number): Promise<unknown> {
    return this.admin("POST", "clock/advance", { seconds });
  }

  state(): Promise<EmulatorState> {
    return this.admin<EmulatorState>("GET", "state");
  }

  async volumes(): Promise<Volume[]> {
    return (await this.admin<{ volumes: Volume[] }>("GET", "volumes")).volumes;
  }

  /** A static-token client on the project layout, with fast retries. */
  client(extra: Partial<ClientConfig> = {}): ScheduledBackupClient {
    return new ScheduledBackupClient({
      endpoint: this.emu.endpoint,
      token: this.emu.token,
      projectId: this.emu.projectId,
      retryBackoff: { baseMs: 5, capMs: 50 },
      pathLayout: "project",
      ...extra,
    });
  }

  /** A Keystone (password) client that finds the endpoint in the catalog. */
  keystoneClient(extra: Partial<ClientConfig> = {}): ScheduledBackupClient {
    return new ScheduledBackupClient({
      authUrl: this.emu.authUrl,
      username: this.emu.username,
      password: this.emu.password,
      accountId: this.emu.accountId,
      projectId: this.emu.projectId,
      region: this.emu.region,
      retryBackoff: { baseMs: 5, capMs: 50 },
      ...extra,
    });
  }

  async newPlan(name: string, over: Partial<PlanCreate> = {}): Promise<PlanCreate> {
    const volumes = await this.volumes();
    return {
      name,
      description: `plan ${name}`,
      backup_mode: "full",
      max_backups: 5,
      schedule_type: "crontab",
      schedule_pattern: "0 * * * *",
      resources: volumes.slice(0, 1).map((v) => ({ id: v.id, name: v.name, type: "OS::Cinder::Volume" })),
      ...over,
    };
  }
}

export function logSink(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
