// A compile-time check that a hand-written interface and a field table name the same properties.

/**
 * `true` when A's keys are exactly B (a union of keys), else a type naming the difference: used as
 * `keysMatch<SameKeys<Interface, Keys>>()` next to a hand-written interface, so a property added to a table
 * without its interface (or the other way round) fails to build.
 */
export type SameKeys<A, B extends PropertyKey> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never]
  ? true
  : { extra: Exclude<keyof A, B>; missing: Exclude<B, keyof A> };

/** Does nothing at runtime; its type argument is the check. */
export function keysMatch<_T extends true>(): void {}

/** The named keys of T, without its index signatures (`[extra: string]: unknown`). */
export type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};
