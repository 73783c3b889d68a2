// The page iterator's contract as a generator's: calls answered in order, one page held, early exits honoured.
import assert from "node:assert/strict";
import { paginate, type Page } from "../../../provider/api";

interface Item {
  id: string;
}

/** A listing of `total` items served `limit` at a time; records each fetch's marker. */
function source(total: number): { fetch: (limit: number, marker?: string) => Promise<Page<Item>>; markers: unknown[] } {
  const all = Array.from({ length: total }, (_, i) => ({ id: `i${i}` }));
  const markers: unknown[] = [];
  const fetch = async (limit: number, marker?: string): Promise<Page<Item>> => {
    markers.push(marker);
    await new Promise((resolve) => setImmediate(resolve));
    const from = marker === undefined ? 0 : all.findIndex((item) => item.id === marker) + 1;
    return { items: all.slice(from, from + limit), total };
  };
  return { fetch, markers };
}

describe("paginate", () => {
  it("answers calls made before a page arrives in order, fetching each page once", async () => {
    const { fetch, markers } = source(5);
    const it = paginate(fetch, 2, "items");
    const results = await Promise.all(Array.from({ length: 7 }, () => it.next()));
    assert.deepEqual(
      results.map((r) => (r.done ? "done" : r.value.id)),
      ["i0", "i1", "i2", "i3", "i4", "done", "done"],
    );
    assert.deepEqual(markers, [undefined, "i1", "i3"]);
  });

  it("stops fetching when the loop breaks, and answers done afterwards", async () => {
    const { fetch, markers } = source(10);
    const it = paginate(fetch, 3, "items");
    for await (const item of it) if (item.id === "i1") break;
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    assert.deepEqual(markers, [undefined]);
  });

  it("rejects once with a failed fetch, then is done; throw() ends it with the error given", async () => {
    const failing = paginate<Item>(() => Promise.reject(new Error("boom")), 2, "items");
    await assert.rejects(failing.next(), /boom/);
    assert.deepEqual(await failing.next(), { value: undefined, done: true });
    const thrown = paginate(source(4).fetch, 2, "items");
    assert.equal((await thrown.next()).value?.id, "i0");
    await assert.rejects(thrown.throw(new Error("stop")), /stop/);
    assert.deepEqual(await thrown.next(), { value: undefined, done: true });
  });
});
