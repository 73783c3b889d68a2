// A progress line on stderr while paging through long listings. Drawn only when stderr is a TTY
// (never in pipes or CI logs), rate-limited, and erased before the result is printed.
import type { CliIo } from "./io";

export interface Progress {
  tick(count: number): void;
  done(): void;
}

const REDRAW_EVERY_MS = 100;

export function progressLine(io: CliIo, noun: string): Progress {
  if (!io.stderrIsTTY) return { tick() {}, done() {} };
  let lastDrawn = 0;
  let drawn = false;
  return {
    tick(count) {
      const now = Date.now();
      if (now - lastDrawn < REDRAW_EVERY_MS) return;
      lastDrawn = now;
      drawn = true;
      io.stderr.write(`\r\x1b[2Kfetched ${count.toLocaleString("en-US")} ${noun}…`);
    },
    done() {
      if (drawn) io.stderr.write("\r\x1b[2K");
    },
  };
}

/** Drains an async iterable while reporting progress. */
export async function collectWithProgress<T>(items: AsyncIterable<T>, progress: Progress): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const item of items) {
      out.push(item);
      progress.tick(out.length);
    }
  } finally {
    progress.done();
  }
  return out;
}
