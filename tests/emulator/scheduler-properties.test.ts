// The scheduler's chain and retention rules as properties over the pure store (no HTTP).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { serviceRunsBetween as runsBetween } from "../../emulator/cron";
import type { BackupMode, PlanRecord } from "../../emulator/model";
import { advanceClock, deletionBlocker } from "../../emulator/scheduler";
import { Store } from "../../emulator/store";

const START = Date.parse("2026-03-02T00:00:00Z");
const DAY_MS = 24 * 3600 * 1000;

function planWith(mode: BackupMode, maxBackups: number, volumes: number): PlanRecord {
  return {
    id: randomUUID(),
    projectId: "p",
    createdAt: "2026-03-02T00:00:00Z",
    name: "prop",
    description: "",
    backupMode: mode,
    maxBackups,
    scheduleType: "crontab",
    schedulePattern: "0 2 * * *",
    resources: Array.from({ length: volumes }, (_, index) => ({
      id: `vol-${index}`,
      name: `volume-${index}`,
      type: "OS::Cinder::Volume",
    })),
    desiredStatus: "started",
    heldUntilMs: 0,
    goneAtMs: null,
    scheduledThrough: "2026-03-02T00:00:00Z",
    series: {},
  };
}

function run(mode: BackupMode, maxBackups: number, volumes: number, days: number): { store: Store; plan: PlanRecord } {
  const store = new Store(START);
  const plan = planWith(mode, maxBackups, volumes);
  store.addPlan(plan);
  // Advance in uneven steps: the outcome must not depend on how the clock was moved.
  let now = START;
  const end = START + days * DAY_MS;
  let step = 1;
  while (now < end) {
    now = Math.min(end, now + step * DAY_MS);
    advanceClock(store, now, { runsBetween, newId: randomUUID, protectingSeconds: 600, realNowMs: Date.now() });
    step = (step % 3) + 1;
  }
  return { store, plan };
}

describe("emulator: scheduler properties", () => {
  it("full mode keeps min(runs, max_backups) checkpoints, every item full and alone in its chain", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        (maxBackups, volumes, days) => {
          const { store, plan } = run("full", maxBackups, volumes, days);
          const kept = store.checkpointsOfPlan(plan.id);
          assert.equal(kept.length, Math.min(days, maxBackups));
          for (const checkpoint of kept) {
            assert.equal(checkpoint.items.length, volumes);
            for (const item of checkpoint.items) {
              assert.equal(item.isIncremental, false);
              assert.equal(store.chains.get(item.chainId)?.length, 1);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("frequency mode keeps the newest max_backups chains of 7 per volume, fulls at backups 1, 8, 15, ...", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 60 }),
        (maxBackups, volumes, days) => {
          const { store, plan } = run("frequency", maxBackups, volumes, days);
          const kept = store.checkpointsOfPlan(plan.id);
          const currentChain = Math.ceil(days / 7);
          const droppedChains = Math.max(0, currentChain - maxBackups);
          assert.equal(kept.length, days - droppedChains * 7);
          kept.forEach((checkpoint, index) => {
            const runNumber = droppedChains * 7 + index + 1; // 1-based
            for (const item of checkpoint.items)
              assert.equal(item.isIncremental, (runNumber - 1) % 7 !== 0, `run ${runNumber}`);
          });
          for (let volume = 0; volume < volumes; volume += 1) {
            const chains = new Set(kept.map((c) => c.items.find((i) => i.resource.id === `vol-${volume}`)?.chainId));
            assert.equal(chains.size, Math.min(currentChain, maxBackups));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("an available checkpoint can be deleted on its own exactly when it is the newest of its chain", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), (maxBackups, days) => {
        const { store, plan } = run("frequency", maxBackups, 1, days);
        const kept = store.checkpointsOfPlan(plan.id);
        // The clock stops 22 h after the last run: every backup is past its 10 min of protecting.
        assert.ok(kept.every((checkpoint) => checkpoint.items.every((item) => item.status === "available")));
        kept.forEach((checkpoint, index) => {
          const next = kept[index + 1];
          const newestOfChain = next === undefined || next.items[0]?.chainId !== checkpoint.items[0]?.chainId;
          assert.equal(deletionBlocker(store, checkpoint) === null, newestOfChain);
        });
      }),
      { numRuns: 40 },
    );
  });
});
