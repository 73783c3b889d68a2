// The pure health analysis: breach at the RPO boundary, missed runs against the schedule, usable and
// orphaned backups in chains, filters; properties over random histories of a daily plan.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Checkpoint, CheckpointItem, Plan } from "../../../provider/api/types";
import { analyzeHealth, type HealthOptions } from "../../../provider/health";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse("2025-03-01T00:00:00Z");
const VOL_A = { id: "vol-a", name: "db-data", type: "OS::Cinder::Volume" };
const VOL_B = { id: "vol-b", name: "web-data", type: "OS::Cinder::Volume" };

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: "plan-1",
    name: "nightly",
    description: "",
    backup_mode: "full",
    max_backups: 90,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [VOL_A],
    status: "started",
    created_at: iso(T0),
    ...overrides,
  };
}

let counter = 0;
interface ItemSpec {
  volume?: typeof VOL_A;
  status?: string;
  incremental?: boolean;
  chain?: string;
}
function checkpoint(planId: string, atMs: number, specs: ItemSpec[] = [{}]): Checkpoint {
  const id = `cp-${String(++counter).padStart(6, "0")}`;
  const items: CheckpointItem[] = specs.map((spec, i) => ({
    id: `${id}-item-${i}`,
    backup_id: `${id}-b-${i}`,
    chain_id: spec.chain ?? `${id}-chain-${i}`,
    checkpoint_id: id,
    created_at: iso(atMs),
    backup_created_at: iso(atMs),
    is_incremental: spec.incremental ?? false,
    resource: spec.volume ?? VOL_A,
    status: spec.status ?? "available",
  }));
  return {
    id,
    plan_id: planId,
    created_at: iso(atMs),
    status: items.some((i) => i.status === "error") ? "error" : "available",
    checkpoint_items: items,
  };
}

/** Daily 02:00 runs from day `from` to day `to` (inclusive) after T0. */
function dailyRuns(
  fromDay: number,
  toDay: number,
  planId = "plan-1",
  specs?: (day: number) => ItemSpec[],
): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (let d = fromDay; d <= toDay; d += 1) out.push(checkpoint(planId, T0 + d * DAY + 2 * HOUR, specs?.(d)));
  return out;
}

const at = (ms: number, extra: Partial<HealthOptions> = {}): HealthOptions => ({ now: new Date(ms), ...extra });

describe("health analysis (pure)", () => {
  it(
    "a daily plan backing up every day is healthy: newest backup, age, RPO, no missed runs, " + "full restore points",
    () => {
      const now = T0 + 20 * DAY + 12 * HOUR;
      const report = analyzeHealth([plan({ max_backups: 7 })], dailyRuns(14, 20), at(now));
      const p = report.plans[0]!;
      const v = p.volumes[0]!;
      assert.equal(report.healthy, true);
      assert.equal(report.breaches, 0);
      assert.equal(p.longestGapMinutes, 1440);
      assert.equal(p.rpoMinutes, 1470);
      assert.equal(v.newestBackup?.createdAt, iso(T0 + 20 * DAY + 2 * HOUR));
      assert.equal(v.newestBackupAgeMinutes, 600);
      assert.equal(v.breachAt, iso(T0 + 21 * DAY + 2 * HOUR + 30 * MIN));
      assert.equal(
        p.judgedFrom,
        iso(T0 + 14 * DAY + 2 * HOUR),
        "retention may have pruned older runs: judged from the oldest kept",
      );
      assert.deepEqual([p.expectedRuns, p.missedRuns], [7, 0]);
      assert.deepEqual([v.restorePoints, v.restorePointsPromised, v.restorePointsExpected], [7, 7, 7]);
      assert.deepEqual(p.warnings, []);
    },
  );

  it("breaches exactly when the newest usable backup is older than the longest gap plus the slack", () => {
    const last = T0 + 5 * DAY + 2 * HOUR;
    const history = dailyRuns(0, 5);
    const deadline = last + DAY + 30 * MIN;
    assert.equal(analyzeHealth([plan()], history, at(deadline)).healthy, true, "at the deadline: not yet");
    const late = analyzeHealth([plan()], history, at(deadline + MIN));
    assert.equal(late.healthy, false);
    assert.equal(late.plans[0]!.volumes[0]!.breach, true);
    assert.match(
      late.plans[0]!.warnings.join("\n"),
      /db-data: newest usable backup is 1 d 31 min old, over the 1 d 30 min the schedule allows/,
    );
    assert.equal(
      analyzeHealth([plan()], history, at(deadline + MIN, { slackMinutes: 60 })).healthy,
      true,
      "a larger slack moves the deadline",
    );
  });

  it("before the first backup, the RPO counts from the plan's creation", () => {
    const created = T0 + 10 * HOUR; // first run the next day at 02:00
    const p = plan({ created_at: iso(created) });
    assert.equal(analyzeHealth([p], [], at(created + DAY + 30 * MIN)).healthy, true);
    const report = analyzeHealth([p], [], at(created + DAY + 31 * MIN));
    assert.equal(report.healthy, false);
    assert.equal(report.plans[0]!.volumes[0]!.newestBackup, null);
    assert.match(report.plans[0]!.warnings.join("\n"), /db-data: no usable backup/);
  });

  it("counts missed runs in the look-back, and a failed run as made but failed", () => {
    const history = dailyRuns(0, 20).filter((_, d) => d !== 17 && d !== 18);
    history.push(checkpoint("plan-1", T0 + 18 * DAY + 2 * HOUR + 20 * MIN, [{ status: "error" }])); // late and failed
    history.push(checkpoint("plan-1", T0 + 2 * DAY + 2 * HOUR, [{ status: "error" }])); // failed, before the look-back
    const report = analyzeHealth([plan()], history, at(T0 + 20 * DAY + 12 * HOUR));
    const p = report.plans[0]!;
    assert.equal(p.judgedFrom, iso(T0 + 13 * DAY + 12 * HOUR));
    assert.deepEqual(
      [p.expectedRuns, p.missedRuns],
      [7, 1],
      "day 17 missed; day 18's run came 20 min late, within the slack",
    );
    assert.equal(p.failedBackups, 1, "only failures within the look-back count");
    assert.match(p.warnings.join("\n"), /1 of 7 scheduled runs since .* made no checkpoint/);
  });

  it("frequency mode: incrementals without a usable full backup are orphaned and not restorable", () => {
    const fp = plan({ backup_mode: "frequency", max_backups: 3 });
    const chainOf = (d: number): string => `chain-${Math.floor(d / 7)}`;
    // Chain 0 (days 0-6) lost its full backup; chain 1's full (day 7) failed; chain 2 (day 14-) is intact
    // until its incremental of day 16 failed, which breaks days 17-18 but does not orphan them.
    const history = dailyRuns(0, 18, "plan-1", (d) => [
      {
        chain: chainOf(d),
        incremental: d % 7 !== 0,
        status: d === 7 || d === 16 ? "error" : "available",
      },
    ]).filter((c) => c.created_at !== iso(T0 + 2 * HOUR));
    const report = analyzeHealth([fp], history, at(T0 + 18 * DAY + 3 * HOUR, { lookBackDays: 30 }));
    const v = report.plans[0]!.volumes[0]!;
    assert.equal(v.orphanedIncrementals, 12, "6 of chain 0, 6 of chain 1");
    assert.equal(v.restorePoints, 2, "day 14 (full) and day 15");
    assert.equal(v.newestBackup?.createdAt, iso(T0 + 15 * DAY + 2 * HOUR));
    assert.equal(v.failedBackups, 2);
    assert.equal(v.breach, true, "the newest restorable backup is 3 days old");
    assert.match(report.plans[0]!.warnings.join("\n"), /12 incremental backup\(s\) whose full backup is gone/);
  });

  it("reports suspended plans, filters by plan and volume, and a schedule it cannot analyse", () => {
    const plans = [
      plan({ resources: [VOL_A, VOL_B] }),
      plan({ id: "plan-2", name: "paused", status: "suspended", resources: [VOL_B] }),
      plan({ id: "plan-3", name: "odd", schedule_pattern: "*/5 * * * *" }),
    ];
    const history = [
      ...dailyRuns(0, 3, "plan-1", () => [{}, { volume: VOL_B }]),
      ...dailyRuns(0, 3, "plan-2", () => [{ volume: VOL_B }]),
    ];
    const now = at(T0 + 3 * DAY + 12 * HOUR);
    const all = analyzeHealth(plans, history, now);
    assert.deepEqual(
      all.plans.map((p) => p.planName),
      ["nightly", "paused", "odd"],
    );
    const paused = all.plans[1]!;
    assert.equal(paused.suspended, true);
    assert.match(paused.warnings[0] ?? "", /plan is suspended/);
    const odd = all.plans[2]!;
    assert.equal(odd.longestGapMinutes, null);
    assert.equal(odd.breach, false);
    assert.match(odd.scheduleProblem ?? "", /^`\*\/5 \* \* \* \*` runs 5 min apart .*at most one run an hour$/);
    const byVolume = analyzeHealth(plans, history, { ...now, volumeName: "web-data" });
    assert.deepEqual(
      byVolume.plans.map((p) => [p.planName, p.volumes.map((v) => v.volumeName)]),
      [
        ["nightly", ["web-data"]],
        ["paused", ["web-data"]],
      ],
    );
    assert.deepEqual(
      analyzeHealth(plans, history, { ...now, planName: "paused" }).plans.map((p) => p.planName),
      ["paused"],
    );
  });

  it("rejects bad options with the field and its range", () => {
    assert.throws(
      () => analyzeHealth([], [], at(T0, { slackMinutes: -1 })),
      /slackMinutes must be a whole number of minutes from 0/,
    );
    assert.throws(
      () => analyzeHealth([], [], at(T0, { lookBackDays: 0 })),
      /lookBackDays must be a whole number of days from 1 to 400/,
    );
    assert.throws(() => analyzeHealth([], [], { now: new Date("nope") }), /now must be a valid Date/);
  });

  describe("properties (a daily plan, random skipped and failed runs)", () => {
    const history = fc.record({
      outcomes: fc.array(fc.constantFrom("ok", "ok", "ok", "skip", "error"), { minLength: 1, maxLength: 40 }),
      hourOfNow: fc.integer({ min: 0, max: 23 }),
      slack: fc.integer({ min: 0, max: 120 }),
    });

    it(
      "missed runs are the skipped runs in the window; breach is newest usable age > gap + slack; " +
        "input order does not matter",
      () => {
        fc.assert(
          fc.property(history, ({ outcomes, hourOfNow, slack }) => {
            const days = outcomes.length;
            const now = T0 + days * DAY + hourOfNow * HOUR;
            const checkpoints = outcomes.flatMap((o, d) =>
              o === "skip"
                ? []
                : [checkpoint("plan-1", T0 + d * DAY + 2 * HOUR, [{ status: o === "ok" ? "available" : "error" }])],
            );
            const report = analyzeHealth([plan()], checkpoints, at(now, { slackMinutes: slack }));
            const p = report.plans[0]!;
            const v = p.volumes[0]!;
            const judgedFrom = Math.max(T0, now - 7 * DAY);
            const runs = [...outcomes.keys(), days]
              .map((d) => ({ d, at: T0 + d * DAY + 2 * HOUR }))
              .filter((r) => r.at >= judgedFrom && r.at <= now - slack * MIN);
            assert.equal(p.expectedRuns, runs.length);
            assert.equal(p.missedRuns, runs.filter((r) => outcomes[r.d] === "skip" || r.d === days).length);
            const okDays = outcomes.flatMap((o, d) => (o === "ok" ? [d] : []));
            const newest = okDays.length === 0 ? T0 : T0 + okDays[okDays.length - 1]! * DAY + 2 * HOUR;
            assert.equal(v.breach, now - newest > DAY + slack * MIN);
            assert.equal(v.restorePoints, okDays.length);
            const shuffled = analyzeHealth([plan()], [...checkpoints].reverse(), at(now, { slackMinutes: slack }));
            assert.deepEqual(shuffled, report);
          }),
          { numRuns: 150 },
        );
      },
    );
  });
});
