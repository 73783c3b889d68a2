// What loading the package costs: a program that only declares resources, and the plugin's first Check,
// load no HTTP client and no zod (npm run bench -- provider measures the time; this pins the module set);
// the policy pack's policies load no HTTP client (npm run bench -- policy prints the pack process's CPU).
// Each case runs in a fresh node, as a program or the plugin would, and lists what `require` loaded.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..");

/** Runs `script` in a fresh node from the repository root; returns the modules it loaded, by package. */
function loadedBy(script: string): { packages: Set<string>; own: string[]; output: string; undiciRoot: boolean } {
  const report =
    `
    const files = Object.keys(require.cache);
    const packages = new Set(files.map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
    const own = files.filter((f) => !f.includes("node_modules")).map((f) ` +
    `=> require("node:path").relative(${JSON.stringify(root)}, f));
    const undiciRoot = files.some((f) => /node_modules\\/undici\\/index\\.js$/.test(f));
    const output = globalThis.__output ?? "";
    process.stdout.write(JSON.stringify({ packages: [...packages], own, output, undiciRoot }));`;
  const text = execFileSync(process.execPath, ["-e", `(async () => { ${script}\n${report} })()`], {
    cwd: root,
    encoding: "utf8",
  });
  const parsed = JSON.parse(text) as { packages: string[]; own: string[]; output: string; undiciRoot: boolean };
  return { packages: new Set(parsed.packages), own: parsed.own, output: parsed.output, undiciRoot: parsed.undiciRoot };
}

const HEAVY = ["undici", "zod"];

function assertNoHeavy(loaded: { packages: Set<string>; own: string[] }, what: string, heavy = HEAVY): void {
  for (const name of heavy) assert.ok(!loaded.packages.has(name), `${what} loaded ${name}`);
  const client = loaded.own.filter((f) =>
    /provider[\\/]api[\\/](index|client|client-config|core|http|retry|pool|auth|schemas)\.js$/.test(f),
  );
  assert.deepEqual(client, [], `${what} loaded the API client`);
}

describe("module set", function () {
  this.timeout(30_000);

  it("importing BackupPlan and Restore loads no HTTP client, zod or undici", () => {
    const loaded = loadedBy(
      `const { BackupPlan, Restore, getLatestRestorePointOutput } = require("pulumi-scheduled-backup");
      if (typeof BackupPlan !== "function" || typeof Restore !== "function" || typeof ` +
        `getLatestRestorePointOutput !== "function") throw new Error("exports missing");`,
    );
    assertNoHeavy(loaded, "the package index");
    assert.ok(
      loaded.own.some((f) => f.endsWith(path.join("provider", "shim.js"))),
      "the shim is loaded with the resource classes",
    );
  });

  it("the API client is still exported, and loads on first use", () => {
    const loaded = loadedBy(`const pkg = require("pulumi-scheduled-backup");
      globalThis.__output = typeof pkg.ScheduledBackupClient + " " + typeof pkg.api.collect;`);
    assert.equal(loaded.output, "function function");
    assert.ok(loaded.packages.has("zod"));
    assert.ok(loaded.own.some((f) => f.endsWith(path.join("provider", "api", "client.js"))));
    // undici itself loads with the first connection (provider/api/undici.ts).
    assert.ok(!loaded.packages.has("undici"), "the client module loaded undici before any request");
  });

  it("a data source loads the client on its first call", () => {
    const loaded = loadedBy(
      `const { getBackupPlans } = require("pulumi-scheduled-backup");
      process.env.SCHEDULED_BACKUP_ENDPOINT = "http://127.0.0.1:9/data-protect/v2";
      process.env.SCHEDULED_BACKUP_TOKEN = "t";
      process.env.SCHEDULED_BACKUP_PROJECT_ID = "p";
      process.env.SCHEDULED_BACKUP_MAX_RETRIES = "0";
      globalThis.__output = await getBackupPlans().then(() => "answered", (err) ` +
        `=> err instanceof Error ? "failed" : "?");`,
    );
    assert.equal(loaded.output, "failed", "nothing listens on port 9: the call reaches the network and fails");
    assert.ok(loaded.packages.has("undici"), "the first call loaded the client");
  });

  it("the plugin's first Check loads no HTTP client, zod or undici; the first Create loads the client", () => {
    const check =
      `const { bindProvider } = require("pulumi-scheduled-backup/runtime");
      const provider = bindProvider("backupPlan", { get: () => undefined });
      const checked = await provider.check({}, { name: "n", maxBackups: 7, schedulePattern: "0 2 * * *", ` +
      `status: "started",
        resources: [{ id: "7a1e0c52-3b4d-4f6a-8c9e-000000000001", name: "v" }] });
      if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));`;
    const first = loadedBy(check);
    assertNoHeavy(first, "configure + the first Check");
    // The schedule analysis reads our grammar's own values: no cron-parser, and no luxon (whose first
    // DateTime resolves the system locale through ICU, ~15 ms of the first Check).
    for (const name of ["cron-parser", "luxon"]) assert.ok(!first.packages.has(name), `the first Check loaded ${name}`);
    const created = loadedBy(
      `${check}
      process.env.SCHEDULED_BACKUP_ENDPOINT = "http://127.0.0.1:9/data-protect/v2";
      process.env.SCHEDULED_BACKUP_TOKEN = "t";
      process.env.SCHEDULED_BACKUP_PROJECT_ID = "p";
      process.env.SCHEDULED_BACKUP_MAX_RETRIES = "0";
      globalThis.__output = await provider.create(checked.inputs).then(() => "created", (err) ` +
        `=> err instanceof Error ? "failed" : "?");`,
    );
    assert.equal(created.output, "failed", "nothing listens on port 9: the create reaches the network and fails");
    assert.ok(created.packages.has("undici") && created.packages.has("zod"), "the first Create loaded the client");
    // undici by part (provider/api/undici.ts): its root module loads fetch, WebSocket, caches and mocks too.
    assert.equal(created.undiciRoot, false, "the first Create loaded undici's root module");
  });

  it("the policy pack's policies load no HTTP client or undici (zod only for their config schemas)", () => {
    const loaded = loadedBy(`const { backupGuard } = require("pulumi-scheduled-backup/policy");
      globalThis.__output = String(backupGuard().length);`);
    assert.equal(loaded.output, "16");
    assertNoHeavy(loaded, "the policy module", ["undici"]);
  });

  it("a Check with something only the schema can judge loads zod and reports it", () => {
    const loaded = loadedBy(
      `const { bindProvider } = require("pulumi-scheduled-backup/runtime");
      const provider = bindProvider("backupPlan", { get: () => undefined });
      const checked = await provider.check({}, { name: "n", maxBackups: 7, schedulePattern: "0 2 * * *", ` +
        `status: "paused",
        resources: [{ id: "7a1e0c52-3b4d-4f6a-8c9e-000000000001", name: "v" }] });
      globalThis.__output = JSON.stringify(checked.failures.map((f) => f.property));`,
    );
    assert.equal(loaded.output, JSON.stringify(["status"]));
    assert.ok(loaded.packages.has("zod"));
  });
});
