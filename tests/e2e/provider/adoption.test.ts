// Existing plans: `adoptExistingId` takes one under management (Pulumi's `import` cannot work with dynamic
// providers), `BackupPlan.get` references one read-only (a ReadResource: never changed or deleted).
import assert from "node:assert/strict";
import type { ScheduledBackupClient } from "../../../provider/api";
import type { Plan } from "../../../provider/api/types";
import {
  apiRequests,
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  planRecords,
  startHarness,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "adoption";
const [db, web] = VOLUMES;

describe("adoption and read-only references", function () {
  this.timeout(120_000);
  let h: Harness;
  let client: ScheduledBackupClient;
  let legacy: Plan;
  let reporting: Plan;

  const adoptSpec = (overrides: Record<string, unknown> = {}) => ({
    key: "adopted",
    args: {
      adoptExistingId: legacy.id,
      name: "legacy-db",
      description: "now managed by Pulumi",
      maxBackups: 30,
      schedulePattern: "0 1 * * *",
      resources: [{ id: db.id, name: db.name }],
      ...overrides,
    },
  });
  const run = (command: "up" | "destroy", plans: unknown[], gets: unknown[] = []) =>
    engine[command](
      h.options(cwd, stack, { "plansfixture:plans": JSON.stringify(plans), "plansfixture:gets": JSON.stringify(gets) }),
    );

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
    client = h.client();
    const body = {
      description: "made in the console",
      backup_mode: "full" as const,
      max_backups: 7,
      schedule_type: "crontab" as const,
    };
    legacy = await client.createPlan({
      ...body,
      name: "legacy-db",
      schedule_pattern: "0 1 * * *",
      resources: [{ ...db, type: "OS::Cinder::Volume" }],
    });
    reporting = await client.createPlan({
      ...body,
      name: "reporting",
      schedule_pattern: "0 */6 * * *",
      resources: [{ ...web, type: "OS::Cinder::Volume" }],
    });
  });
  after(async () => {
    await run("destroy", []).catch(() => undefined);
    await h.close();
  });

  it("adoptExistingId takes the plan over (same id, differences PATCHed, no POST); get reads another", async () => {
    const before = h.requests.length;
    const result = await run("up", [adoptSpec()], [{ key: "reporting-ref", id: reporting.id }]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["create adopted", "read reporting-ref"]);
    const sent = apiRequests(h.requests.slice(before));
    assert.equal(sent.filter((l) => l.startsWith("POST ")).length, 0, sent.join("\n"));
    assert.equal(sent.filter((l) => l.startsWith("PATCH ")).length, 1, sent.join("\n"));

    const live = await h.plans();
    assert.equal(live.length, 2);
    const adopted = live.find((p) => p.id === legacy.id);
    assert.equal(adopted?.max_backups, 30);
    assert.equal(planRecords(cwd, stack).find((r) => r.outputs?.["name"] === "legacy-db")?.id, legacy.id);

    const ref = (result.outputs["readOutputs"] as Record<string, Record<string, unknown>>)["reporting-ref"];
    assert.equal(ref?.["id"], reporting.id);
    assert.equal(ref?.["name"], "reporting");
    assert.equal(ref?.["schedulePattern"], "0 */6 * * *");
    assert.equal(ref?.["maxIntervalHours"], 6);
    assert.equal(ref?.["isInstance"], true);
  });

  it("the next up leaves both alone", async () => {
    const before = h.requests.length;
    const result = await run("up", [adoptSpec()], [{ key: "reporting-ref", id: reporting.id }]);
    assertOk(result);
    assert.deepEqual(stepSummary(result).sort(), ["read reporting-ref", "same adopted"]);
    const writes = apiRequests(h.requests.slice(before)).filter((l) => !l.startsWith("GET "));
    assert.deepEqual(writes, []);
  });

  it("refuses to adopt a plan whose backupMode differs, saying how to fix it, and changes nothing", async () => {
    const before = h.requests.length;
    const result = await run(
      "up",
      [
        adoptSpec(),
        {
          key: "mismatch",
          args: {
            ...adoptSpec().args,
            name: "reporting",
            backupMode: "frequency",
            maxBackups: 4,
            adoptExistingId: reporting.id,
            resources: [{ id: web.id, name: web.name }],
          },
        },
      ],
      [{ key: "reporting-ref", id: reporting.id }],
    );
    assert.equal(result.ok, false);
    assert.ok(
      errorMessages(result).some((m) => /backupMode `full`.*declares `frequency`.*Set backupMode to `full`/.test(m)),
      errorMessages(result).join("\n"),
    );
    const writes = apiRequests(h.requests.slice(before)).filter((l) => !l.startsWith("GET "));
    assert.deepEqual(writes, []);
  });

  it("destroy deletes the adopted plan and never touches the read-only one", async () => {
    const result = await run("destroy", []);
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["delete adopted"]);
    assert.deepEqual(
      (await h.plans()).map((p) => p.id),
      [reporting.id],
    );
  });
});
