import assert from "node:assert/strict";
import fc from "fast-check";
import { type Ordered, SortedList, compareOrdered, mergeOrdered, pageAfter } from "../../emulator/sorted";

const record = fc.record({
  id: fc.stringMatching(/^[a-f0-9]{4}$/),
  createdAt: fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "2026-01-02T00:00:00Z"),
});
const uniqueRecords = fc.uniqueArray(record, { selector: (r) => r.id, maxLength: 60 });

describe("emulator: ordered lists", () => {
  it("keeps created_at-then-id order whatever the insertion order, and removes exactly", () => {
    fc.assert(
      fc.property(uniqueRecords, fc.array(fc.nat()), (records, removals) => {
        const list = new SortedList<Ordered>();
        for (const r of records) list.insert(r);
        const expected = [...records].sort(compareOrdered);
        assert.deepEqual(list.all(), expected);
        const removed = new Set<string>();
        for (const index of removals) {
          const victim = expected[index % Math.max(1, expected.length)];
          if (victim === undefined) continue;
          assert.equal(list.remove(victim), !removed.has(victim.id));
          removed.add(victim.id);
        }
        assert.deepEqual(
          list.all(),
          expected.filter((r) => !removed.has(r.id)),
        );
      }),
    );
  });

  it("pages with an exclusive marker: the pages concatenate to the whole list", () => {
    fc.assert(
      fc.property(uniqueRecords, fc.integer({ min: 1, max: 7 }), (records, limit) => {
        const list = new SortedList<Ordered>();
        list.insertMany(records);
        const seen: Ordered[] = [];
        let marker: Ordered | undefined;
        for (;;) {
          const page = pageAfter(list.all(), marker, limit);
          assert.equal(page.total, records.length);
          if (page.items.length === 0) break;
          assert.ok(page.items.length <= limit);
          seen.push(...page.items);
          marker = page.items[page.items.length - 1];
        }
        assert.deepEqual(seen, [...records].sort(compareOrdered));
      }),
    );
  });

  it("merges ordered lists without duplicates", () => {
    fc.assert(
      fc.property(uniqueRecords, uniqueRecords, (a, b) => {
        const sortedA = [...a].sort(compareOrdered);
        const sortedB = [...b].filter((r) => !a.some((x) => x.id === r.id)).sort(compareOrdered);
        const merged = mergeOrdered([sortedA, sortedB, sortedA]);
        assert.deepEqual(merged, [...sortedA, ...sortedB].sort(compareOrdered));
      }),
    );
  });
});
