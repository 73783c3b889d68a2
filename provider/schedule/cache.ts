/**
 * A Map that forgets entries not used lately, so long-lived processes stay bounded: at most `capacity` entries.
 * Two generations (the quick-lru scheme): new entries go into the current one; when it holds half the
 * capacity it becomes the previous one and the older previous one is dropped whole. A hit in the current
 * generation is a single lookup (a policy pass asks for the same few hundred schedules tens of thousands of
 * times; moving every hit to the back of one Map cost a delete and a set each time); a hit in the previous
 * one moves the entry into the current one. An entry survives at least half the capacity (less one) of
 * insertions after its last use, so what is in use stays, and what is not is forgotten.
 */
export class BoundedCache<K, V> {
  #current = new Map<K, V>();
  #previous = new Map<K, V>();
  readonly #generation: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    // The current generation is renewed on reaching this size, so the two hold at most 2 * size - 1 entries.
    this.#generation = Math.ceil(capacity / 2);
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined) return value;
    const older = this.#previous.get(key);
    if (older !== undefined) {
      this.#previous.delete(key);
      this.#insert(key, older);
    }
    return older;
  }

  set(key: K, value: V): void {
    if (this.#current.has(key)) {
      this.#current.set(key, value);
      return;
    }
    this.#previous.delete(key);
    this.#insert(key, value);
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }

  #insert(key: K, value: V): void {
    this.#current.set(key, value);
    if (this.#current.size >= this.#generation) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
  }
}
