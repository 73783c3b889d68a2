import assert from "node:assert/strict";
import { BoundedCache } from "../../../provider/schedule/cache";

describe("BoundedCache", () => {
  it("keeps an entry in use and forgets the least recently used one", () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set("a", 1);
    cache.set("b", 2);
    assert.equal(cache.get("a"), 1); // "a" is now more recent than "b"
    cache.set("c", 3);
    assert.equal(cache.get("a"), 1);
    cache.set("d", 4);
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.get("a"), 1);
    assert.equal(cache.get("c"), undefined); // not used since "a" was
    assert.equal(cache.get("d"), 4);
  });

  it("never holds more than its capacity, and always the latest half of it", () => {
    for (let capacity = 1; capacity <= 9; capacity++) {
      const cache = new BoundedCache<number, number>(capacity);
      for (let key = 0; key < 50; key++) {
        cache.set(key, key * 10);
        assert.ok(cache.size <= capacity, `capacity ${capacity}: ${cache.size} entries after key ${key}`);
        for (let recent = Math.max(0, key - Math.ceil(capacity / 2) + 1); recent <= key; recent++)
          assert.equal(cache.get(recent), recent * 10, `capacity ${capacity}: key ${recent} lost after key ${key}`);
      }
    }
  });

  it("an entry survives half its capacity (less one) of insertions after its last use, an unused one does not", () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set("hot", 1);
    cache.set("cold", 2);
    for (let key = 0; key < 100; key++) {
      cache.set(`k${key}`, key);
      if (key % 4 === 3) assert.equal(cache.get("hot"), 1, `"hot" lost after k${key}`);
    }
    assert.equal(cache.get("cold"), undefined);
    assert.ok(cache.size <= 10);
  });

  it("replacing a key does not grow it", () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set("a", 1);
    cache.set("a", 2);
    assert.equal(cache.size, 1);
    assert.equal(cache.get("a"), 2);
    cache.set("b", 3); // "a" moves to the previous generation
    cache.set("a", 4);
    assert.equal(cache.size, 2);
    assert.equal(cache.get("a"), 4);
  });

  it("refuses a capacity that is not a positive integer", () => {
    assert.throws(() => new BoundedCache(0), RangeError);
    assert.throws(() => new BoundedCache(1.5), RangeError);
  });
});
