import assert from "node:assert/strict";
import { CronExpressionParser } from "cron-parser";
import { nextRuns, runsBetween, ScheduleError } from "../../../provider/schedule";

const at = (s: string): Date => new Date(s);
const isoList = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe("nextRuns", () => {
  it("returns the next fire times strictly after `after`", () => {
    assert.deepEqual(isoList(nextRuns("0 2 * * *", at("2024-03-10T02:00:00Z"), 3)), [
      "2024-03-11T02:00:00.000Z",
      "2024-03-12T02:00:00.000Z",
      "2024-03-13T02:00:00.000Z",
    ]);
    assert.deepEqual(isoList(nextRuns("0 2 * * *", at("2024-03-10T01:59:59.999Z"), 1)), ["2024-03-10T02:00:00.000Z"]);
  });

  it("honours the day-of-month OR day-of-week rule when both are restricted", () => {
    // 2024-01-01 is a Monday and the 1st; after it: Mondays Jan 8..29, then Thursday Feb 1 (the 1st).
    assert.deepEqual(isoList(nextRuns("0 0 1 * 1", at("2024-01-01T00:00:00Z"), 6)), [
      "2024-01-08T00:00:00.000Z",
      "2024-01-15T00:00:00.000Z",
      "2024-01-22T00:00:00.000Z",
      "2024-01-29T00:00:00.000Z",
      "2024-02-01T00:00:00.000Z",
      "2024-02-05T00:00:00.000Z",
    ]);
  });

  it("matches what cron-parser 5 does with a restricted day-of-month and day-of-week (verified, not assumed)", () => {
    // cron-parser 5.10 ORs the two fields whenever neither is literally `*` (so `*/1` counts as restricted,
    // unlike Vixie cron's "starts with *" rule); the API reference says the same.
    // If an upgrade changes that, this fails.
    for (const pattern of ["0 0 1 * 1", "0 0 */2 * 1", "0 0 1-7 * 5"]) {
      const expression = CronExpressionParser.parse(pattern, { tz: "UTC", currentDate: at("2024-01-01T00:00:00Z") });
      const theirs = expression.take(12).map((d) => d.toISOString());
      assert.deepEqual(isoList(nextRuns(pattern, at("2024-01-01T00:00:00Z"), 12)), theirs, pattern);
    }
  });

  it("treats day-of-week 7 as Sunday", () => {
    assert.deepEqual(isoList(nextRuns("0 4 * * 7", at("2024-01-01T00:00:00Z"), 2)), [
      "2024-01-07T04:00:00.000Z",
      "2024-01-14T04:00:00.000Z",
    ]);
    assert.deepEqual(
      nextRuns("0 4 * * 7", at("2024-01-01T00:00:00Z"), 5),
      nextRuns("0 4 * * 0", at("2024-01-01T00:00:00Z"), 5),
    );
  });

  it("finds Feb 29 across the non-leap year 2100", () => {
    assert.deepEqual(isoList(nextRuns("0 0 29 2 *", at("2096-03-01T00:00:00Z"), 1)), ["2104-02-29T00:00:00.000Z"]);
  });

  it("works before the anchor and far after it (it is not limited to the analysis horizon)", () => {
    assert.deepEqual(isoList(nextRuns("30 6 * * *", at("1999-12-31T23:00:00Z"), 1)), ["2000-01-01T06:30:00.000Z"]);
    assert.deepEqual(isoList(nextRuns("0 0 1 1 *", at("2200-06-01T00:00:00Z"), 1)), ["2201-01-01T00:00:00.000Z"]);
  });

  it("stops at the end of representable time instead of producing invalid Dates", () => {
    const runs = nextRuns("0 0 1 1 *", at("+275759-06-01T00:00:00Z"), 3);
    assert.deepEqual(isoList(runs), ["+275760-01-01T00:00:00.000Z"]);
  });

  it("returns nothing for a pattern that never fires, and for count 0", () => {
    assert.deepEqual(nextRuns("0 0 30 2 *", at("2024-01-01T00:00:00Z"), 5), []);
    assert.deepEqual(nextRuns("0 2 * * *", at("2024-01-01T00:00:00Z"), 0), []);
  });

  it("still lists runs of a too-frequent pattern (it only needs valid syntax)", () => {
    assert.equal(nextRuns("*/30 * * * *", at("2024-01-01T00:00:00Z"), 4).length, 4);
  });

  it("throws ScheduleError on bad syntax and RangeError on bad arguments", () => {
    assert.throws(() => nextRuns("0 0 * * MON", at("2024-01-01T00:00:00Z"), 1), ScheduleError);
    assert.throws(() => nextRuns("0 2 * * *", new Date(Number.NaN), 1), RangeError);
    assert.throws(() => nextRuns("0 2 * * *", at("2024-01-01T00:00:00Z"), -1), RangeError);
    assert.throws(() => nextRuns("0 2 * * *", at("2024-01-01T00:00:00Z"), 1.5), RangeError);
  });
});

describe("runsBetween", () => {
  it("returns every fire time in (from, to]", () => {
    assert.deepEqual(isoList(runsBetween("0 */6 * * *", at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"))), [
      "2024-01-01T06:00:00.000Z",
      "2024-01-01T12:00:00.000Z",
      "2024-01-01T18:00:00.000Z",
      "2024-01-02T00:00:00.000Z",
    ]);
  });

  it("includes a run exactly at `to`, excludes one exactly at `from`, honours sub-minute bounds", () => {
    assert.deepEqual(isoList(runsBetween("0 2 * * *", at("2024-01-01T02:00:00Z"), at("2024-01-02T02:00:00Z"))), [
      "2024-01-02T02:00:00.000Z",
    ]);
    assert.deepEqual(isoList(runsBetween("0 2 * * *", at("2024-01-01T01:59:30Z"), at("2024-01-01T02:00:30Z"))), [
      "2024-01-01T02:00:00.000Z",
    ]);
    assert.deepEqual(runsBetween("0 2 * * *", at("2024-01-01T02:00:30Z"), at("2024-01-02T01:59:59Z")), []);
  });

  it("is empty for an empty or reversed interval", () => {
    assert.deepEqual(runsBetween("0 * * * *", at("2024-01-02T00:00:00Z"), at("2024-01-01T00:00:00Z")), []);
    assert.deepEqual(runsBetween("0 * * * *", at("2024-01-01T00:00:00Z"), at("2024-01-01T00:00:00Z")), []);
  });

  it("counts a weekday-only schedule over a week", () => {
    // Monday 2024-01-01 00:00 to Monday 2024-01-08 00:00: Mon..Fri at 02:00.
    assert.equal(runsBetween("0 2 * * 1-5", at("2024-01-01T00:00:00Z"), at("2024-01-08T00:00:00Z")).length, 5);
  });

  it("spans a long range without a per-day Date", () => {
    const hourlyYear = runsBetween("0 * * * *", at("2024-01-01T00:00:00Z"), at("2025-01-01T00:00:00Z"));
    assert.equal(hourlyYear.length, 366 * 24);
  });

  it("throws ScheduleError on bad syntax", () => {
    assert.throws(() => runsBetween("@hourly", at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z")), ScheduleError);
  });
});
