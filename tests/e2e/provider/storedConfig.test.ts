// Destroy and refresh configure the provider from the config stored at the last `up` (as the real engine
// does), so a static token rotated since then is refused: the stored token is retried with the
// environment's credentials, `--run-program` uses the current config, and otherwise the error names the
// ways out. The rotation is real: the emulator restarts on the same port and data with a new static token.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  freshStack,
  planRecords,
  startHarness,
  stateText,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "rotated";
const [db, web] = VOLUMES;
const OLD_TOKEN = "token-before-rotation";
const NEW_TOKEN = "token-after-rotation";

describe("destroy and refresh after the static token was rotated", function () {
  this.timeout(120_000);
  let dir: string;
  // Not `useStack`: the emulator is stopped mid-test (a rotation), and the state must outlive it.
  let h: Harness;
  const start = async (token: string, port = 0): Promise<Harness> =>
    startHarness({ port, token, dataFile: path.join(dir, "emulator.json") });
  const plans = JSON.stringify([
    {
      key: "db",
      args: {
        name: "rotated-db",
        maxBackups: 3,
        schedulePattern: "0 3 * * *",
        resources: [{ id: db.id, name: db.name }],
      },
    },
    {
      key: "web",
      args: {
        name: "rotated-web",
        maxBackups: 3,
        schedulePattern: "0 4 * * *",
        resources: [{ id: web.id, name: web.name }],
      },
    },
  ]);
  const options = (token: string, env: Record<string, string> = {}) =>
    h.options(
      cwd,
      stack,
      { "plansfixture:plans": plans },
      { SCHEDULED_BACKUP_MAX_RETRIES: "0", ...env },
      { secrets: { "scheduledbackup:token": token } },
    );
  const livePlans = async (): Promise<string[]> => (await h.plans()).map((p) => p.name).sort();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rotated-"));
    freshStack(cwd, stack);
    h = await start(OLD_TOKEN);
  });
  after(async () => {
    freshStack(cwd, stack);
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "uses the stored config; retries once with the environment's token; " + "--run-program takes the current config",
    async () => {
      const created = await engine.up(options(OLD_TOKEN));
      assertOk(created);
      assert.deepEqual(await livePlans(), ["rotated-db", "rotated-web"]);
      const provider = engine
        .readState(cwd, stack)
        .deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
      assert.ok(
        provider?.inputs?.["scheduledbackup:token"] !== undefined,
        "the stack config is stored as the provider's inputs",
      );
      assert.ok(!stateText(created).includes(OLD_TOKEN), "secret config is stored encrypted, never in plaintext");

      // Rotation: the old token is gone, the new one works; plans and port stay.
      const port = h.emulator.port;
      await h.close();
      h = await start(NEW_TOKEN, port);

      // The current config holds the new token, but refresh configures the provider from the stored one.
      const refused = await engine.refresh(options(NEW_TOKEN));
      assert.equal(refused.ok, false);
      const message = errorMessages(refused).join("\n");
      assert.match(message, /refused the static token of the stack config \(HTTP 401\)/);
      assert.match(message, /use the config stored at the last `pulumi up`/);
      for (const way of ["`pulumi up` first", "--run-program", "Keystone password auth", "SCHEDULED_BACKUP_TOKEN"])
        assert.ok(message.includes(way), way);
      assert.ok(!message.includes(OLD_TOKEN) && !message.includes(NEW_TOKEN), "no token in the message");

      // A wrong token in the environment is tried once and named as refused too.
      const bothRefused = await engine.refresh(options(NEW_TOKEN, { SCHEDULED_BACKUP_TOKEN: "not-a-valid-token" }));
      assert.equal(bothRefused.ok, false);
      assert.match(
        errorMessages(bothRefused).join("\n"),
        /refused the static token of the stack config, and then the credentials of the environment \(HTTP 401\)/,
      );

      // --run-program: the current config's token.
      const refreshed = await engine.refresh({ ...options(NEW_TOKEN), runProgram: true });
      assertOk(refreshed);
      assert.deepEqual(stepSummary(refreshed).sort(), ["refresh db", "refresh web"]);

      // The new token only in the environment: destroy deletes the plans, saying once that it fell back.
      const destroyed = await engine.destroy(options(OLD_TOKEN, { SCHEDULED_BACKUP_TOKEN: NEW_TOKEN }));
      assertOk(destroyed);
      assert.deepEqual(stepSummary(destroyed).sort(), ["delete db", "delete web"]);
      assert.deepEqual(await livePlans(), []);
      assert.deepEqual(planRecords(cwd, stack), []);
      const notes = destroyed.diagnostics.filter((d) =>
        /was refused \(HTTP 401\); using the token in SCHEDULED_BACKUP_TOKEN/.test(d.message),
      );
      assert.equal(notes.length, 1, destroyed.diagnostics.map((d) => d.message).join("\n"));
    },
  );
});
