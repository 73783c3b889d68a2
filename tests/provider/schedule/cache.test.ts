import assert from "node:assert/strict";
import { BoundedCache } from "../../../provider/schedule/cache";

describe("BoundedCache", () => {
  it("forgets the least recently used entry beyond its capacity", () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    assert.equal(cache.get("a"), 1); // "a" is now the most recent
    cache.set("c", 3);
    assert.equal(cache.size, 2);
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.get("a"), 1);
    assert.equal(cache.get("c"), 3);
  });

  it("replacing a key does not grow it", () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 2);
    assert.equal(cache.size, 1);
    assert.equal(cache.get("a"), 2);
  });

  it("refuses a capacity that is not a positive integer", () => {
    assert.throws(() => new BoundedCache(0), RangeError);
    assert.throws(() => new BoundedCache(1.5), RangeError);
  });
});
