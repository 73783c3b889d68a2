// Marker pagination as async iterators: one page in memory at a time, whatever the total.

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;

export interface Page<T> {
  items: T[];
  total: number;
}

function checkPageSize(pageSize: number | undefined): number {
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer between 1 and ${MAX_PAGE_SIZE}, got ${String(pageSize)}`);
  }
  return size;
}

/**
 * Follows `marker` (the id of the last item seen; the API's marker is exclusive) page by page. Stops at an
 * empty page, or at a short page once everything `total` announced has been seen; a short page before that
 * (a server capping `limit` lower than asked) does not end the listing. A server that ignores the marker
 * would loop forever: that is detected and reported.
 *
 * Written by hand rather than as an `async function*`: a generator pays an await and a queued resumption per
 * `yield`, which was a tenth of a listing's CPU; here an item of the page in hand is one resolved promise.
 * Calls are still served in order, one at a time, as a generator's are.
 */
export function paginate<T extends { id: string }>(
  fetchPage: (limit: number, marker: string | undefined) => Promise<Page<T>>,
  pageSize: number | undefined,
  what: string,
): AsyncGenerator<T, void, undefined> {
  return new Paginator(fetchPage, pageSize, what);
}

class Paginator<T extends { id: string }> implements AsyncGenerator<T, void, undefined> {
  /** The page in hand: the only one held. */
  #items: T[] = [];
  #index = 0;
  #limit: number | undefined;
  #marker: string | undefined;
  #seen = 0;
  /** No further page: the last one was empty or short and complete. */
  #exhausted = false;
  #done = false;
  /** Calls waiting for (or running) a step that may fetch: later calls queue behind them. */
  #busy = 0;
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly fetchPage: (limit: number, marker: string | undefined) => Promise<Page<T>>,
    private readonly pageSize: number | undefined,
    private readonly what: string,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#busy === 0 && this.#index < this.#items.length) {
      return Promise.resolve({ value: this.#items[this.#index++]!, done: false });
    }
    return this.#queue(() => this.#advance());
  }

  return(): Promise<IteratorResult<T, void>> {
    return this.#queue(() => {
      this.#finish();
      return { value: undefined, done: true };
    });
  }

  throw(err: unknown): Promise<IteratorResult<T, void>> {
    return this.#queue(() => {
      this.#finish();
      throw err;
    });
  }

  #queue(step: () => IteratorResult<T, void> | Promise<IteratorResult<T, void>>): Promise<IteratorResult<T, void>> {
    this.#busy += 1;
    const result = this.#tail.then(step);
    const settled = (): void => {
      this.#busy -= 1;
    };
    this.#tail = result.then(settled, settled);
    return result;
  }

  #finish(): void {
    this.#done = true;
    this.#items = [];
    this.#index = 0;
  }

  async #advance(): Promise<IteratorResult<T, void>> {
    for (;;) {
      if (this.#done) return { value: undefined, done: true };
      if (this.#index < this.#items.length) return { value: this.#items[this.#index++]!, done: false };
      if (this.#exhausted) {
        this.#finish();
        continue;
      }
      try {
        await this.#fetch();
      } catch (err) {
        this.#finish();
        throw err;
      }
    }
  }

  async #fetch(): Promise<void> {
    const limit = (this.#limit ??= checkPageSize(this.pageSize));
    const marker = this.#marker;
    this.#items = [];
    this.#index = 0;
    const page = await this.fetchPage(limit, marker);
    if (page.items.length === 0) {
      this.#exhausted = true;
      return;
    }
    const last = page.items[page.items.length - 1]!;
    if (marker !== undefined && (page.items[0]!.id === marker || last.id === marker)) {
      throw new Error(
        `${this.what}: the API answered the same page again for marker ${marker}; it does not honour \`marker\``,
      );
    }
    this.#items = page.items;
    this.#seen += page.items.length;
    if (page.items.length < limit && this.#seen >= page.total) this.#exhausted = true;
    this.#marker = last.id;
  }
}

/** Gathers an iterator into an array, stopping after `limit` items when given. */
export async function collect<T>(items: AsyncIterable<T>, limit?: number): Promise<T[]> {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`collect: limit must be a non-negative integer, got ${String(limit)}`);
  }
  const out: T[] = [];
  if (limit === 0) return out;
  for await (const item of items) {
    out.push(item);
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}
