// Acknowledged writes survive kill -9: the emulator (compiled main.js, `--data`) is killed at random moments
// while clients create plans concurrently; after each restart every create it answered 201 is there, and
// the temporary files a crash can leave are removed on start.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { mulberry32 } from "../../provider/random";
import { list, obj, planBody } from "./helpers";

const MAIN = join(__dirname, "..", "..", "emulator", "main.js");

interface Running {
  child: ChildProcess;
  plans: string;
  token: string;
}

function launch(dataFile: string): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, "--port", "0", "--data", dataFile, "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start; stderr: ${stderr}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}; stderr: ${stderr}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const handle = obj(JSON.parse(stdout.slice(0, newline)) as unknown);
      resolve({
        child,
        plans: `${String(handle.endpoint)}/${String(handle.projectId)}/plans/`,
        token: String(handle.token),
      });
    });
  });
}

function killHard(running: Running): Promise<void> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return resolve();
    running.child.once("exit", () => resolve());
    running.child.kill("SIGKILL");
  });
}

/** Creates plans until the emulator dies; answers the ids it acknowledged with 201. */
async function createUntilKilled(running: Running, prefix: string, acked: Set<string>): Promise<void> {
  let n = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const name = `${prefix}-${n++}`;
      try {
        const res = await request(running.plans, {
          method: "POST",
          headers: { "content-type": "application/json", "x-auth-token": running.token },
          body: JSON.stringify(planBody({ name })),
        });
        const text = await res.body.text();
        if (res.statusCode === 201) acked.add(String(obj(JSON.parse(text) as unknown).id));
      } catch {
        return; // the process is gone
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

describe("emulator: acknowledged writes survive kill -9", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "emu-durability-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "after each of 5 kills at random moments, every acknowledged create is there; " + "stale *.tmp files are removed",
    async () => {
      const dataFile = join(dir, "state.json");
      const stale = `${dataFile}.99999.7.tmp`;
      writeFileSync(stale, "{half a write");
      const acked = new Set<string>();
      const random = mulberry32(7);
      for (let round = 0; round < 5; round++) {
        const running = await launch(dataFile);
        try {
          assert.ok(!existsSync(stale), "a temporary file of a crashed run is removed on start");
          const before = await listIds(running);
          for (const id of acked) assert.ok(before.has(id), `round ${round}: acknowledged plan ${id} was lost`);
          const creating = createUntilKilled(running, `r${round}`, acked);
          await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 400)));
          await killHard(running);
          await creating;
        } finally {
          await killHard(running); // never leave an emulator behind, even when an assertion failed
        }
      }
      const last = await launch(dataFile);
      try {
        const ids = await listIds(last);
        for (const id of acked) assert.ok(ids.has(id), `acknowledged plan ${id} was lost`);
        assert.ok(acked.size > 10, `the loop made too few writes to mean anything (${acked.size})`);
        assert.ok(ids.size >= acked.size, `listed ${ids.size} plans, fewer than the ${acked.size} acknowledged`);
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.endsWith(".tmp")),
          [],
        );
      } finally {
        await killHard(last);
      }
    },
  );
});

/** Every plan's id, page by page: a fast disk lets the loop make more plans than one page (1,000) holds. */
async function listIds(running: Running): Promise<Set<string>> {
  const ids = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const query = marker === undefined ? "" : `?marker=${encodeURIComponent(marker)}`;
    const res = await request(`${running.plans}${query}`, { headers: { "x-auth-token": running.token } });
    const plans = list(obj(JSON.parse(await res.body.text()) as unknown).plans);
    for (const plan of plans) ids.add(String(plan.id));
    if (plans.length === 0) return ids;
    marker = String(plans.at(-1)?.id);
  }
}
