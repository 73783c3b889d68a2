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
 */
export async function* paginate<T extends { id: string }>(
  fetchPage: (limit: number, marker: string | undefined) => Promise<Page<T>>,
  pageSize: number | undefined,
  what: string,
): AsyncGenerator<T, void, undefined> {
  const limit = checkPageSize(pageSize);
  let marker: string | undefined;
  let seen = 0;
  for (;;) {
    const page = await fetchPage(limit, marker);
    if (page.items.length === 0) return;
    const last = page.items[page.items.length - 1]!;
    if (marker !== undefined && (page.items[0]!.id === marker || last.id === marker)) {
      throw new Error(
        `${what}: the API answered the same page again for marker ${marker}; it does not honour \`marker\``,
      );
    }
    for (const item of page.items) yield item;
    seen += page.items.length;
    if (page.items.length < limit && seen >= page.total) return;
    marker = last.id;
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
