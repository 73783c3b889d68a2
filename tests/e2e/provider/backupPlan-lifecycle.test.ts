// A BackupPlan's whole life through the engine stand-in against the emulator, one behaviour per step:
// preview, create, a no-op up, in-place updates, a backupMode replacement, drift after an out-of-band
// delete, destroy. Also: what the state file holds (no credentials, a small identical `__provider`).
import assert from "node:assert/strict";
import type { BackupPlanArgs } from "../../../provider";
import {
  apiRequests,
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  planRecords,
  startHarness,
  stateText,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "lifecycle";
const [db, web, logs] = VOLUMES;

interface Spec {
  key: string;
  args: BackupPlanArgs;
}

function nightly(overrides: Partial<BackupPlanArgs> = {}): Spec {
  return {
    key: "nightly",
    args: {
      name: "db-nightly",
      description: "nightly full backups",
      maxBackups: 7,
      schedulePattern: "0 2 * * *",
      resources: [{ id: db.id, name: db.name }],
      ...overrides,
    },
  };
}

function chains(overrides: Partial<BackupPlanArgs> = {}): Spec {
  return {
    key: "chains",
    args: {
      name: "web-chains",
      backupMode: "frequency",
      maxBackups: 4,
      scheduleType: "calendar",
      schedulePattern: "30 3 * * 1,3,5",
      resources: [{ id: web.id, name: web.name }],
      ...overrides,
    },
  };
}

/** The nightly plan once it was moved to 01:15, given the logs volume too and suspended. */
function suspendedNightly(): Spec {
  return nightly({
    schedulePattern: "15 1 * * *",
    resources: [
      { id: db.id, name: db.name },
      { id: logs.id, name: logs.name },
    ],
    status: "suspended",
  });
}

/** The stack from the backupMode replacement on: the suspended nightly and the chains made full backups. */
function afterReplace(): Spec[] {
  return [suspendedNightly(), chains({ backupMode: "full", maxBackups: 20 })];
}

describe("BackupPlan lifecycle (engine stand-in + emulator)", function () {
  this.timeout(120_000);
  let h: Harness;
  let ids: Record<string, string> = {};
  const run = (command: "preview" | "up" | "refresh" | "destroy", plans: Spec[]) =>
    engine[command](h.options(cwd, stack, { "plansfixture:plans": JSON.stringify(plans) }));

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  after(async () => {
    await engine.destroy(h.options(cwd, stack, { "plansfixture:plans": "[]" })).catch(() => undefined);
    await h.close();
  });

  // Issue 10: preview checks the credentials and endpoint (it used to send nothing, so a CI preview passed with
  // a wrong token). The check is the path-layout probe, one read for the whole run however many plans.
  it("preview plans both creates and sends exactly one read, the credential check (the layout probe)", async () => {
    const result = await run("preview", [nightly(), chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create chains", "create nightly"]);
    const sent = apiRequests(h.requests);
    assert.equal(sent.length, 1, sent.join("\n"));
    assert.match(sent[0] ?? "", /^GET \S*\/plans\/\?limit=1 200 /);
    assert.deepEqual(await h.plans(), []);
  });

  it(
    "preview with a wrong token fails with a message " + "naming the setting and the fix, before any plan step",
    async () => {
      const before = h.requests.length;
      const options = h.options(cwd, stack, { "plansfixture:plans": JSON.stringify([nightly(), chains()]) });
      const result = await engine.preview({ ...options, secrets: { "scheduledbackup:token": "not-the-token" } });
      assert.equal(result.ok, false, stepSummary(result).join(", "));
      assert.deepEqual(
        stepSummary(result).filter((step) => !step.startsWith("same")),
        [],
      );
      const errors = errorMessages(result).join("\n");
      assert.equal(errors.split("checking the credentials and endpoint").length - 1, 1, errors);
      assert.match(
        errors,
        /refused the credentials \(HTTP 401\)\. Set a valid token with `pulumi config set --secret scheduledbackup:token <token>`/,
      );
      assert.ok(!errors.includes("not-the-token"), "never echoes the token");
      assert.doesNotMatch(errors, /\n\s+at \S+ \(/, "no stack frames");
      const sent = apiRequests(h.requests.slice(before));
      assert.equal(sent.length, 1, sent.join("\n"));
      assert.match(sent[0] ?? "", /^GET \S*\/plans\/\?limit=1 401 /);
    },
  );

  it("preview with an endpoint where nothing answers fails naming `endpoint`", async () => {
    const plans = {
      "plansfixture:plans": JSON.stringify([nightly()]),
      "scheduledbackup:endpoint": "http://127.0.0.1:9/data-protect/v2",
    };
    const result = await engine.preview(h.options(cwd, stack, plans, { SCHEDULED_BACKUP_MAX_RETRIES: "0" }));
    assert.equal(result.ok, false, stepSummary(result).join(", "));
    const errors = errorMessages(result).join("\n");
    assert.match(
      errors,
      /checking the credentials and endpoint .*ECONNREFUSED.*\. Check `scheduledbackup:endpoint` \(or SCHEDULED_BACKUP_ENDPOINT\), the base URL of the API ending in \/data-protect\/v2/,
      errors,
    );
  });

  it("up creates exactly the declared plans, with defaults applied and schedule facts as outputs", async () => {
    const result = await run("up", [nightly(), chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create chains", "create nightly"]);
    const live = await h.plans();
    assert.deepEqual(live.map((p) => p.name).sort(), ["db-nightly", "web-chains"]);
    const dbPlan = live.find((p) => p.name === "db-nightly");
    assert.ok(dbPlan);
    assert.equal(dbPlan.backup_mode, "full");
    assert.equal(dbPlan.schedule_type, "crontab");
    assert.equal(dbPlan.status, "started");
    assert.deepEqual(dbPlan.resources, [{ id: db.id, name: db.name, type: "OS::Cinder::Volume" }]);

    const records = planRecords(cwd, stack);
    ids = Object.fromEntries(records.map((r) => [String(r.outputs?.["name"]), String(r.id)]));
    const outputs = records.find((r) => r.outputs?.["name"] === "db-nightly")?.outputs ?? {};
    assert.equal(outputs["maxIntervalHours"], 24);
    assert.equal(outputs["retentionDays"], 6);
    assert.equal((outputs["nextRunTimes"] as string[]).length, 5);
    assert.match(String(outputs["createdAt"]), /^\d{4}-\d\d-\d\dT/);
    const chainOutputs = records.find((r) => r.outputs?.["name"] === "web-chains")?.outputs ?? {};
    // Mon/Wed/Fri: the longest gap is Friday to Monday.
    assert.equal(chainOutputs["maxIntervalHours"], 72);
  });

  it("the state holds no credential and one small `__provider`, identical for every plan", async () => {
    const text = stateText(await run("refresh", [nightly(), chains()]));
    assert.ok(!text.includes(h.emulator.token), "the token must not appear in the state");
    assert.ok(!text.includes(h.emulator.password), "the password must not appear in the state");
    const providers = planRecords(cwd, stack).flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]);
    assert.equal(providers.length, 4);
    for (const p of providers) {
      assert.equal(typeof p, "string");
      assert.ok((p as string).length <= 2048, `__provider is ${(p as string).length} bytes`);
      assert.equal(p, providers[0]);
    }
  });

  it("a second up with nothing changed is all `same` and sends no request", async () => {
    const before = h.requests.length;
    const result = await run("up", [nightly(), chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same chains", "same nightly"]);
    assert.deepEqual(apiRequests(h.requests.slice(before)), []);
  });

  it("making the stack's default project explicit on a plan changes nothing", async () => {
    const before = h.requests.length;
    const result = await run("up", [nightly({ projectId: h.emulator.projectId }), chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same chains", "same nightly"]);
    assert.deepEqual(apiRequests(h.requests.slice(before)), []);
  });

  it("schedule and resource changes update in place (PATCH, same id)", async () => {
    const before = h.requests.length;
    const changed = nightly({
      schedulePattern: "15 1 * * *",
      resources: [
        { id: db.id, name: db.name },
        { id: logs.id, name: logs.name },
      ],
    });
    const result = await run("up", [changed, chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same chains", "update nightly"]);
    const sent = apiRequests(h.requests.slice(before));
    assert.equal(sent.filter((l) => l.startsWith("PATCH ")).length, 1, sent.join("\n"));
    assert.equal(sent.filter((l) => l.startsWith("POST ") || l.startsWith("DELETE ")).length, 0, sent.join("\n"));
    const live = (await h.plans()).find((p) => p.name === "db-nightly");
    assert.equal(live?.id, ids["db-nightly"]);
    assert.equal(live?.schedule_pattern, "15 1 * * *");
    assert.deepEqual(
      live?.resources.map((r) => r.name),
      ["db-data", "logs"],
    );
  });

  it("status `suspended` is an in-place update too", async () => {
    const result = await run("up", [suspendedNightly(), chains()]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same chains", "update nightly"]);
    assert.equal((await h.plans()).find((p) => p.name === "db-nightly")?.status, "suspended");
  });

  it("a backupMode change replaces the plan, deleting the old one first", async () => {
    const result = await run("up", afterReplace());
    assertOk(result);
    const replace = result.steps.find((s) => s.name === "chains");
    assert.equal(replace?.op, "replace");
    assert.equal(replace?.diffs?.[0], "backupMode");
    assert.equal(replace?.deleteBeforeReplace, true);
    const live = (await h.plans()).filter((p) => p.name === "web-chains");
    assert.equal(live.length, 1);
    assert.notEqual(live[0]?.id, ids["web-chains"]);
    assert.equal(live[0]?.backup_mode, "full");
  });

  it("refresh after an out-of-band delete drops the plan; the next up creates it again", async () => {
    const spec = afterReplace();
    const client = h.client();
    const victim = ids["db-nightly"];
    assert.ok(victim);
    await client.deletePlan(victim);
    await client.waitForPlanGone(victim, { timeoutMs: 10_000 });

    const refreshed = await run("refresh", spec);
    assertOk(refreshed);
    assert.deepEqual(
      planRecords(cwd, stack).map((r) => r.outputs?.["name"]),
      ["web-chains"],
    );

    const result = await run("up", spec);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create nightly", "same chains"]);
    const live = (await h.plans()).filter((p) => p.name === "db-nightly");
    assert.equal(live.length, 1);
    assert.notEqual(live[0]?.id, victim);
    assert.equal(live[0]?.status, "suspended");
  });

  it("refresh of unchanged plans reports no drift, and the next up stays `same`", async () => {
    const spec = afterReplace();
    assertOk(await run("refresh", spec));
    const result = await run("up", spec);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same chains", "same nightly"]);
  });

  it("drift made outside Pulumi is seen by refresh and undone by the next up (one PATCH)", async () => {
    const spec = afterReplace();
    const client = h.client();
    const target = (await h.plans()).find((p) => p.name === "web-chains");
    assert.ok(target);
    await client.updatePlan(target.id, { max_backups: 3, description: "changed by hand" });

    assertOk(await run("refresh", spec));
    assert.equal(planRecords(cwd, stack).find((r) => r.id === target.id)?.outputs?.["maxBackups"], 3);
    const before = h.requests.length;
    const result = await run("up", spec);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["same nightly", "update chains"]);
    assert.equal(apiRequests(h.requests.slice(before)).filter((l) => l.startsWith("PATCH ")).length, 1);
    const live = (await h.plans()).find((p) => p.id === target.id);
    assert.equal(live?.max_backups, 20);
  });

  it("destroy deletes every plan and waits until they are gone", async () => {
    const result = await run("destroy", []);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["delete chains", "delete nightly"]);
    assert.deepEqual(await h.plans(), []);
    assert.deepEqual(planRecords(cwd, stack), []);
  });
});
