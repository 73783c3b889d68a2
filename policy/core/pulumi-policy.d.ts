// @pulumi/policy exports `unknownCheckingProxy` and `UnknownValueError` from its index (and the analyzer
// throws the error for every unknown value read in preview), but marks both @internal, so its published
// proxy.d.ts is empty and the compiler would type them as errors. Their shapes, from its proxy.js, with the
// sentinels it checks and the key that answers the object behind a proxy (known.ts reads through it):
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
  /** Reading this key of a proxy answers the object behind it (the library's serializer uses it). */
  export const getSpecialProxyTarget: string;
  export const unknownBooleanValue: string;
  export const unknownNumberValue: string;
  export const unknownStringValue: string;
  export const unknownArrayValue: string;
  export const unknownAssetValue: string;
  export const unknownArchiveValue: string;
  export const unknownObjectValue: string;
}
