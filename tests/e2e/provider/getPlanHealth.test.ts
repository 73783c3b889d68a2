// getPlanHealth / getPlanHealthOutput inside a real program (engine stand-in), against the emulator with
// a healthy, a stalled, a failing and a suspended plan: the same figures as the CLI, from one listing of
// plans and one of checkpoints.
import assert from "node:assert/strict";
import { collect } from "../../../provider/api";
import { analyzeHealth, type HealthReport } from "../../../provider/health";
import { HEALTH_AT, HEALTH_START, seedHealthScenario } from "../../cli/health-scenario";
import { apiRequests, assertOk, engine, fixtureDir, startHarness, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("health");
const stack = "health";

describe("getPlanHealth data source (in a program, against the emulator)", function () {
  this.timeout(120_000);
  let h: Harness;
  let outputs: Record<string, unknown>;
  let requests: string[];

  before(async () => {
    h = await startHarness({ startTime: HEALTH_START });
    h.useStack(cwd, stack);
    await seedHealthScenario(h.emulator, VOLUMES);
    const before = h.requests.length;
    const result = await engine.up(h.options(cwd, stack, { "healthfixture:at": HEALTH_AT }));
    assertOk(result);
    outputs = result.outputs;
    requests = apiRequests(h.requests.slice(before));
  });
  after(async () => {
    await h.close();
  });

  it("reports every plan and volume with the figures the CLI computes", async () => {
    const client = h.client();
    const expected = analyzeHealth(await collect(client.plans()), await collect(client.checkpoints()), {
      now: new Date(HEALTH_AT),
    });
    const all = outputs["all"] as HealthReport;
    assert.deepEqual(all, expected);
    assert.deepEqual([all.healthy, all.breaches], [false, 3]);
    const byName = new Map(all.plans.map((p) => [p.planName, p]));
    assert.deepEqual(
      ["db-nightly", "web-stalled", "logs-failing", "db-paused"].map((name) => {
        const p = byName.get(name);
        return [name, p?.breach, p?.suspended, p?.missedRuns, p?.failedBackups, p?.volumes[0]?.orphanedIncrementals];
      }),
      [
        ["db-nightly", false, false, 0, 0, 0],
        ["web-stalled", true, false, 4, 0, 0],
        ["logs-failing", true, false, 0, 3, 1],
        ["db-paused", true, true, 4, 0, 0],
      ],
    );
  });

  it("lists plans once and checkpoints once per call, not once per plan", () => {
    // The path-layout probe (`plans/?limit=1`, once per endpoint and process) is not a health listing.
    const lists = requests.filter(
      (line) => /^GET \S+\/(plans|checkpoints)\/(\?\S*)? /.test(line) && !/\?limit=1 /.test(line),
    );
    // Four calls in the program: all, nightly (filtered), missing (filtered), badSlack (refused before any request).
    assert.equal(lists.filter((l) => /\/plans\//.test(l)).length, 3, lists.join("\n"));
    assert.equal(lists.filter((l) => /\/checkpoints\//.test(l)).length, 3, lists.join("\n"));
  });

  it("getPlanHealthOutput narrows to one plan and takes the slack", () => {
    const nightly = outputs["nightly"] as HealthReport;
    assert.deepEqual(
      nightly.plans.map((p) => p.planName),
      ["db-nightly"],
    );
    assert.equal(nightly.slackMinutes, 45);
    assert.equal(nightly.healthy, true);
    assert.equal(nightly.plans[0]?.rpoMinutes, 1440 + 45);
    assert.equal(nightly.plans[0]?.volumes[0]?.newestBackup?.createdAt, "2025-03-11T02:00:00Z");
  });

  it("fails clearly for an unknown plan and a bad argument", () => {
    assert.match(
      String((outputs["missing"] as { error: string }).error),
      /getPlanHealth: the lookup failed: no plan named "no-such-plan"/,
    );
    assert.match(
      String((outputs["badSlack"] as { error: string }).error),
      /slackMinutes must be a whole number of minutes from 0 to 10080.*getPlanHealth/,
    );
  });
});
