// @pulumi/policy exports `unknownCheckingProxy` and `UnknownValueError` from its index (and the analyzer
// throws the error for every unknown value read in preview), but marks both @internal, so its published
// proxy.d.ts is empty and the compiler would type them as errors. Their shapes, from its proxy.js:
export {};

declare module "@pulumi/policy/proxy" {
  /** Thrown when a policy reads a property whose value is unknown during preview. */
  export class UnknownValueError extends Error {
    constructor(unknownTypeSentinel: unknown, props: readonly PropertyKey[]);
    readonly unknownTypeSentinel: unknown;
    readonly props: readonly PropertyKey[];
  }
  /** Wraps resource properties so that reading an unknown value throws UnknownValueError. */
  export function unknownCheckingProxy<T>(toProxy: T): T;
}
