// Lists in the API are ordered by `created_at` then `id`. Collections keep that order in plain arrays so that a
// page is a binary search plus a slice: listing 100,000 checkpoints page by page never scans the whole list.

export interface Ordered {
  readonly id: string;
  readonly createdAt: string; // RFC 3339 UTC, one fixed format, so string order is time order
}

export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Index of the first element strictly after `key` in the order. */
function upperBound<T extends Ordered>(items: readonly T[], key: Ordered): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareOrdered(items[mid] as T, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first element not before `key`. */
function lowerBound<T extends Ordered>(items: readonly T[], key: Ordered): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareOrdered(items[mid] as T, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class SortedList<T extends Ordered> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  all(): readonly T[] {
    return this.items;
  }

  insert(item: T): void {
    const last = this.items[this.items.length - 1];
    // Scheduled runs arrive in time order, so appending is the common case.
    if (last === undefined || compareOrdered(last, item) < 0) {
      this.items.push(item);
      return;
    }
    this.items.splice(lowerBound(this.items, item), 0, item);
  }

  /** Adds many at once (bulk seeding): one sort instead of n insertions. */
  insertMany(batch: readonly T[]): void {
    for (const item of batch) this.items.push(item);
    this.items.sort(compareOrdered);
  }

  remove(item: Ordered): boolean {
    const index = lowerBound(this.items, item);
    const found = this.items[index];
    if (found === undefined || found.id !== item.id) return false;
    this.items.splice(index, 1);
    return true;
  }

  has(item: Ordered): boolean {
    const found = this.items[lowerBound(this.items, item)];
    return found !== undefined && found.id === item.id;
  }

  clear(): void {
    this.items = [];
  }
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** The page after `marker` (exclusive) of an already filtered, ordered list. */
export function pageAfter<T extends Ordered>(items: readonly T[], marker: Ordered | undefined, limit: number): Page<T> {
  const start = marker === undefined ? 0 : upperBound(items, marker);
  return { items: items.slice(start, start + limit), total: items.length };
}

/** Merges ordered lists (a filter matching several plans), dropping duplicates. */
export function mergeOrdered<T extends Ordered>(lists: readonly (readonly T[])[]): T[] {
  if (lists.length === 1) return lists[0] as T[];
  const merged = lists.flat().sort(compareOrdered);
  return merged.filter((item, index) => index === 0 || (merged[index - 1] as T).id !== item.id);
}
