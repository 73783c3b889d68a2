import assert from "node:assert/strict";
import { validateSchedule, type ScheduleProblem } from "../../../provider/schedule";

function codes(problems: ScheduleProblem[]): string[] {
  return problems.map((p) => p.code);
}

function only(type: string, pattern: string): ScheduleProblem {
  const problems = validateSchedule(type, pattern);
  assert.equal(problems.length, 1, `expected one problem for \`${pattern}\`, got ${JSON.stringify(problems, null, 1)}`);
  const [p] = problems;
  assert.ok(p !== undefined);
  return p;
}

describe("validateSchedule", () => {
  describe("accepts", () => {
    const valid = [
      "0 * * * *",
      "0 */6 * * *",
      "0 2 * * *",
      "0 2 * * 1-5",
      "0 4 * * 0",
      "0 4 * * 7",
      "0 3 1 * *",
      "0 0 1 * 1",
      "0 0 29 2 *",
      "30 2 * * 1,3,5",
      "0 0 * * 0,7",
      "05 02 * * *",
      "0 0 1-31/40 * *",
      "  0\t2  *  *  * ",
      "15 9-17/2 * 1-6 1-5",
      "0 0 31 1-12 *",
      "0 12 * * */2",
      "1,1 2 * * *",
    ];
    for (const pattern of valid) {
      it(`crontab \`${pattern}\``, () => assert.deepEqual(validateSchedule("crontab", pattern), []));
    }
    for (const pattern of [
      "30 2 * * 1,3,5",
      "0 4 * * *",
      "0 4 * * 1-5",
      "59 23 * * 0,6",
      "0 4 * * 7",
      "0 4 * * 1-2,4",
    ]) {
      it(`calendar \`${pattern}\` (the weekly form)`, () =>
        assert.deepEqual(validateSchedule("calendar", pattern), []));
    }
  });

  describe("syntax", () => {
    const rows: [pattern: string, message: RegExp, fix: RegExp][] = [
      ["* * * *", /has 4 fields; a schedule has exactly 5/, /`\* \* \* \* \*`/],
      // Padding `MON` into the month field would suggest another invalid pattern: no guess then.
      ["0 2 * MON", /has 4 fields/, /^add the missing field, or start from `0 2 \* \* \*`/],
      ["0 0 2 * * *", /has 6 fields/, /drop the seconds field: `0 2 \* \* \*`/],
      ["", /empty/, /five fields/],
      ["   ", /empty/, /five fields/],
      ["0 0 * * MON", /names such as `MON` are not supported/, /`0 0 \* \* 1`/],
      ["0 0 * * MON-FRI", /names such as `MON-FRI`/, /`0 0 \* \* 1-5`/],
      ["0 0 1 JAN *", /names such as `JAN`/, /`0 0 1 1 \*`/],
      ["@daily", /macros such as `@daily` are not supported/, /`0 0 \* \* \*`/],
      ["@weekly", /macros/, /`0 0 \* \* 0`/],
      ["@reboot", /macros/, /five fields/],
      ["0 0 L * *", /^day-of-month field `L`: `L` \(last day\) is not supported$/, /`0 0 28 \* \*`/],
      ["0 0 1,L * *", /`L` \(last day\) in `L` is not supported/, /`0 0 28 \* \*`/],
      ["0 0 * * 5L", /`L`/, /`0 0 \* \* 0`/],
      ["0 0 15W * *", /`W` \(nearest weekday\) is not supported/, /`0 0 15 \* \*`/],
      ["0 0 1,15W * *", /`W` \(nearest weekday\) in `15W`/, /`0 0 1,15 \* \*`/],
      ["0 0 * * 1#2", /nth-weekday/, /every week/],
      ["0 0 ? * *", /`\?` is not supported/, /`0 0 \* \* \*`/],
      ["H 0 * * *", /hash form `H`/, /`17 0 \* \* \*`/],
      ["61 0 * * *", /minute field `61` is out of range 0-59/, /between 0 and 59, such as `59 0 \* \* \*`/],
      ["0 24 * * *", /hour field `24` is out of range 0-23/, /`0 23 \* \* \*`/],
      ["0 0 0 * *", /day-of-month field `0` is out of range 1-31/, /`0 0 1 \* \*`/],
      ["0 0 32 * *", /day-of-month field `32` is out of range 1-31/, /`0 0 31 \* \*`/],
      ["0 0 * 13 *", /month field `13` is out of range 1-12/, /`0 0 \* 12 \*`/],
      ["0 0 * 0 *", /month field `0` is out of range 1-12/, /`0 0 \* 1 \*`/],
      ["0 0 * * 8", /day-of-week field `8` is out of range 0-7/, /`0 0 \* \* 7`/],
      ["0 0 * * 1-9", /day-of-week field `9` is out of range 0-7 \(in `1-9`\)/, /0 and 7/],
      ["5/15 * * * *", /step needs a range or `\*`/, /`5-59\/15`/],
      ["*/0 * * * *", /step `\/0` must be at least 1/, /step of 1 or more/],
      ["0 5-2 * * *", /range `5-2` runs backwards/, /`2-5`/],
      ["0 1,,2 * * *", /empty list element/, /commas/],
      ["0 -1 * * *", /not a number, range/, /between 0 and 23/],
      ["0 1.5 * * *", /not a number, range/, /between 0 and 23/],
      ["0 0 * * 1-5,", /empty list element/, /commas/],
    ];
    for (const [pattern, message, fix] of rows) {
      it(`rejects \`${pattern}\``, () => {
        const p = only("crontab", pattern);
        assert.equal(p.field, "schedule_pattern");
        assert.equal(p.code, "syntax");
        assert.match(p.message, message);
        assert.match(p.fix, fix);
      });
    }

    it("reports a problem per bad field, all at once", () => {
      const problems = validateSchedule("crontab", "61 24 0 13 8");
      assert.deepEqual(codes(problems), ["syntax", "syntax", "syntax", "syntax", "syntax"]);
      for (const [i, field] of ["minute", "hour", "day-of-month", "month", "day-of-week"].entries()) {
        assert.match(problems[i]?.message ?? "", new RegExp(`^${field} field`));
      }
    });
  });

  describe("never fires", () => {
    for (const [pattern, fix] of [
      ["0 0 30 2 *", /`0 0 29 2 \*`/],
      ["0 0 31 4,6,9,11 *", /`0 0 30 4,6,9,11 \*`/],
      ["0 0 30,31 2 *", /`0 0 29 2 \*`/],
    ] as const) {
      it(`\`${pattern}\``, () => {
        const p = only("crontab", pattern);
        assert.equal(p.code, "never-fires");
        assert.match(p.message, /never fires/);
        assert.match(p.fix, fix);
      });
    }
    it("a calendar pattern that never fires also hears what breaks the weekly form, at once", () => {
      const codes = validateSchedule("calendar", "0 0 30 2 *").map((p) => p.code);
      assert.deepEqual(codes, ["never-fires", "calendar-form", "calendar-form"]);
    });
    it("with a weekday as well, the union fires every week", () => {
      assert.deepEqual(validateSchedule("crontab", "0 0 30 2 1"), []);
    });
    it("Feb 29 fires (in leap years)", () => {
      assert.deepEqual(validateSchedule("crontab", "0 0 29 2 *"), []);
    });
  });

  describe("too frequent (at most one run an hour)", () => {
    for (const [pattern, minutes, fix] of [
      ["*/30 * * * *", 30, "0 * * * *"],
      ["0,30 * * * *", 30, "0 * * * *"],
      ["* * * * *", 1, "0 * * * *"],
      ["0,59 0,23 * * *", 1, "0 0,23 * * *"],
      ["*/15 2 * * 1-5", 15, "0 2 * * 1-5"],
    ] as const) {
      it(`\`${pattern}\`: ${minutes} min apart`, () => {
        const p = only("crontab", pattern);
        assert.equal(p.code, "too-frequent");
        assert.match(p.message, new RegExp(`runs ${minutes} min apart`));
        assert.match(p.message, /at most one run an hour/);
        assert.ok(p.fix.includes(`\`${fix}\``), p.fix);
        assert.deepEqual(validateSchedule("crontab", fix), []);
      });
    }
    it("a 23:30 -> 00:20 wrap across midnight is caught", () => {
      assert.equal(only("crontab", "20,30 0,23 * * *").code, "too-frequent");
    });
    it("exactly 60 minutes is fine", () => assert.deepEqual(validateSchedule("crontab", "0 * * * *"), []));
  });

  describe("calendar form", () => {
    const rejected: [pattern: string, count: number, message: RegExp][] = [
      ["0 */6 * * *", 1, /hour field `\*\/6` is not a single hour/],
      ["*/60 2 * * *", 1, /minute field `\*\/60` is not a single minute/],
      ["0 2 1 * *", 1, /day-of-month field must be `\*`, not `1`/],
      ["0 2 * 1 *", 1, /month field must be `\*`, not `1`/],
      ["0 2 * * 1-5/2", 1, /day-of-week field `1-5\/2` uses a step/],
      ["0 2 * * */2", 1, /uses a step/],
      ["0 2-4 1 * *", 2, /hour field/],
    ];
    for (const [pattern, count, message] of rejected) {
      it(`rejects \`${pattern}\``, () => {
        const problems = validateSchedule("calendar", pattern);
        assert.equal(problems.length, count, JSON.stringify(problems));
        assert.ok(problems.every((p) => p.code === "calendar-form" && p.field === "schedule_pattern"));
        assert.match(problems[0]?.message ?? "", message);
        assert.ok(problems.every((p) => /schedule_type to `crontab`/.test(p.fix)));
        assert.deepEqual(validateSchedule("crontab", pattern), []);
      });
    }
    it("suggests the weekly form built from the pattern", () => {
      const p = only("calendar", "0 2 * * 1-5/2");
      assert.match(p.fix, /`0 2 \* \* 1,3,5`/);
    });
  });

  describe("schedule type", () => {
    it("non-string inputs from plain JavaScript are problems, not crashes", () => {
      const problems = validateSchedule(undefined as unknown as string, 7 as unknown as string);
      assert.deepEqual(
        problems.map((p) => [p.field, p.code]),
        [
          ["schedule_type", "type"],
          ["schedule_pattern", "syntax"],
        ],
      );
      assert.match(problems[0]?.message ?? "", /must be a string, got nothing/);
      assert.match(problems[1]?.message ?? "", /must be a string, got the number/);
    });

    it("an unknown type is a problem on schedule_type, and the pattern is still checked", () => {
      const problems = validateSchedule("cron", "61 2 * * *");
      assert.deepEqual(
        problems.map((p) => [p.field, p.code]),
        [
          ["schedule_type", "type"],
          ["schedule_pattern", "syntax"],
        ],
      );
      assert.match(problems[0]?.message ?? "", /schedule_type `cron` is not supported/);
      assert.match(problems[0]?.fix ?? "", /`crontab`.*`calendar`/);
    });
  });

  it("every problem names what is wrong and a fix", () => {
    for (const pattern of ["* * * *", "0 0 30 2 *", "*/30 * * * *", "0 0 * * MON", "x y z w v"]) {
      for (const p of validateSchedule("calendar", pattern)) {
        assert.ok(p.message.length > 10 && p.fix.length > 10, JSON.stringify(p));
        assert.match(p.fix, /`[^`]+`/, "the fix shows something concrete to write");
      }
    }
  });
});
