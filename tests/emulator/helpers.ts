// Talks HTTP to an emulator the test starts on port 0, as any client would.

import { request } from "undici";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../../emulator";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export async function call(
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers["x-auth-token"] = opts.token;
  let payload: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  const res = await request(url, {
    method: method as "GET",
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
    ...(opts.timeoutMs !== undefined ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
  });
  const text = await res.body.text();
  let body: unknown = undefined;
  if (text.length > 0) body = JSON.parse(text) as unknown;
  return { status: res.statusCode, headers: res.headers, body, text };
}

/** Narrows an answer body to an object for assertions. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function list(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value.map(obj);
}

export const START = new Date("2026-01-05T00:00:00Z"); // a Monday

export const VOLUME_A = { id: "0a1b2c3d-0000-4000-8000-00000000000a", name: "db-data", type: "OS::Cinder::Volume" };
export const VOLUME_B = { id: "0a1b2c3d-0000-4000-8000-00000000000b", name: "db-logs", type: "OS::Cinder::Volume" };

export function planBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "nightly",
    description: "",
    backup_mode: "full",
    max_backups: 3,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [VOLUME_A],
    ...overrides,
  };
}

/** One emulator per test file: `ctx.emu` and URL helpers; state is reset before each test. */
export function useEmulator(options: EmulatorOptions = {}): {
  emu: () => EmulatorHandle;
  plans: (suffix?: string) => string;
  checkpoints: (suffix?: string) => string;
  restores: () => string;
  admin: (path: string) => string;
} {
  let handle: EmulatorHandle | undefined;
  before(async () => {
    handle = await startEmulator({ startTime: START, ...options });
  });
  after(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    const reply = await call("POST", `${emu().admin}/reset`);
    if (reply.status !== 200) throw new Error(`reset failed: ${reply.text}`);
  });
  const emu = (): EmulatorHandle => {
    if (handle === undefined) throw new Error("emulator not started");
    return handle;
  };
  return {
    emu,
    plans: (suffix = "") => `${emu().endpoint}/${emu().projectId}/plans/${suffix}`,
    checkpoints: (suffix = "") => `${emu().endpoint}/${emu().projectId}/checkpoints/${suffix}`,
    restores: () => `${emu().endpoint}/${emu().projectId}/restores/`,
    admin: (path: string) => `${emu().admin}/${path}`,
  };
}

export async function createPlan(
  url: string,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const reply = await call("POST", url, { token, body: planBody(overrides) });
  if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${reply.text}`);
  return obj(reply.body);
}

export async function advance(adminUrl: string, seconds: number): Promise<Record<string, unknown>> {
  const reply = await call("POST", `${adminUrl}/clock/advance`, { body: { seconds } });
  if (reply.status !== 200) throw new Error(`advance failed: ${reply.text}`);
  return obj(reply.body);
}

export async function allCheckpoints(url: string, token: string, query = ""): Promise<Record<string, unknown>[]> {
  const reply = await call("GET", `${url}${query}`, { token });
  if (reply.status !== 200) throw new Error(`list failed: ${reply.text}`);
  return list(obj(reply.body).checkpoints);
}

export function items(checkpoint: Record<string, unknown>): Record<string, unknown>[] {
  return list(checkpoint.checkpoint_items);
}

export const DAY = 24 * 3600;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
