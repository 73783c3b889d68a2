// Backup faults: scheduled runs of a named plan fail (items end `error`) or are skipped, by rate and times,
// replayably for a seed, and other plans run normally.
import assert from "node:assert/strict";
import { advance, allCheckpoints, call, createPlan, DAY, items, obj, VOLUME_B } from "./helpers";
import { useEmulator } from "./helpers";

describe("emulator: backup faults (scheduled runs fail or are skipped)", () => {
  const ctx = useEmulator();
  const token = (): string => ctx.emu().token;
  const setFaults = async (faults: unknown): Promise<Record<string, unknown>> => {
    const reply = await call("PUT", ctx.admin("faults"), { body: faults });
    assert.equal(reply.status, 200, reply.text);
    return obj(reply.body);
  };
  const statusesOf = async (planName: string): Promise<string[]> =>
    (await allCheckpoints(ctx.checkpoints(), token(), `?plan_name=${planName}`)).map((c) =>
      String(items(c)[0]?.status),
    );

  it("makes every run of the named plan end `error` (after protecting), and leaves other plans alone", async () => {
    await createPlan(ctx.plans(), token(), { name: "failing", max_backups: 10 });
    await createPlan(ctx.plans(), token(), { name: "fine", max_backups: 10, resources: [VOLUME_B] });
    const described = await setFaults({ backups: [{ plan: "failing", outcome: "error", times: 2 }] });
    assert.deepEqual(described.backupsRemaining, [2]);
    await advance(ctx.emu().admin, 3 * DAY);
    assert.deepEqual(
      await statusesOf("failing"),
      ["error", "error", "available"],
      "two runs failed, then the rule was spent",
    );
    assert.deepEqual(await statusesOf("fine"), ["available", "available", "available"]);
    const checkpoint = (await allCheckpoints(ctx.checkpoints(), token(), "?plan_name=failing"))[0]!;
    assert.equal(checkpoint.status, "error", "a checkpoint whose items failed answers `error`");
    assert.deepEqual(obj((await call("GET", ctx.admin("faults"))).body).backupsRemaining, [0]);
  });

  it("shows a failing backup as protecting until its protecting time is over", async () => {
    await setFaults({ protectingSeconds: 3600, backups: [{ plan: "failing", outcome: "error" }] });
    await createPlan(ctx.plans(), token(), { name: "failing" });
    await advance(ctx.emu().admin, 2 * 3600 + 60); // the 02:00 run, 1 min in
    assert.deepEqual(await statusesOf("failing"), ["protecting"]);
    await advance(ctx.emu().admin, 3600);
    assert.deepEqual(await statusesOf("failing"), ["error"]);
  });

  it("skips runs: no checkpoint at all, and no retention pass", async () => {
    await createPlan(ctx.plans(), token(), { name: "stalled", max_backups: 2 });
    await advance(ctx.emu().admin, 2 * DAY);
    await setFaults({ backups: [{ plan: "stalled", outcome: "skip" }] });
    await advance(ctx.emu().admin, 3 * DAY);
    const kept = await allCheckpoints(ctx.checkpoints(), token(), "?plan_name=stalled");
    assert.deepEqual(
      kept.map((c) => c.created_at),
      ["2026-01-05T02:00:00Z", "2026-01-06T02:00:00Z"],
      "the last two runs before the fault are all there is",
    );
  });

  it("hits by rate, replayably for the same seed", async () => {
    const run = async (): Promise<string[]> => {
      await call("POST", ctx.admin("reset"));
      await createPlan(ctx.plans(), token(), { name: "flaky", max_backups: 30, schedule_pattern: "0 * * * *" });
      await setFaults({ seed: 7, backups: [{ plan: "flaky", outcome: "error", rate: 0.5 }] });
      await advance(ctx.emu().admin, DAY);
      return statusesOf("flaky");
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    const failed = first.filter((s) => s === "error").length;
    assert.ok(failed > 3 && failed < 21, `about half of 24 runs fail, got ${failed}`);
  });

  it("rejects a malformed rule with a 422 naming the field", async () => {
    const reply = await call("PUT", ctx.admin("faults"), { body: { backups: [{ plan: "x", outcome: "explode" }] } });
    assert.equal(reply.status, 422);
    assert.match(reply.text, /backups/);
    assert.match(reply.text, /outcome/);
  });
});
