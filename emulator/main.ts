#!/usr/bin/env node
// `scheduled-backup-emulator` / `npm run emulator -- --port 0 [--data FILE]`: runs the emulator and prints
// its connection details as the first stdout line (one JSON object); request logs go to stderr.

import { parseArgs } from "node:util";
import { type EmulatorHandle, type EmulatorOptions, DEFAULTS, startEmulator } from "./index";
import { EMULATOR_DIALECTS, type EmulatorDialect } from "./model";

const USAGE = `Usage: scheduled-backup-emulator [options]

Runs a local, faithful emulator of the Scheduled Backup API v2 (with Keystone and an admin API).
The first stdout line is one JSON object: {endpoint, authUrl, region, projectId, token, username,
password, accountId, admin, port}. Request logs (never secrets) go to stderr.

Options:
  --port N             port to listen on; 0 picks a free one (default 8686)
  --host HOST          address to bind (default 127.0.0.1; 0.0.0.0 to accept remote clients)
  --data FILE          persist state to FILE (atomic writes) and reload it on start
  --region NAME        a region in the Keystone catalog; repeat for several (default ${DEFAULTS.regions.join(", ")})
  --project-id ID      default project (default ${DEFAULTS.projectId})
  --token TOKEN        static token accepted for the default project (default ${DEFAULTS.token})
  --username NAME      Keystone service user (default ${DEFAULTS.username})
  --password PASSWORD  Keystone password (default: the built-in development password)
  --account-id ID      Keystone user domain name, the account id (default ${DEFAULTS.accountId})
  --token-ttl SECONDS  lifetime of Keystone tokens, real time (default 86400)
  --volume NAME|ID=NAME  a volume in the inventory; repeat for several
  --start-time ISO     initial virtual clock (default: now)
  --dialect D          seed | vendor | both (default both): the path layouts and field names served
  --catalog-project-in-url  the catalog's data-protectv2 URL ends with the token's project id
  --quiet              do not log requests
  -h, --help           show this help
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = "UsageError";
  }
}

function positiveNumber(flag: string, raw: string, integer: boolean): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be a ${integer ? "whole " : ""}number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseCli(argv: string[]): { options: EmulatorOptions; quiet: boolean } | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        region: { type: "string", multiple: true },
        "project-id": { type: "string" },
        token: { type: "string" },
        username: { type: "string" },
        password: { type: "string" },
        "account-id": { type: "string" },
        "token-ttl": { type: "string" },
        volume: { type: "string", multiple: true },
        "start-time": { type: "string" },
        dialect: { type: "string" },
        "catalog-project-in-url": { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error));
  }
  const v = parsed.values;
  if (v.help === true) return "help";
  const port = v.port === undefined ? 8686 : positiveNumber("port", v.port, true);
  if (port > 65535) throw new UsageError(`--port must be between 0 and 65535 (0 picks a free port), got ${port}`);
  const options: EmulatorOptions = { port };
  if (v.host !== undefined) options.host = v.host;
  if (v.data !== undefined) options.dataFile = v.data;
  if (v.region !== undefined) options.regions = v.region;
  if (v["project-id"] !== undefined) options.projectId = v["project-id"];
  if (v.token !== undefined) options.token = v.token;
  if (v.username !== undefined) options.username = v.username;
  if (v.password !== undefined) options.password = v.password;
  if (v["account-id"] !== undefined) options.accountId = v["account-id"];
  if (v["token-ttl"] !== undefined) options.tokenTtlSeconds = positiveNumber("token-ttl", v["token-ttl"], false);
  if (v.volume !== undefined) {
    options.volumes = v.volume.map((spec) => {
      const at = spec.indexOf("=");
      return at > 0 ? { id: spec.slice(0, at), name: spec.slice(at + 1) } : { name: spec };
    });
  }
  if (v.dialect !== undefined) {
    if (!(EMULATOR_DIALECTS as readonly string[]).includes(v.dialect)) {
      throw new UsageError(
        `--dialect must be one of ${EMULATOR_DIALECTS.join(", ")}, got ${JSON.stringify(v.dialect)}`,
      );
    }
    options.dialect = v.dialect as EmulatorDialect;
  }
  if (v["catalog-project-in-url"] === true) options.catalogProjectInUrl = true;
  if (v["start-time"] !== undefined) {
    const start = new Date(v["start-time"]);
    if (Number.isNaN(start.getTime())) {
      throw new UsageError(
        `--start-time must be an ISO date such as 2026-01-01T00:00:00Z, got ${JSON.stringify(v["start-time"])}`,
      );
    }
    options.startTime = start;
  }
  return { options, quiet: v.quiet === true };
}

function handleLine(handle: EmulatorHandle): string {
  const { endpoint, authUrl, region, projectId, token, username, password, accountId, admin, port } = handle;
  return JSON.stringify({ endpoint, authUrl, region, projectId, token, username, password, accountId, admin, port });
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const log = cli.quiet
    ? undefined
    : (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Handlers go in before the handle is printed: a parent may send SIGTERM as soon as it reads the line.
  let handle: EmulatorHandle | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: shutting down\n`);
    (handle?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  try {
    handle = await startEmulator({ ...cli.options, ...(log !== undefined ? { log } : {}) });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EADDRINUSE") {
      // eslint-disable-next-line preserve-caught-error -- the message replaces the raw EADDRINUSE error on purpose
      throw new Error(
        `port ${cli.options.port ?? ""} is already in use (another emulator?): stop that process, ` +
          `pick another --port, or pass --port 0 for a free one`,
      );
    }
    throw error;
  }
  if (stopping) {
    await handle.close();
    return;
  }
  process.stdout.write(`${handleLine(handle)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
