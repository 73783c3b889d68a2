// startEmulator(): the local, faithful emulator of the Scheduled Backup API, as a library (tests, the
// engine stand-in, the demo) and behind the `scheduled-backup-emulator` CLI (main.ts).

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve as resolvePath } from "node:path";
import type { Duplex } from "node:stream";
import { serviceRunsBetween } from "./cron";
import { EmulatorApp } from "./app";
import { DEFAULT_TOKEN_TTL_SECONDS } from "./constants";
import { EMULATOR_DIALECTS, type EmulatorDialect } from "./model";
import { loadState, Persister, removeStaleTemporaries } from "./persistence";
import { ADMIN_BASE, API_BASE, IDENTITY_BASE, answerClientError, createHandler } from "./server";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  dataFile?: string;
  projectId?: string;
  token?: string;
  username?: string;
  password?: string;
  accountId?: string;
  regions?: string[];
  tokenTtlSeconds?: number;
  volumes?: { id?: string; name: string }[];
  log?: (line: string) => void;
  startTime?: Date;
  /** Default "both": every path layout and retention name (see model.ts EmulatorDialect). */
  dialect?: EmulatorDialect;
  /** The Keystone catalog's `data-protectv2` URL ends with the token's project id. Default false. */
  catalogProjectInUrl?: boolean;
}

export interface EmulatorHandle {
  endpoint: string;
  authUrl: string;
  region: string;
  projectId: string;
  token: string;
  username: string;
  password: string;
  accountId: string;
  admin: string;
  port: number;
  dialect: EmulatorDialect;
  close(): Promise<void>;
}

export const DEFAULTS = {
  projectId: "5c1f0a7e-2b3d-4e8f-9a61-7d0c4b2e8f13",
  token: "emulator-static-token",
  username: "backup-service-user",
  password: "emulator-password",
  accountId: "123456",
  regions: ["ru-1", "ru-3", "ru-9"],
} as const;

export class EmulatorOptionsError extends Error {
  constructor(option: string, problem: string) {
    super(`emulator option ${option} ${problem}`);
    this.name = "EmulatorOptionsError";
  }
}

function checkOptions(opts: EmulatorOptions): void {
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    throw new EmulatorOptionsError(
      "port",
      `must be an integer from 0 to 65535 (0 picks a free port), got ${opts.port}`,
    );
  }
  if (opts.tokenTtlSeconds !== undefined && !(opts.tokenTtlSeconds > 0)) {
    throw new EmulatorOptionsError(
      "tokenTtlSeconds",
      `must be a positive number of seconds, got ${opts.tokenTtlSeconds}`,
    );
  }
  if (opts.regions !== undefined && (opts.regions.length === 0 || opts.regions.some((r) => r.trim() === ""))) {
    throw new EmulatorOptionsError("regions", 'must list at least one non-empty region name, e.g. ["ru-3"]');
  }
  if (opts.dataFile !== undefined && !existsSync(dirname(resolvePath(opts.dataFile)))) {
    throw new EmulatorOptionsError(
      "dataFile",
      `${opts.dataFile}: the directory ${dirname(resolvePath(opts.dataFile))} does not exist; create it first`,
    );
  }
  if (opts.dialect !== undefined && !EMULATOR_DIALECTS.includes(opts.dialect)) {
    throw new EmulatorOptionsError(
      "dialect",
      `must be one of ${EMULATOR_DIALECTS.join(", ")}, got ${JSON.stringify(opts.dialect)}`,
    );
  }
  if (opts.startTime !== undefined && Number.isNaN(opts.startTime.getTime())) {
    throw new EmulatorOptionsError("startTime", "is not a valid date");
  }
  const strings = {
    projectId: opts.projectId,
    token: opts.token,
    username: opts.username,
    password: opts.password,
    accountId: opts.accountId,
  };
  for (const [key, value] of Object.entries(strings)) {
    if (value !== undefined && value.length === 0) throw new EmulatorOptionsError(key, "must not be empty");
  }
}

/** A host to put in URLs: a wildcard bind address is reached through the loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  checkOptions(opts);
  const host = opts.host ?? "127.0.0.1";
  const projectId = opts.projectId ?? DEFAULTS.projectId;
  const token = opts.token ?? DEFAULTS.token;
  const credentials = {
    username: opts.username ?? DEFAULTS.username,
    password: opts.password ?? DEFAULTS.password,
    accountId: opts.accountId ?? DEFAULTS.accountId,
  };
  const regions = opts.regions ?? [...DEFAULTS.regions];
  const startMs = Math.floor((opts.startTime ?? new Date()).getTime() / 1000) * 1000;
  const log = opts.log ?? ((): void => undefined);

  const app = new EmulatorApp({
    projectId,
    staticToken: token,
    credentials,
    regions,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    volumes: opts.volumes ?? [],
    startTimeMs: startMs,
    realNow: Date.now,
    newId: randomUUID,
  });

  let persister: Persister | undefined;
  if (opts.dataFile !== undefined) {
    removeStaleTemporaries(opts.dataFile, log);
    const saved = loadState(opts.dataFile);
    if (saved !== undefined) app.load(saved);
    const file = opts.dataFile;
    persister = new Persister(
      file,
      () => app.persisted(),
      (error) => log(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`),
    );
    const active = persister;
    app.onChange(() => active.schedule());
    app.onDurable(() => active.flush());
  }

  let handler: ReturnType<typeof createHandler> | undefined;
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) =>
    (handler as ReturnType<typeof createHandler>)(req, res),
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
  const port = await listen(server, opts.port ?? 0, host);
  const origin = `http://${urlHost(host)}:${port}`;
  const endpoint = `${origin}${API_BASE}`;
  const authUrl = `${origin}${IDENTITY_BASE}`;
  const dialect = opts.dialect ?? "both";
  const catalog = { authUrl, endpoint, regions, projectInUrl: opts.catalogProjectInUrl === true };
  handler = createHandler({ app, catalog, dialect, log, runsBetween: serviceRunsBetween });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await persister?.close();
    })();
    return closing;
  };

  return {
    endpoint,
    authUrl,
    region: regions[0] as string,
    projectId,
    token,
    username: credentials.username,
    password: credentials.password,
    accountId: credentials.accountId,
    admin: `${origin}${ADMIN_BASE}`,
    port,
    dialect,
    close,
  };
}
