// The provider, the data sources and the CLI with default settings (pathLayout auto) against a service that
// speaks only one dialect. One stack per dialect goes through up, an in-place update, refresh, a preview with
// no changes and destroy; the seed service is reached with a static token, the vendor service with the
// README's Keystone password-auth settings, unchanged. The strict emulator refuses a wrong path (route 404)
// or a wrong field name (422), so the requests it logs show that the right ones were used.
import assert from "node:assert/strict";
import type { BackupPlanArgs } from "../../../provider";
import type { RunOptions } from "../../engine";
import { cleanEnv, runMain } from "../../cli/helpers";
import { apiRequests, assertOk, engine, fixtureDir, planRecords, startHarness, stepSummary, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const plansCwd = fixtureDir("plans");
const sourcesCwd = fixtureDir("datasources");
const [db] = VOLUMES;

function plan(overrides: Partial<BackupPlanArgs> = {}): { key: string; args: BackupPlanArgs } {
  return {
    key: "nightly",
    args: {
      name: "db-nightly",
      maxBackups: 7,
      schedulePattern: "0 2 * * *",
      resources: [{ id: db.id, name: db.name }],
      ...overrides,
    },
  };
}

/** The README's Keystone password-auth settings, as `pulumi config set` would store them. */
function passwordAuth(h: Harness, cwd: string, stack: string, config: Record<string, string>): RunOptions {
  const e = h.emulator;
  return {
    cwd,
    stack,
    config: {
      "scheduledbackup:authUrl": e.authUrl,
      "scheduledbackup:accountId": e.accountId,
      "scheduledbackup:username": e.username,
      "scheduledbackup:projectId": e.projectId,
      "scheduledbackup:region": e.region,
      ...config,
    },
    secrets: { "scheduledbackup:password": e.password },
    env: { SCHEDULED_BACKUP_MAX_RETRIES: "4" },
  };
}

/** The README's static-token settings: the endpoint, the project and the token. */
function staticToken(h: Harness, cwd: string, stack: string, config: Record<string, string>): RunOptions {
  return {
    cwd,
    stack,
    config: {
      "scheduledbackup:endpoint": h.emulator.endpoint,
      "scheduledbackup:projectId": h.emulator.projectId,
      ...config,
    },
    secrets: { "scheduledbackup:token": h.emulator.token },
    env: { SCHEDULED_BACKUP_MAX_RETRIES: "4" },
  };
}

const CASES = [
  { dialect: "seed", auth: "a static token", options: staticToken },
  { dialect: "vendor", auth: "the README's password auth", options: passwordAuth },
] as const;

for (const { dialect, auth, options } of CASES) {
  describe(
    `provider, data sources and CLI against a ${dialect}-dialect service ` + `with ${auth} (default settings)`,
    function () {
      this.timeout(240_000);
      const stack = `dialect-${dialect}`;
      let h: Harness;
      let planId = "";
      const run = (command: "preview" | "up" | "refresh" | "destroy", plans: ReturnType<typeof plan>[]) =>
        engine[command](options(h, plansCwd, stack, { "plansfixture:plans": JSON.stringify(plans) }));
      /** The product API requests since `from`: "METHOD path status". */
      const requestsSince = (from: number): string[] =>
        apiRequests(h.requests.slice(from)).map((l) => l.split(" ").slice(0, 3).join(" "));
      const projectSegment = (): string => `/data-protect/v2/${h.emulator.projectId}/`;

      before(async () => {
        h = await startHarness({ dialect, startTime: new Date("2026-01-05T00:00:00Z") });
        h.useStack(plansCwd, stack);
        h.useStack(sourcesCwd, stack);
      });
      after(async () => {
        await run("destroy", []).catch(() => undefined);
        await h.close();
      });

      it("up creates the plan, on the dialect's paths and field names", async () => {
        const from = h.requests.length;
        const result = await run("up", [plan()]);
        assertOk(result);
        assert.deepEqual(stepSummary(result), ["create nightly"]);
        const live = await h.plans();
        assert.deepEqual(
          live.map((p) => [p.name, p.max_backups, p.status]),
          [["db-nightly", 7, "started"]],
        );
        planId = String(planRecords(plansCwd, stack)[0]?.id);
        const sent = requestsSince(from);
        const writes = sent.filter((l) => l.startsWith("POST"));
        assert.equal(writes.length, 1, `one create, accepted at once:\n${sent.join("\n")}`);
        assert.match(writes[0]!, / 201$/);
        for (const line of sent.filter((l) => !l.endsWith(" 404"))) {
          assert.equal(line.includes(projectSegment()), dialect === "seed", line);
        }
      });

      it("updates in place (PATCH under the dialect's retention name, same id)", async () => {
        const from = h.requests.length;
        const result = await run("up", [plan({ maxBackups: 5, schedulePattern: "15 3 * * *" })]);
        assertOk(result);
        assert.deepEqual(stepSummary(result), ["update nightly"]);
        const live = await h.plans();
        assert.deepEqual(
          live.map((p) => [p.id, p.max_backups, p.schedule_pattern]),
          [[planId, 5, "15 3 * * *"]],
        );
        assert.deepEqual(
          requestsSince(from)
            .filter((l) => l.startsWith("PATCH"))
            .map((l) => l.split(" ")[2]),
          ["200"],
        );
      });

      it("refresh finds no drift, and a preview after it shows no changes", async () => {
        const refreshed = await run("refresh", [plan({ maxBackups: 5, schedulePattern: "15 3 * * *" })]);
        assertOk(refreshed);
        assert.deepEqual(stepSummary(refreshed), ["refresh nightly"]);
        assert.equal(planRecords(plansCwd, stack)[0]?.outputs?.["maxBackups"], 5);
        const preview = await run("preview", [plan({ maxBackups: 5, schedulePattern: "15 3 * * *" })]);
        assertOk(preview);
        assert.deepEqual(stepSummary(preview), ["same nightly"]);
      });

      it("the data sources read the plan and its checkpoints", async () => {
        await h.admin("POST", "clock/advance", { seconds: 2 * 86_400 });
        const state = await h.admin<{ checkpoints: { id: string; plan_id: string }[] }>("GET", "state");
        const checkpoint = state.checkpoints.find((c) => c.plan_id === planId);
        assert.ok(checkpoint, "the scheduler took a backup");
        const result = await engine.up(
          options(h, sourcesCwd, stack, {
            "datasourcesfixture:planId": planId,
            "datasourcesfixture:planName": "db-nightly",
            "datasourcesfixture:volumeName": db.name,
            "datasourcesfixture:volumeId": db.id,
            "datasourcesfixture:checkpointId": checkpoint.id,
          }),
        );
        assertOk(result);
        const out = result.outputs as Record<string, Record<string, unknown>>;
        assert.equal(out["plan"]?.["maxBackups"], 5);
        const all = out["allPlans"]?.["plans"] as { name: string; maxBackups: number }[];
        assert.deepEqual(
          all.map((p) => [p.name, p.maxBackups]),
          [["db-nightly", 5]],
        );
        assert.equal(out["checkpoint"]?.["id"], checkpoint.id);
        assert.ok((out["checkpointsOfPlan"]?.["checkpoints"] as unknown[]).length >= 2);
      });

      it("the CLI lists the plan with the same settings in the environment", async () => {
        const e = h.emulator;
        const env =
          dialect === "seed"
            ? cleanEnv({
                SCHEDULED_BACKUP_ENDPOINT: e.endpoint,
                SCHEDULED_BACKUP_TOKEN: e.token,
                SCHEDULED_BACKUP_PROJECT_ID: e.projectId,
              })
            : cleanEnv({
                OS_AUTH_URL: e.authUrl,
                OS_USERNAME: e.username,
                OS_PASSWORD: e.password,
                OS_USER_DOMAIN_NAME: e.accountId,
                OS_PROJECT_ID: e.projectId,
                OS_REGION_NAME: e.region,
              });
        const result = await runMain(["plans", "list", "--json"], env);
        assert.equal(result.code, 0, result.stderr);
        const plans = JSON.parse(result.stdout) as { id: string; max_backups: number }[];
        assert.deepEqual(
          plans.map((p) => [p.id, p.max_backups]),
          [[planId, 5]],
        );
      });

      it("destroy deletes the plan", async () => {
        const result = await run("destroy", []);
        assertOk(result);
        assert.deepEqual(stepSummary(result), ["delete nightly"]);
        assert.deepEqual(await h.plans(), []);
      });
    },
  );
}
