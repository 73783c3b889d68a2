// A pure, seeded random-number generator. The provider itself never uses it: it sits beside the other
// pure modules so that the emulator (its fault rules' `rate`), the benches and the tests share one
// generator without one of them importing another.

/** Deterministic PRNG (mulberry32): the same seed gives the same stream, run after run. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
