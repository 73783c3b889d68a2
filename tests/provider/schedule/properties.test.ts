// Property-based checks of the day-walk expansion against independent oracles: cron-parser's own
// iteration, and brute force over materialised fire times.
import assert from "node:assert/strict";
import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import {
  analyzeSchedule,
  ANCHOR,
  nextRuns,
  retention,
  runsBetween,
  validateSchedule,
} from "../../../provider/schedule";
import { compilePattern } from "../../../provider/schedule/compile";

const HORIZON_END = new Date(Date.UTC(2032, 0, 1));

/** A field as a cron list item: `*`, `*`/n, n, a-b, a-b/n, or a list of distinct numbers. */
function fieldArb(min: number, max: number, opts: { star?: number; listMax?: number } = {}): fc.Arbitrary<string> {
  const num = fc.integer({ min, max });
  const range = fc.tuple(num, num).map(([a, b]) => (a <= b ? `${a}-${b}` : `${b}-${a}`));
  const step = fc.integer({ min: 1, max: Math.max(1, max - min) });
  return fc.oneof(
    { weight: opts.star ?? 3, arbitrary: fc.constant("*") },
    { weight: 1, arbitrary: step.map((n) => `*/${n}`) },
    { weight: 3, arbitrary: num.map(String) },
    { weight: 1, arbitrary: range },
    { weight: 1, arbitrary: fc.tuple(range, step).map(([r, n]) => `${r}/${n}`) },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(num, { minLength: 2, maxLength: opts.listMax ?? 4 }).map((xs) => xs.join(",")),
    },
  );
}

/** Mostly valid patterns: a single minute (several minutes an hour are too frequent by definition). */
const patternArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 59 }).map(String) },
      { weight: 1, arbitrary: fieldArb(0, 59, { star: 0, listMax: 2 }) },
    ),
    fieldArb(0, 23),
    fieldArb(1, 31, { star: 6 }),
    fieldArb(1, 12, { star: 6 }),
    fieldArb(0, 7, { star: 6 }),
  )
  .map((fields) => fields.join(" "));

const validPatternArb = patternArb.filter((p) => validateSchedule("crontab", p).length === 0);

/**
 * cron-parser 5 rejects duplicate list values that classic cron accepts, and day-of-week `0,7` names
 * Sunday twice; the oracle gets the same list with 7 folded into 0 (the meaning is unchanged).
 */
function oracleForm(pattern: string): string {
  const fields = pattern.split(" ");
  const dow = fields[4] ?? "*";
  if (/^\d+(,\d+)+$/.test(dow)) fields[4] = [...new Set(dow.split(",").map((d) => (d === "7" ? "0" : d)))].join(",");
  return fields.join(" ");
}

describe("schedule properties", function () {
  this.timeout(120_000);

  it("minGap <= maxGap, both within the horizon", () => {
    fc.assert(
      fc.property(validPatternArb, (pattern) => {
        const a = analyzeSchedule("crontab", pattern);
        if (a.minGap === null || a.maxGap === null) return;
        assert.ok(a.minGap.minutes >= 60 && a.minGap.minutes <= a.maxGap.minutes);
        assert.ok(a.maxGap.from >= ANCHOR && a.maxGap.to < HORIZON_END);
      }),
      { numRuns: 300 },
    );
  });

  it("look-back never shrinks as maxBackups grows, in both modes", () => {
    fc.assert(
      fc.property(
        validPatternArb,
        fc.integer({ min: 1, max: 89 }),
        fc.integer({ min: 1, max: 13 }),
        (pattern, n, f) => {
          const a = analyzeSchedule("crontab", pattern);
          const full = retention(a, "full", n);
          const fullMore = retention(a, "full", n + 1);
          assert.ok(
            fullMore.lookBackMinutes >= full.lookBackMinutes,
            `full ${n}: ${full.lookBackMinutes} > ${fullMore.lookBackMinutes}`,
          );
          assert.ok(fullMore.restorePoints > full.restorePoints);
          const freq = retention(a, "frequency", f);
          const freqMore = retention(a, "frequency", f + 1);
          assert.ok(freqMore.lookBackMinutes >= freq.lookBackMinutes);
          assert.equal(freqMore.restorePoints - freq.restorePoints, 7);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("day-walk fire times equal cron-parser's own iteration over a bounded window", () => {
    const start = fc.date({
      min: new Date(Date.UTC(2024, 0, 1)),
      max: new Date(Date.UTC(2031, 10, 1)),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(patternArb, start, fc.integer({ min: 1, max: 45 }), (pattern, from, days) => {
        // Only syntax matters here; too-frequent patterns have fire times too.
        fc.pre(validateSchedule("crontab", pattern).every((p) => p.code === "too-frequent"));
        const to = new Date(from.getTime() + days * 86_400_000);
        const ours = runsBetween(pattern, from, to).map((d) => d.getTime());
        const expression = CronExpressionParser.parse(oracleForm(pattern), {
          tz: "UTC",
          currentDate: from,
          endDate: to,
        });
        const theirs: number[] = [];
        while (expression.hasNext() && theirs.length <= ours.length + 1) theirs.push(expression.next().getTime());
        assert.deepEqual(
          ours,
          theirs.filter((t) => t > from.getTime() && t <= to.getTime()),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("the compiled rule is cron-parser's expansion of the same pattern (compile.ts reads our grammar's values)", () => {
    const mask = (values: readonly (number | string)[], fold = (v: number) => v): number =>
      values.reduce<number>((m, v) => (typeof v === "number" ? m | (1 << fold(v)) : m), 0);
    fc.assert(
      fc.property(patternArb, (pattern) => {
        const { compiled } = compilePattern(pattern);
        fc.pre(compiled !== undefined);
        const f = CronExpressionParser.parse(oracleForm(pattern), { tz: "UTC", currentDate: ANCHOR }).fields;
        const minutes = f.hour.values.flatMap((h) => f.minute.values.map((m) => Number(h) * 60 + Number(m)));
        assert.deepEqual(
          compiled.minutesOfDay,
          [...minutes].sort((a, b) => a - b),
          pattern,
        );
        assert.equal(compiled.rule.monthMask, mask(f.month.values), pattern);
        assert.equal(
          compiled.rule.dowMask,
          mask(f.dayOfWeek.values, (d) => (d === 7 ? 0 : d)),
          pattern,
        );
        // cron-parser drops the days a single chosen month lacks; the day walk never reaches such a day, so
        // the two must agree on the days the chosen months have (February counting 29).
        const longest = Math.max(
          ...f.month.values.map((m) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(m) - 1] ?? 31),
        );
        let existing = 0;
        for (let d = 1; d <= longest; d++) existing |= 1 << d;
        assert.equal(compiled.rule.domMask & existing, mask(f.dayOfMonth.values) & existing, pattern);
      }),
      { numRuns: 500 },
    );
  });

  it("nextRuns is strictly increasing, after `after`, and agrees with runsBetween", () => {
    const after = fc.date({
      min: new Date(Date.UTC(2000, 0, 1)),
      max: new Date(Date.UTC(2090, 0, 1)),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(validPatternArb, after, fc.integer({ min: 1, max: 20 }), (pattern, when, count) => {
        const runs = nextRuns(pattern, when, count);
        assert.equal(runs.length, count);
        let previous = when.getTime();
        for (const run of runs) {
          assert.ok(run.getTime() > previous);
          previous = run.getTime();
        }
        const last = runs[runs.length - 1];
        assert.ok(last !== undefined);
        assert.deepEqual(runsBetween(pattern, when, last), runs);
      }),
      { numRuns: 200 },
    );
  });

  it("validateSchedule never throws, and every problem it reports has a message and a concrete fix", () => {
    const token = fc.constantFrom(
      "*",
      "/",
      "-",
      ",",
      " ",
      "  ",
      "0",
      "1",
      "7",
      "12",
      "23",
      "29",
      "31",
      "59",
      "60",
      "99",
      "L",
      "W",
      "#",
      "?",
      "H",
      "MON",
      "jan",
      "@daily",
      "x",
      "\t",
    );
    const soup = fc.array(token, { maxLength: 20 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        fc.oneof(soup, fc.string({ maxLength: 30 }), patternArb),
        fc.constantFrom("crontab", "calendar", "other"),
        (pattern, type) => {
          const problems = validateSchedule(type, pattern);
          for (const p of problems) {
            assert.ok(p.message.length > 0 && /`[^`]+`/.test(p.fix), JSON.stringify(p));
            assert.ok(p.field === "schedule_type" || p.field === "schedule_pattern");
          }
          // Problems never come from cron-parser: our grammar must catch everything first.
          assert.ok(!problems.some((p) => p.message.includes("could not be parsed")), JSON.stringify(problems));
          assert.equal(
            problems.some((p) => p.field === "schedule_type"),
            type === "other",
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("gaps and look-back equal brute force over the materialised fire times", () => {
    fc.assert(
      fc.property(validPatternArb, fc.integer({ min: 1, max: 30 }), (pattern, keep) => {
        const inHorizon = runsBetween(pattern, new Date(ANCHOR.getTime() - 1), new Date(HORIZON_END.getTime() - 1)).map(
          (d) => d.getTime(),
        );
        const a = analyzeSchedule("crontab", pattern);
        const gaps = inHorizon.slice(1).map((t, i) => (t - (inHorizon[i] ?? 0)) / 60_000);
        assert.equal(a.minGap?.minutes, gaps.length === 0 ? undefined : Math.min(...gaps));
        assert.equal(a.maxGap?.minutes, gaps.length === 0 ? undefined : Math.max(...gaps));
        assert.equal(a.firesPerYear, inHorizon.length / 8);

        const lastInHorizon = inHorizon[inHorizon.length - 1];
        assert.ok(lastInHorizon !== undefined);
        const all = [...inHorizon, ...nextRuns(pattern, new Date(lastInHorizon), keep).map((d) => d.getTime())];
        let shortest = Infinity;
        for (let i = 0; i < inHorizon.length; i++)
          shortest = Math.min(shortest, ((all[i + keep - 1] ?? Infinity) - (all[i] ?? 0)) / 60_000);
        assert.equal(retention(a, "full", keep).lookBackMinutes, shortest);
      }),
      { numRuns: 60 },
    );
  });
});
