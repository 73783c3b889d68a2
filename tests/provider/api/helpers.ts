// Shared test fixtures of the client tests: a MockAgent-backed client and sample API objects.
import { MockAgent } from "undici";
import { ScheduledBackupClient, type ClientConfig } from "../../../provider/api";

export const ORIGIN = "http://api.test";
export const BASE = "/data-protect/v2";
export const PROJECT = "11111111-2222-3333-4444-555555555555";
export const TOKEN = "tok-SECRET-0123456789";
export const PLAN_ID = "0b6a8f0e-1111-4222-8333-444455556666";
export const planPath = `${BASE}/${PROJECT}/plans/${PLAN_ID}`;
export const plansPath = `${BASE}/${PROJECT}/plans/`;

export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function mockClient(agent: MockAgent, extra: Partial<ClientConfig> = {}): ScheduledBackupClient {
  return new ScheduledBackupClient({
    endpoint: `${ORIGIN}${BASE}/`,
    token: TOKEN,
    projectId: PROJECT,
    dispatcher: agent,
    retryBackoff: { baseMs: 1, capMs: 20 },
    // These tests script exact requests: the layout is pinned (detection has its own tests, dialect.test.ts).
    pathLayout: "project",
    ...extra,
  });
}

export function planBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "0b6a8f0e-1111-4222-8333-444455556666",
    name: "nightly",
    description: "db volumes",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [{ id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "db-1", type: "OS::Cinder::Volume" }],
    status: "started",
    created_at: "2026-11-27T02:00:00Z",
    ...overrides,
  };
}

export function checkpointBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    plan_id: "0b6a8f0e-1111-4222-8333-444455556666",
    created_at: "2026-11-27T02:00:00Z",
    status: "available",
    checkpoint_items: [
      {
        id: `${id}-item`,
        backup_id: `${id}-backup`,
        chain_id: `${id}-chain`,
        checkpoint_id: id,
        created_at: "2026-11-27T02:00:00Z",
        backup_created_at: null,
        is_incremental: false,
        resource: { id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "db-1", type: "OS::Cinder::Volume" },
        status: "available",
      },
    ],
    ...overrides,
  };
}

export const NEW_PLAN = {
  name: "nightly",
  description: "db volumes",
  backup_mode: "full" as const,
  max_backups: 7,
  schedule_type: "crontab" as const,
  schedule_pattern: "0 2 * * *",
  resources: [{ id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "db-1", type: "OS::Cinder::Volume" }],
};

/** Resolves with the rejection of `promise`; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** What a MockAgent interceptor saw of one request. */
export interface SeenRequest {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A reply callback that records the request (interceptor matchers run more than once per request, so
 * recording there would double count) and answers `status` with `data`.
 */
export function recordingReply(
  sink: SeenRequest[],
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): (opts: { path: string; headers?: unknown; body?: unknown }) => {
  statusCode: number;
  data: string;
  responseOptions: { headers: Record<string, string> };
} {
  return (opts) => {
    const raw = opts.headers;
    const flat: Record<string, string> = {};
    if (Array.isArray(raw)) {
      for (let i = 0; i + 1 < raw.length; i += 2) flat[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
    } else if (raw !== null && typeof raw === "object") {
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) flat[k.toLowerCase()] = String(v);
    }
    sink.push({
      path: opts.path,
      headers: flat,
      body: typeof opts.body === "string" ? JSON.parse(opts.body) : undefined,
    });
    return {
      statusCode: status,
      data: typeof data === "string" ? data : JSON.stringify(data),
      responseOptions: { headers },
    };
  };
}
