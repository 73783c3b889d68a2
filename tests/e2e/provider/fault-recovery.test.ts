// Faults injected into the emulator (rate limits, server errors, a connection reset after the create was
// committed, slow activation, a wait that runs out): every run must still end with exactly the plans the
// program declares, never an orphan or a duplicate.
import assert from "node:assert/strict";
import type { BackupPlanArgs } from "../../../provider";
import {
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  freshStack,
  planRecords,
  startHarness,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { EmulatorPlan, Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "faults";

function declared(suffix = "", extra: Partial<BackupPlanArgs> = {}): { key: string; args: BackupPlanArgs }[] {
  return VOLUMES.map((volume, i) => ({
    key: `plan-${i}`,
    args: {
      name: `${volume.name}-nightly${suffix}`,
      maxBackups: 7 + i,
      schedulePattern: `${i * 10} 2 * * *`,
      resources: [{ id: volume.id, name: volume.name }],
      ...extra,
    },
  }));
}

/** The emulator holds exactly these plans: one per declared name, with the declared fields. */
function assertExactly(live: EmulatorPlan[], specs: { args: BackupPlanArgs }[], status = "started"): void {
  assert.deepEqual(
    live.map((p) => p.name).sort(),
    specs.map((s) => s.args.name).sort(),
    "one plan per declared name, no duplicate",
  );
  for (const spec of specs) {
    const plan = live.find((p) => p.name === spec.args.name);
    assert.equal(plan?.max_backups, spec.args.maxBackups);
    assert.equal(plan?.schedule_pattern, spec.args.schedulePattern);
    assert.equal(plan?.status, status);
  }
}

describe("faults injected into the emulator", function () {
  this.timeout(180_000);
  let h: Harness;
  // A short settle window: an ambiguous create that saved nothing is sent again after 2 s, not 60.
  const run = (command: "up" | "destroy", plans: unknown[]) =>
    engine[command](
      h.options(cwd, stack, {
        "plansfixture:plans": JSON.stringify(plans),
        "scheduledbackup:createSettleSeconds": "2",
      }),
    );

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  beforeEach(async () => {
    await h.admin("PUT", "faults", {});
    await h.admin("POST", "reset");
    freshStack(cwd, stack);
  });
  afterEach(async () => {
    await h.admin("PUT", "faults", {});
    await run("destroy", []).catch(() => undefined);
  });
  after(async () => {
    await h.close();
  });

  it(
    "429 with Retry-After and 503s on every operation: " + "retried, and the run ends with the declared plans",
    async () => {
      await h.admin("PUT", "faults", {
        rules: [
          { operation: "createPlan", status: 429, times: 2, retryAfterSeconds: 1 },
          { operation: "createPlan", status: 503, times: 1 },
          { operation: "getPlan", status: 503, times: 2 },
          { operation: "listPlans", status: 429, times: 1, retryAfterSeconds: 1 },
        ],
      });
      const specs = declared();
      const result = await run("up", specs);
      assertOk(result);
      assertExactly(await h.plans(), specs);

      await h.admin("PUT", "faults", {
        rules: [
          { operation: "updatePlan", status: 503, times: 2 },
          { operation: "deletePlan", status: 429, times: 1, retryAfterSeconds: 1 },
        ],
      });
      const changed = declared("", { schedulePattern: "0 3 * * *" });
      assertOk(await run("up", changed));
      assertExactly(await h.plans(), changed);
      const destroyed = await run("destroy", []);
      assertOk(destroyed);
      assert.deepEqual(await h.plans(), []);
    },
  );

  it("a 500 on create (nothing committed): the provider looks the name up, finds nothing, creates once", async () => {
    await h.admin("PUT", "faults", { rules: [{ operation: "createPlan", status: 500, times: 2 }] });
    const specs = declared();
    assertOk(await run("up", specs));
    assertExactly(await h.plans(), specs);
  });

  it(
    "a connection reset after the create was committed: " + "the plan is found by name and adopted, no duplicate",
    async () => {
      await h.admin("PUT", "faults", { rules: [{ operation: "createPlan", reset: "after-commit", times: 2 }] });
      const specs = declared();
      const result = await run("up", specs);
      assertOk(result);
      assertExactly(await h.plans(), specs);
      const ids = planRecords(cwd, stack)
        .map((r) => r.id)
        .sort();
      assert.deepEqual(ids, (await h.plans()).map((p) => p.id).sort(), "the state records the plans that exist");
    },
  );

  it("slow activation: create waits until the plans are started", async () => {
    await h.admin("PUT", "faults", { activationDelaySeconds: 2 });
    const specs = declared();
    const result = await run("up", specs);
    assertOk(result);
    assertExactly(await h.plans(), specs, "started");
    assert.ok(planRecords(cwd, stack).every((r) => r.outputs?.["status"] === "started"));
  });

  it("slow activation with failing polls: the status wait keeps polling until its deadline", async () => {
    await h.admin("PUT", "faults", {
      activationDelaySeconds: 2,
      rules: [{ operation: "getPlan", status: 500, times: 4 }],
    });
    const specs = declared();
    const result = await engine.up(
      h.options(
        cwd,
        stack,
        { "plansfixture:plans": JSON.stringify(specs), "scheduledbackup:createSettleSeconds": "2" },
        { SCHEDULED_BACKUP_MAX_RETRIES: "0" },
      ),
    );
    assertOk(result);
    assertExactly(await h.plans(), specs, "started");
  });

  it(
    "a wait that runs out keeps the plan's id (partial state); " + "the next up finishes it without a duplicate",
    async () => {
      await h.admin("PUT", "faults", { activationDelaySeconds: 4 });
      const specs = declared("", { timeouts: { create: 1 } });
      const failed = await run("up", specs);
      assert.equal(failed.ok, false);
      assert.ok(
        errorMessages(failed).some((m) => /exists but did not become started.*timeouts\.create \(now 1 s\)/s.test(m)),
        errorMessages(failed).join("\n"),
      );
      const recorded = planRecords(cwd, stack);
      assert.equal(recorded.length, 3, "every created plan is in the state");
      assert.ok(recorded.every((r) => typeof r.id === "string" && r.id !== "" && (r.initErrors ?? []).length > 0));

      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const finished = await run("up", specs);
      assertOk(finished);
      assert.ok(
        stepSummary(finished).every((s) => !s.startsWith("create")),
        stepSummary(finished).join(", "),
      );
      assertExactly(await h.plans(), specs);
      assert.deepEqual(
        planRecords(cwd, stack)
          .map((r) => r.id)
          .sort(),
        recorded.map((r) => r.id).sort(),
      );
    },
  );
});
