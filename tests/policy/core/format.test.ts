import assert from "node:assert/strict";
import {
  formatDays,
  formatMinutes,
  listFirst,
  listWords,
  smallestWords,
  spreadMinute,
  weekdayNote,
} from "../../../policy/core/format";
import { isProductionStack } from "../../../policy/core/environment";

describe("policy core: message pieces", () => {
  it("says durations in plain units", () => {
    assert.equal(formatMinutes(45), "45 min");
    assert.equal(formatMinutes(90), "1.5 h");
    assert.equal(formatMinutes(4350), "72.5 h");
    assert.equal(formatDays(8640), "6 days");
    assert.equal(formatDays(1440), "1 day");
  });

  it("names the days a schedule skips, Monday first", () => {
    assert.equal(weekdayNote([1, 2, 3, 4, 5]), "weekday-only schedule");
    assert.equal(weekdayNote([0, 6]), "weekend-only schedule");
    assert.equal(weekdayNote([0, 1, 2, 3, 4, 5, 6]), undefined);
    assert.equal(weekdayNote([1, 3, 5]), "no runs on Tuesday, Thursday, Saturday and Sunday");
  });

  it("lists words and cuts long lists", () => {
    assert.equal(listWords(["a"]), "a");
    assert.equal(listWords(["a", "b", "c"]), "a, b and c");
    assert.equal(listWords(["a", "b", "c", "d"], 2), "a, b and 2 more");
  });

  it("spreads minutes stably over the hour", () => {
    const minutes = new Set(Array.from({ length: 200 }, (_, i) => spreadMinute(`plan-${i}`)));
    assert.ok(minutes.size > 40, `200 names should land on many minutes, got ${minutes.size}`);
    assert.ok([...minutes].every((m) => Number.isInteger(m) && m >= 0 && m < 60));
  });

  it("tells production stacks by tag or name", () => {
    const rule = {
      productionTagKeys: ["environment"],
      productionTagValues: ["prod"],
      productionStackPattern: "(^|[-_.])prod(uction)?$",
    };
    assert.equal(isProductionStack(rule, new Map(), "urn:pulumi:eu-prod::p::t::n"), true);
    assert.equal(isProductionStack(rule, new Map(), "urn:pulumi:product-dev::p::t::n"), false);
    assert.equal(isProductionStack(rule, new Map([["environment", "PROD"]]), "urn:pulumi:blue::p::t::n"), true);
  });

  it("lists the head of a long list as listWords does, from only the words shown", () => {
    const words = Array.from({ length: 40 }, (_, i) => `plan-${(i * 7919) % 40}`);
    for (const max of [1, 3, 6, 40, 50]) {
      assert.equal(listFirst(words.slice(0, max), words.length, max), listWords(words, max));
    }
    assert.equal(listFirst([], 0), listWords([]));
  });

  it("picks the smallest words in sort() order, duplicates and code-unit order included", () => {
    const words = ["b", "a_", "a", "B", "a", "é", "Z", "a`", "10", "9", "b"];
    for (const count of [1, 3, 6, words.length, words.length + 2]) {
      assert.deepEqual(smallestWords(words, count), [...words].sort().slice(0, count));
    }
  });
});
