import assert from "node:assert/strict";
import {
  analyzeSchedule,
  ANCHOR,
  CHAIN_LENGTH,
  retention,
  ScheduleError,
  type ScheduleAnalysis,
} from "../../../provider/schedule";

const HOUR = 60;
const DAY = 24 * HOUR;

function iso(d: Date | undefined): string | undefined {
  return d?.toISOString();
}

describe("schedule analysis: gaps against hand-computed values", () => {
  interface Row {
    pattern: string;
    minGap: number;
    maxGap: number;
    maxGapFrom?: string;
    firesPerYear?: number;
    weekdays?: number[];
  }
  const rows: Row[] = [
    { pattern: "0 * * * *", minGap: HOUR, maxGap: HOUR, firesPerYear: 8766, weekdays: [0, 1, 2, 3, 4, 5, 6] },
    { pattern: "0 */6 * * *", minGap: 6 * HOUR, maxGap: 6 * HOUR, firesPerYear: 4 * 365.25 },
    { pattern: "0 2 * * *", minGap: DAY, maxGap: DAY, firesPerYear: 365.25 },
    // Friday 2024-01-05 02:00 to Monday 2024-01-08 02:00.
    {
      pattern: "0 2 * * 1-5",
      minGap: DAY,
      maxGap: 3 * DAY,
      maxGapFrom: "2024-01-05T02:00:00.000Z",
      weekdays: [1, 2, 3, 4, 5],
    },
    { pattern: "0 4 * * 0", minGap: 7 * DAY, maxGap: 7 * DAY, maxGapFrom: "2024-01-07T04:00:00.000Z", weekdays: [0] },
    { pattern: "0 4 * * 7", minGap: 7 * DAY, maxGap: 7 * DAY, weekdays: [0] },
    // February of a common year (28 days) to a 31-day month; the first 31-day month is January 2024.
    {
      pattern: "0 3 1 * *",
      minGap: 28 * DAY,
      maxGap: 31 * DAY,
      maxGapFrom: "2024-01-01T03:00:00.000Z",
      firesPerYear: 12,
    },
    // Union: every Monday plus the 1st. Sep 30 2024 (Mon) then Oct 1 (Tue): 1 day; Mondays alone: 7 days.
    { pattern: "0 0 1 * 1", minGap: DAY, maxGap: 7 * DAY },
    // Feb 29 2024 to Feb 29 2028: 1461 days.
    {
      pattern: "0 0 29 2 *",
      minGap: 1461 * DAY,
      maxGap: 1461 * DAY,
      maxGapFrom: "2024-02-29T00:00:00.000Z",
      firesPerYear: 0.25,
    },
    // Twice a day, unevenly: 02:00 -> 14:00 is 12 h, 14:00 -> 02:00 is 12 h too; 01:00/05:00: 4 h and 20 h.
    { pattern: "0 1,5 * * *", minGap: 4 * HOUR, maxGap: 20 * HOUR },
    // Yearly: 2024 is a leap year, so Jan 1 2024 -> Jan 1 2025 is 366 days, then 365.
    {
      pattern: "0 0 1 1 *",
      minGap: 365 * DAY,
      maxGap: 366 * DAY,
      maxGapFrom: "2024-01-01T00:00:00.000Z",
      firesPerYear: 1,
    },
    // Hourly during office hours on weekdays: Friday 17:00 -> Monday 09:00 = 64 h.
    { pattern: "0 9-17 * * 1-5", minGap: HOUR, maxGap: 64 * HOUR, maxGapFrom: "2024-01-05T17:00:00.000Z" },
  ];
  for (const row of rows) {
    it(`${row.pattern}: min ${row.minGap} min, max ${row.maxGap} min`, () => {
      const a = analyzeSchedule("crontab", row.pattern);
      assert.equal(a.minGap?.minutes, row.minGap);
      assert.equal(a.maxGap?.minutes, row.maxGap);
      if (row.maxGapFrom !== undefined) assert.equal(iso(a.maxGap?.from), row.maxGapFrom);
      if (row.firesPerYear !== undefined) assert.equal(a.firesPerYear, row.firesPerYear);
      if (row.weekdays !== undefined) assert.deepEqual(a.weekdays, row.weekdays);
      assert.equal((a.maxGap?.to.getTime() ?? 0) - (a.maxGap?.from.getTime() ?? 0), row.maxGap * 60_000);
    });
  }

  it("starts at the fixed anchor, never at the current time", () => {
    assert.equal(ANCHOR.toISOString(), "2024-01-01T00:00:00.000Z");
    assert.equal(iso(analyzeSchedule("crontab", "0 * * * *").minGap?.from), "2024-01-01T00:00:00.000Z");
  });

  it("caches per (type, pattern) and returns frozen analyses", () => {
    const a = analyzeSchedule("crontab", "17 3 * * *");
    assert.equal(analyzeSchedule("crontab", "17 3 * * *"), a);
    assert.ok(Object.isFrozen(a));
    const calendar = analyzeSchedule("calendar", "17 3 * * *");
    assert.equal(calendar.type, "calendar");
    assert.notEqual(calendar, a);
  });

  it("throws ScheduleError carrying every problem", () => {
    assert.throws(
      () => analyzeSchedule("calendar", "*/30 */6 1 * *"),
      (err: unknown) => {
        assert.ok(err instanceof ScheduleError);
        const codes = err.problems.map((p) => p.code).sort();
        assert.deepEqual(codes, ["calendar-form", "calendar-form", "calendar-form", "too-frequent"]);
        assert.match(err.message, /\*\/30 \*\/6 1 \* \*/);
        return true;
      },
    );
  });

  it("names the weekdays it fires on, so messages can say weekday-only", () => {
    assert.deepEqual(analyzeSchedule("crontab", "0 2 * * 1-5").weekdays, [1, 2, 3, 4, 5]);
    assert.deepEqual(analyzeSchedule("crontab", "0 2 13 * *").weekdays, [0, 1, 2, 3, 4, 5, 6]);
  });
});

describe("schedule analysis: descriptions", () => {
  const rows: [string, string][] = [
    ["0 2 * * *", "daily at 02:00 UTC"],
    ["0 2 * * 1-5", "weekdays (Mon-Fri) at 02:00 UTC"],
    ["0 */6 * * *", "every 6 h"],
    ["0 * * * *", "every hour"],
    ["15 * * * *", "every hour at :15"],
    ["30 1-23/6 * * *", "every 6 h from 01:30 UTC"],
    ["0 4 * * 0", "Sundays at 04:00 UTC"],
    ["0 4 * * 7", "Sundays at 04:00 UTC"],
    ["0 6 * * 0,6", "weekends (Sat-Sun) at 06:00 UTC"],
    ["30 2 * * 1,3,5", "Mon, Wed and Fri at 02:30 UTC"],
    ["0 2 * * 0,5,6", "Sun, Fri and Sat at 02:00 UTC"],
    ["0 2 * * 1-3,5", "Mon-Wed and Fri at 02:00 UTC"],
    ["0 2 * * 1-6", "Mon-Sat at 02:00 UTC"],
    ["0 2 1,2,3,10 * *", "on days 1-3 and 10 of each month at 02:00 UTC"],
    ["0 */6 * * 1-5", "every 6 h on weekdays (Mon-Fri)"],
    ["0 */4 1 * *", "every 4 h on day 1 of each month"],
    ["0 3 1 * *", "on day 1 of each month at 03:00 UTC"],
    ["0 3 1,15 * *", "on days 1 and 15 of each month at 03:00 UTC"],
    ["0 0 29 2 *", "on Feb 29 (leap years only) at 00:00 UTC"],
    ["0 0 1 1 *", "yearly on Jan 1 at 00:00 UTC"],
    ["0 0 1 * 0-6", "daily at 00:00 UTC"],
    ["0 0 1-31 * 1", "daily at 00:00 UTC"],
    ["0 0 1-31 * *", "daily at 00:00 UTC"],
    ["0 0 * * 0-7", "daily at 00:00 UTC"],
    ["0 0 1 * 1", "on day 1 of each month and on Mondays at 00:00 UTC"],
    ["0 1,5 * * *", "daily at 01:00 and 05:00 UTC"],
    ["0 9-17 * * 1-5", "every hour from 09:00 to 17:00 UTC on weekdays (Mon-Fri)"],
    ["0 2 * 1,7 *", "daily in Jan and Jul at 02:00 UTC"],
    ["0 0,1,3,7,15 * * *", "daily, 5 times between 00:00 and 15:00 UTC"],
  ];
  for (const [pattern, text] of rows) {
    it(`${pattern} -> ${text}`, () => assert.equal(analyzeSchedule("crontab", pattern).description, text));
  }
});

describe("retention", () => {
  const daily = (): ScheduleAnalysis => analyzeSchedule("crontab", "0 2 * * *");

  it("full mode: N backups cover N-1 gaps (daily, 7 backups -> 6 days)", () => {
    assert.deepEqual(retention(daily(), "full", 7), { restorePoints: 7, lookBackMinutes: 6 * DAY });
  });

  it("full mode: one backup reaches back nowhere", () => {
    assert.deepEqual(retention(daily(), "full", 1), { restorePoints: 1, lookBackMinutes: 0 });
  });

  it("frequency mode: F chains minus the one being rotated, (F-1)*7+1 runs", () => {
    assert.equal(CHAIN_LENGTH, 7);
    assert.deepEqual(retention(daily(), "frequency", 2), { restorePoints: 8, lookBackMinutes: 7 * DAY });
    assert.deepEqual(retention(daily(), "frequency", 1), { restorePoints: 1, lookBackMinutes: 0 });
    assert.deepEqual(retention(daily(), "frequency", 14), { restorePoints: 92, lookBackMinutes: 91 * DAY });
  });

  it("full mode takes the worst window: weekday-only with 5 backups spans Thu..Mon = 4 days, not 7", () => {
    // Any 5 consecutive weekday runs cover exactly one weekend except Mon..Fri (4 days).
    assert.deepEqual(retention(analyzeSchedule("crontab", "0 2 * * 1-5"), "full", 5), {
      restorePoints: 5,
      lookBackMinutes: 4 * DAY,
    });
    // 6 runs always include a weekend: Mon..Mon = 7 days, Tue..Tue, ...: 7 days.
    assert.equal(retention(analyzeSchedule("crontab", "0 2 * * 1-5"), "full", 6).lookBackMinutes, 7 * DAY);
  });

  it("hourly: 24 backups reach back 23 h; several runs a day wrap across days correctly", () => {
    assert.equal(retention(analyzeSchedule("crontab", "0 * * * *"), "full", 24).lookBackMinutes, 23 * HOUR);
    // 01:00 and 05:00 daily: 3 runs are 01,05,01(+1d) = 24 h or 05,01,05 = 24 h.
    assert.equal(retention(analyzeSchedule("crontab", "0 1,5 * * *"), "full", 3).lookBackMinutes, DAY);
    // 4 runs: 01,05,01,05 = 28 h; 05,01,05,01 = 44 h: the minimum is 28 h.
    assert.equal(retention(analyzeSchedule("crontab", "0 1,5 * * *"), "full", 4).lookBackMinutes, 28 * HOUR);
  });

  it("monthly: 3 backups, shortest two consecutive months (Feb + a 30/31 day month)", () => {
    // Jan 1 -> Mar 1 2025 = 31 + 28 = 59 days; Feb 1 -> Apr 1 2025 = 28 + 31 = 59 days.
    assert.equal(retention(analyzeSchedule("crontab", "0 3 1 * *"), "full", 3).lookBackMinutes, 59 * DAY);
  });

  it("extends past the horizon when more runs are kept than the horizon holds (Feb 29, 90 backups)", () => {
    const leap = analyzeSchedule("crontab", "0 0 29 2 *");
    const r = retention(leap, "full", 3);
    assert.equal(r.lookBackMinutes, 2922 * DAY); // 2024 -> 2032: two 4-year gaps
    // 2096 -> 2104 skips 2100 (not a leap year): somewhere in any 90 consecutive leap days.
    const long = retention(leap, "full", 90);
    assert.ok(long.lookBackMinutes >= 89 * 1461 * DAY, `look-back ${long.lookBackMinutes}`);
  });

  it("works on a copy of an analysis (not the cached object)", () => {
    const copy = { ...daily() };
    assert.deepEqual(retention(copy, "full", 7), { restorePoints: 7, lookBackMinutes: 6 * DAY });
  });

  it("rejects a maxBackups that is not a positive integer, and unknown modes", () => {
    assert.throws(() => retention(daily(), "full", 0), RangeError);
    assert.throws(() => retention(daily(), "full", 2.5), RangeError);
    assert.throws(() => retention(daily(), "full", Number.NaN), RangeError);
    assert.throws(() => retention(daily(), "incremental" as "full", 3), RangeError);
  });
});
