// Create exactly once, through the engine stand-in: every ambiguous create the emulator can produce (saved
// then 503/429, saved after the client's deadline, saved seconds after a 504, lookups failing afterwards, a
// same-named plan made by hand) ends with one plan per name, the state matching the service, and a destroy
// that deletes only what the stack created.
import assert from "node:assert/strict";
import {
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  freshStack,
  planRecords,
  startHarness,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "create-once";
const benchCwd = fixtureDir("bench-plans");
const benchStack = "create-once-200";

function plan(
  name: string,
  i = 0,
  extra: Record<string, unknown> = {},
): { key: string; args: Record<string, unknown> } {
  const volume = VOLUMES[i % VOLUMES.length]!;
  return {
    key: `plan-${i}`,
    args: {
      name,
      maxBackups: 7,
      schedulePattern: `${i % 60} 2 * * *`,
      resources: [{ id: volume.id, name: volume.name }],
      ...extra,
    },
  };
}

describe("create exactly once (ambiguous creates through the engine stand-in)", function () {
  this.timeout(240_000);
  let h: Harness;
  const run = (command: "up" | "destroy", plans: unknown[], env: Record<string, string> = {}) =>
    engine[command](
      h.options(
        cwd,
        stack,
        { "plansfixture:plans": JSON.stringify(plans), "scheduledbackup:createSettleSeconds": "3" },
        env,
      ),
    );

  /** One plan per name in the service, and the state records exactly those ids. */
  async function assertOnePerName(names: string[]): Promise<void> {
    const live = await h.plans();
    assert.deepEqual(live.map((p) => p.name).sort(), [...names].sort(), "one plan per name, no duplicate");
    assert.deepEqual(
      planRecords(cwd, stack)
        .map((r) => r.id)
        .sort(),
      live.map((p) => p.id).sort(),
      "the state matches the service",
    );
  }

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
    h.useStack(benchCwd, benchStack);
  });
  beforeEach(async () => {
    await h.admin("PUT", "faults", {});
    await h.admin("POST", "reset");
    freshStack(cwd, stack);
  });
  // No destroy after each test: the next one resets the emulator and starts from an empty stack.
  after(async () => {
    await h.close();
  });

  it("saved, then answered 503 or 429: not re-sent, found by name and adopted", async () => {
    await h.admin("PUT", "faults", {
      rules: [
        { operation: "createPlan", status: 503, commit: "after", times: 1, retryAfterSeconds: 0 },
        { operation: "createPlan", status: 429, commit: "after", times: 1, retryAfterSeconds: 0 },
      ],
    });
    const specs = [plan("a-nightly", 0), plan("b-nightly", 1), plan("c-nightly", 2)];
    assertOk(await run("up", specs));
    await assertOnePerName(["a-nightly", "b-nightly", "c-nightly"]);
    assertOk(await run("destroy", []));
    assert.deepEqual(await h.plans(), []);
  });

  it("saved after the client's deadline: the lookups keep going until the plan appears", async () => {
    // The POST times out after 1 s; the service applies it at 2.5 s (delayMs), well after the first lookup.
    await h.admin("PUT", "faults", { rules: [{ operation: "createPlan", delayMs: 2500, times: 1 }] });
    const result = await run("up", [plan("late-nightly")], { SCHEDULED_BACKUP_TIMEOUT_SECONDS: "1" });
    assertOk(result);
    await assertOnePerName(["late-nightly"]);
  });

  it("answered 504 at once and saved seconds later: adopted, not created twice", async () => {
    await h.admin("PUT", "faults", {
      rules: [{ operation: "createPlan", status: 504, commitDelayMs: 2000, times: 1 }],
    });
    assertOk(await run("up", [plan("gateway-nightly")]));
    await assertOnePerName(["gateway-nightly"]);
  });

  it(
    "ambiguous, then the lookups fail: up says the plan may exist; the next up names it; " + "adoptExistingId takes it",
    async () => {
      // The first two listPlans (the plugin's path-layout probe, then the check before the POST) pass; every
      // later one fails.
      await h.admin("PUT", "faults", {
        rules: [
          { operation: "listPlans", status: 500, skip: 2 },
          { operation: "createPlan", status: 502, commit: "after", times: 1 },
        ],
      });
      const env = { SCHEDULED_BACKUP_MAX_RETRIES: "0" };
      const specs = [plan("lost-nightly", 0, { timeouts: { create: 4 } })];
      const failed = await run("up", specs, env);
      assert.equal(failed.ok, false);
      const message = errorMessages(failed).join("\n");
      assert.match(message, /HTTP 502.*may exist anyway.*pulumi up.*adoptExistingId/s);
      assert.equal((await h.plans()).length, 1, "the service saved it");
      assert.equal(planRecords(cwd, stack).length, 0);

      await h.admin("PUT", "faults", {});
      const named = await run("up", specs);
      assert.equal(named.ok, false);
      const [live] = await h.plans();
      assert.match(
        errorMessages(named).join("\n"),
        new RegExp(`already exists.*adoptExistingId: "${live!.id}".*another name`, "s"),
      );
      assert.equal((await h.plans()).length, 1, "no duplicate");

      assertOk(await run("up", [plan("lost-nightly", 0, { adoptExistingId: live!.id })]));
      await assertOnePerName(["lost-nightly"]);
    },
  );

  it("a plan of the same name made by hand is never adopted, and destroy leaves it alone", async () => {
    const volume = VOLUMES[0];
    const made = await fetch(`${h.emulator.endpoint}/${h.emulator.projectId}/plans/`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": h.emulator.token },
      body: JSON.stringify({
        name: "shared-name",
        description: "made by hand",
        backup_mode: "full",
        max_backups: 7,
        schedule_type: "crontab",
        schedule_pattern: "0 2 * * *",
        resources: [{ id: volume.id, name: volume.name, type: "OS::Cinder::Volume" }],
      }),
    });
    assert.equal(made.status, 201);
    const theirs = ((await made.json()) as { id: string }).id;
    const failed = await run("up", [plan("shared-name"), plan("ours-nightly", 1)]);
    assert.equal(failed.ok, false);
    assert.match(
      errorMessages(failed).join("\n"),
      new RegExp(`"shared-name" already exists.*${theirs}.*adoptExistingId: "${theirs}"`, "s"),
    );
    assert.deepEqual(
      planRecords(cwd, stack).map((r) => r.outputs?.["name"]),
      ["ours-nightly"],
    );
    assertOk(await run("destroy", []));
    assert.deepEqual(
      (await h.plans()).map((p) => p.id),
      [theirs],
      "only the stack's own plan was deleted",
    );
  });

  it(
    "200 plans under ~20 % faults (every ambiguous kind): " + "exactly 200 plans, no duplicate, state = service",
    async () => {
      const count = 200;
      const plans = Array.from({ length: count }, (_, i) => ({
        key: `p-${i}`,
        args: {
          name: `fleet-${i}`,
          maxBackups: 7,
          schedulePattern: `${i % 60} ${i % 24} * * *`,
          resources: [{ id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`, name: `volume-${i}` }],
        },
      }));
      // About 20 % of creates meet a fault, each kind about equally; reads fail now and then too.
      await h.admin("PUT", "faults", {
        seed: 10,
        rules: [
          { operation: "createPlan", status: 503, commit: "after", rate: 0.04 },
          { operation: "createPlan", status: 429, commit: "after", rate: 0.04, retryAfterSeconds: 0 },
          { operation: "createPlan", reset: "after-commit", rate: 0.04 },
          { operation: "createPlan", status: 504, commitDelayMs: 1500, rate: 0.04 },
          { operation: "createPlan", status: 500, rate: 0.04 },
          { operation: "listPlans", status: 500, rate: 0.1 },
          { operation: "getPlan", status: 503, rate: 0.1 },
        ],
      });
      freshStack(benchCwd, benchStack);
      const options = h.options(benchCwd, benchStack, {
        "plansbench:plans": JSON.stringify(plans),
        "scheduledbackup:createSettleSeconds": "3",
      });
      const started = Date.now();
      let result = await engine.up(options);
      let ups = 1;
      if (!result.ok) {
        // Allowed (the issue asks for the first up "if possible"), but say why, so a regression is visible.
        console.log(`      first up failed, running a second:\n${errorMessages(result).slice(0, 3).join("\n")}`);
        result = await engine.up(options);
        ups = 2;
      }
      assertOk(result);
      const live = await h.plans();
      const names = live.map((p) => p.name);
      assert.equal(live.length, count, `exactly ${count} plans after ${ups} up(s)`);
      assert.equal(new Set(names).size, count, "no duplicate names");
      const recorded = planRecords(benchCwd, benchStack)
        .map((r) => r.id)
        .sort();
      assert.deepEqual(recorded, live.map((p) => p.id).sort(), "the state matches the service: no orphan");
      const faults = await h.admin<{ remaining: unknown[] }>("GET", "faults");
      assert.ok(faults !== undefined);
      console.log(`      200 plans under faults: ${ups} up(s), ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await h.admin("PUT", "faults", {});
      assertOk(await engine.destroy(options));
      assert.deepEqual(await h.plans(), []);
    },
  );
});
