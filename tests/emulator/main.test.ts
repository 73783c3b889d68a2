import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { DataFileError } from "../../emulator/persistence";
import { call, list, obj, planBody } from "./helpers";

const MAIN = join(__dirname, "..", "..", "emulator", "main.js");

interface Running {
  child: ChildProcess;
  handle: Record<string, unknown>;
  stderr: () => string;
}

function launch(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not print its handle; stderr: ${stderr}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}; stderr: ${stderr}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const newline = stdout.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve({ child, handle: obj(JSON.parse(stdout.slice(0, newline)) as unknown), stderr: () => stderr });
      }
    });
  });
}

/** SIGTERM, then the exit code (or the signal's name when the process did not handle it). */
function stop(running: Running): Promise<number | string | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners("exit");
    running.child.once("exit", (code, signal) => resolve(code ?? signal));
    running.child.kill("SIGTERM");
  });
}

const isRunning = (running: Running): boolean => running.child.exitCode === null && running.child.signalCode === null;

describe("emulator: CLI (compiled main.js)", () => {
  let dir: string;
  const started: Running[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sbk-emulator-"));
  });
  after(async () => {
    for (const running of started) if (isRunning(running)) await stop(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the handle as its first stdout line", async () => {
    const running = await launch(["--port", "0", "--region", "ru-9", "--quiet"]);
    started.push(running);
    const { handle } = running;
    for (const key of [
      "endpoint",
      "authUrl",
      "region",
      "projectId",
      "token",
      "username",
      "password",
      "accountId",
      "admin",
    ]) {
      assert.equal(typeof handle[key], "string", key);
    }
    assert.match(String(handle.endpoint), /^http:\/\/127\.0\.0\.1:\d+\/data-protect\/v2$/);
    assert.match(String(handle.authUrl), /^http:\/\/127\.0\.0\.1:\d+\/identity\/v3$/);
    assert.match(String(handle.admin), /^http:\/\/127\.0\.0\.1:\d+\/_emulator$/);
    assert.equal(handle.region, "ru-9");
    assert.equal(await stop(running), 0);
  });

  it("persists state with --data across a restart, and never logs tokens or passwords", async () => {
    const dataFile = join(dir, "state.json");
    const first = await launch(["--port", "0", "--data", dataFile]);
    started.push(first);
    const h = first.handle;
    const auth = await call("POST", `${String(h.authUrl)}/auth/tokens`, {
      body: {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: h.username, password: h.password, domain: { name: h.accountId } } },
          },
          scope: { project: { id: h.projectId } },
        },
      },
    });
    assert.equal(auth.status, 201);
    const keystoneToken = String(auth.headers["x-subject-token"]);
    const plans = `${String(h.endpoint)}/${String(h.projectId)}/plans/`;
    const created = await call("POST", plans, { token: keystoneToken, body: planBody({ name: "persisted" }) });
    assert.equal(created.status, 201);
    await call("GET", `${plans}?name=persisted`, { token: String(h.token) });
    const advanced = await call("POST", `${String(h.admin)}/clock/advance`, { body: { seconds: 3 * 86400 } });
    const now = obj(advanced.body).now;
    await call("POST", `${String(h.admin)}/volumes`, { body: { name: "inventory-volume" } });
    assert.equal(await stop(first), 0);

    const logs = first.stderr();
    assert.match(logs, /POST \/data-protect\/v2\/[^ ]+\/plans\/ 201/);
    for (const secret of [keystoneToken, String(h.token), String(h.password)])
      assert.equal(logs.includes(secret), false, "a secret reached the log");
    assert.equal(obj(JSON.parse(readFileSync(dataFile, "utf8")) as unknown).format, "scheduled-backup-emulator");

    const second = await launch(["--port", "0", "--data", dataFile]);
    started.push(second);
    const h2 = second.handle;
    const plans2 = `${String(h2.endpoint)}/${String(h2.projectId)}/plans/`;
    const listed = await call("GET", plans2, { token: keystoneToken });
    assert.equal(listed.status, 200, "Keystone tokens survive a restart");
    assert.deepEqual(
      list(obj(listed.body).plans).map((p) => p.name),
      ["persisted"],
    );
    const state = obj((await call("GET", `${String(h2.admin)}/state`)).body);
    assert.equal(state.clock, now);
    assert.equal(list(state.checkpoints).length, 3);
    assert.ok(list(state.volumes).some((v) => v.name === "inventory-volume"));
    assert.equal(await stop(second), 0);
  });

  it("writes state shortly after a change, so even a killed process keeps it", async () => {
    const dataFile = join(dir, "killed.json");
    const first = await launch(["--port", "0", "--data", dataFile, "--quiet"]);
    started.push(first);
    const h = first.handle;
    const created = await call("POST", `${String(h.endpoint)}/plans/`, {
      token: String(h.token),
      body: planBody({ name: "survivor" }),
    });
    assert.equal(created.status, 201);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await new Promise((resolve) => {
      first.child.removeAllListeners("exit");
      first.child.once("exit", resolve);
      first.child.kill("SIGKILL");
    });
    const second = await launch(["--port", "0", "--data", dataFile, "--quiet"]);
    started.push(second);
    const listed = await call("GET", `${String(second.handle.endpoint)}/plans/`, {
      token: String(second.handle.token),
    });
    assert.deepEqual(
      list(obj(listed.body).plans).map((p) => p.name),
      ["survivor"],
    );
    assert.equal(await stop(second), 0);
  });

  it("refuses to start on a data file that is not emulator state, naming the file", async () => {
    const dataFile = join(dir, "garbage.json");
    writeFileSync(dataFile, '{"plans": 3}');
    await assert.rejects(startEmulator({ port: 0, dataFile }), (error: unknown) => {
      assert.ok(error instanceof DataFileError);
      assert.match(error.message, /garbage\.json/);
      assert.match(error.message, /fix or delete the file/);
      return true;
    });
    const result = spawnSync(process.execPath, [MAIN, "--port", "0", "--data", dataFile], { encoding: "utf8" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /garbage\.json/);
  });

  it("explains bad flags and exits 2", () => {
    const result = spawnSync(process.execPath, [MAIN, "--port", "eleven"], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port must be a whole number/);
    assert.match(result.stderr, /Usage:/);
    const range = spawnSync(process.execPath, [MAIN, "--port", "99999"], { encoding: "utf8" });
    assert.equal(range.status, 2);
    assert.match(range.stderr, /--port must be between 0 and 65535/);
    const help = spawnSync(process.execPath, [MAIN, "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--data FILE/);
  });

  it("explains a port in use and suggests --port 0 (exit 1)", async () => {
    const taken = await startEmulator({ port: 0 });
    try {
      const result = spawnSync(process.execPath, [MAIN, "--port", String(taken.port), "--quiet"], { encoding: "utf8" });
      assert.equal(result.status, 1);
      assert.match(result.stderr, new RegExp(`^port ${taken.port} is already in use .*--port 0 for a free one`));
    } finally {
      await taken.close();
    }
  });
});
