import assert from "node:assert/strict";
import { startMinutesOfDay, unionMaxGapMinutes, weeklySlots } from "../../../policy/core/runs";

describe("policy core: sampled runs", () => {
  it("merges schedules into the longest gap of their union", () => {
    assert.equal(unionMaxGapMinutes(["0 2 * * *"]), 1440);
    assert.equal(unionMaxGapMinutes(["0 0,12 * * *", "0 6,18 * * *"]), 360);
    assert.equal(unionMaxGapMinutes(["0 2 * * *", "0 2 * * *"]), 1440, "the same schedule twice adds nothing");
    assert.equal(unionMaxGapMinutes(["0 2 * * 1-5", "0 2 * * 0,6"]), 1440, "weekdays plus weekends make a daily plan");
    assert.equal(unionMaxGapMinutes(["0 2 * * 1-5", "30 2 * * *"]), 1440, "Friday 02:30 to Saturday 02:30");
    assert.equal(unionMaxGapMinutes(["0 2 * * *", "0 14 * * *"]), 720);
  });

  it("lists start times of the day and weekly slots", () => {
    assert.deepEqual(startMinutesOfDay("15 2,14 * * *"), [135, 855]);
    const weekly = weeklySlots("5 2 * * 1", 15);
    assert.deepEqual([...weekly.slots], [1 * 96 + 8]);
    assert.deepEqual([...weekly.minutesOfHour], [5]);
    assert.equal(weeklySlots("0 * * * *", 60).slots.length, 7 * 24);
  });

  it("samples patterns that skip the first five weeks at their next runs", () => {
    assert.deepEqual(startMinutesOfDay("45 3 1 6 *"), [225]);
  });
});
