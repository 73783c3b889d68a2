// Reads of resource properties with the answers of @pulumi/policy's unknown-checking proxy, without its cost.
// The analyzer wraps every resource's properties in a Proxy whose `get` allocates on every read (the path so
// far, a property descriptor, and for an object a new Proxy with its handler); a stack pass of 50,000
// resources reads hundreds of thousands of values per policy, and that garbage was about half of all the
// pack allocated. These functions read the object behind the proxy (the library's escape hatch
// `getSpecialProxyTarget`, which its own serializer uses) and throw the very UnknownValueError the proxy
// would throw, with the same path, for an unknown value. An object value is still read through the proxy,
// so whatever a caller does with it keeps the proxy's checks; properties that are not behind the proxy
// (plain objects) are read as they are, unchecked, as before.
import { UnknownValueError } from "@pulumi/policy";
import {
  getSpecialProxyTarget,
  unknownArchiveValue,
  unknownArrayValue,
  unknownAssetValue,
  unknownBooleanValue,
  unknownNumberValue,
  unknownObjectValue,
  unknownStringValue,
} from "@pulumi/policy/proxy";
import { asRecord, isRecord } from "../../provider/values";

type Props = Record<string, unknown>;

/** The proxy's own list of sentinels (its `isUnknown`). */
const UNKNOWNS: ReadonlySet<unknown> = new Set([
  unknownBooleanValue,
  unknownNumberValue,
  unknownStringValue,
  unknownArrayValue,
  unknownAssetValue,
  unknownArchiveValue,
  unknownObjectValue,
]);

function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWNS.has(value);
}

/**
 * The object behind the analyzer's proxy, or undefined when `props` is not behind one. Asking costs a call
 * into the proxy; a reader of many values asks once and hands the answer to `knownProperty`.
 */
export function behindProxy(props: object): object | undefined {
  const target = (props as Props)[getSpecialProxyTarget];
  return target instanceof Object ? target : undefined;
}

/** `props[key]`, as read through the proxy; `target` is `behindProxy(props)`. */
export function knownProperty(props: object, key: string, target = behindProxy(props) as Props | undefined): unknown {
  if (target === undefined) return (props as Props)[key];
  const value = target[key];
  // The proxy hands out an object wrapped in a new proxy (the same read, with its checks on later reads).
  if (value instanceof Object) return (props as Props)[key];
  if (isUnknown(value)) throw new UnknownValueError(value, [key]);
  return value;
}

/** `asRecord(props[key])[member]` (one entry of an object, e.g. a volume's metadata), as read through the proxy. */
export function knownMember(props: object, key: string, member: string): unknown {
  const target = behindProxy(props) as Props | undefined;
  if (target === undefined) return asRecord((props as Props)[key])[member];
  const outer = target[key];
  if (isUnknown(outer)) throw new UnknownValueError(outer, [key]);
  const value = asRecord(outer)[member];
  if (value instanceof Object) return asRecord((props as Props)[key])[member];
  if (isUnknown(value) && isRecord(outer)) throw new UnknownValueError(value, [key, member]);
  return value;
}

/**
 * `props[key][i]?.[member]` for every entry of the list `props[key]` (e.g. each resource entry's `id`), as read
 * through the proxy: `each` gets the value, or the UnknownValueError its read throws (an entry or a member
 * that is unknown). An unknown list throws at once; anything but a list has no entries. Object values come
 * wrapped by the proxy. `target` is `behindProxy(props)`.
 */
export function forEachEntryMember(
  props: object,
  key: string,
  member: string,
  each: (value: unknown, unknown: UnknownValueError | undefined) => void,
  target = behindProxy(props) as Props | undefined,
): void {
  if (target === undefined) {
    const list = (props as Props)[key];
    if (Array.isArray(list))
      for (const entry of list as unknown[]) if (entry != null) each((entry as Props)[member], undefined);
    return;
  }
  const list = target[key];
  if (isUnknown(list)) throw new UnknownValueError(list, [key]);
  if (!Array.isArray(list)) return;
  const count = list.length;
  for (let i = 0; i < count; i++) {
    const entry: unknown = list[i];
    if (isUnknown(entry)) each(undefined, new UnknownValueError(entry, [key, String(i)]));
    else if (entry === null || entry === undefined) continue;
    else if (!(entry instanceof Object)) each((entry as Props)[member], undefined);
    else {
      const value = (entry as Props)[member];
      if (isUnknown(value)) each(undefined, new UnknownValueError(value, [key, String(i), member]));
      else if (value instanceof Object) each(((props as Props)[key] as Props[])[i]![member], undefined);
      else each(value, undefined);
    }
  }
}
