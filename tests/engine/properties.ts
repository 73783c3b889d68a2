/**
 * Pure helpers over Pulumi property values as they travel over gRPC (google.protobuf.Struct turned into
 * plain JavaScript): secret wrappers, the preview unknown sentinel, diffs, ignoreChanges paths.
 *
 * In memory the engine keeps a secret exactly as the SDK sends it:
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: ...}`.
 * Only the state file uses the `ciphertext` form (see `encodeSecretsForState`).
 */

/** Signature key of every special Pulumi value (`sdk/go/common/resource/sig`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret (`sig.Secret`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The SDK's and plugin's sentinel for a value unknown during preview (`UnknownStringValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type PropertyMap = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSecret(value: unknown): value is { [SIG_KEY]: typeof SECRET_SIG; value?: unknown } {
  return isPlainObject(value) && value[SIG_KEY] === SECRET_SIG;
}

export function makeSecret(value: unknown): unknown {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** The value with every secret wrapper removed, at any depth (what a provider without `acceptSecrets` gets). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (isPlainObject(value)) {
    const out: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) out[key] = unwrapSecrets(inner);
    return out;
  }
  return value;
}

export function unwrapSecretsInMap(map: PropertyMap): PropertyMap {
  return unwrapSecrets(map) as PropertyMap;
}

export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isPlainObject(value)) return Object.values(value).some(containsSecrets);
  return false;
}

export function containsUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (isSecret(value)) return containsUnknowns(value.value);
  if (Array.isArray(value)) return value.some(containsUnknowns);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknowns);
  return false;
}

/**
 * Re-marks as secret every output whose input of the same name holds a secret, recursing into
 * objects only, like `annotateSecrets` in pkg/resource/plugin/provider_plugin.go: a provider that
 * does not accept secrets hands back plaintext, and the engine restores the marks.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [key, input] of Object.entries(ins)) {
    if (!(key in result)) continue;
    result[key] = annotateValue(result[key], input);
  }
  return result;
}

/**
 * As the engine's annotateSecrets (pkg/resource/plugin/provider_plugin.go, used by step_generator.go
 * for providers that do not accept secrets): an input holding a secret anywhere marks the same-named
 * output; objects recurse by key, any other value (an array included) becomes secret as a whole.
 */
function annotateValue(out: unknown, input: unknown): unknown {
  if (!containsSecrets(input) || isSecret(out)) return out;
  if (isPlainObject(input) && !isSecret(input) && isPlainObject(out)) return annotateSecrets(out, input);
  return makeSecret(out);
}

/** Wraps the named top-level outputs as secrets (`additionalSecretOutputs`). */
export function markAdditionalSecrets(outs: PropertyMap, names: readonly string[]): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const name of names) {
    if (name in result) result[name] = makeSecret(result[name]);
  }
  return result;
}

/** Structural equality of JSON-like values; secret wrappers count (a value turning secret is a change). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((element, index) => deepEqual(element, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Top-level keys whose values differ between two maps, sorted (the engine's `ObjectDiff.ChangedKeys`). */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((key) => !deepEqual(olds[key], news[key])).sort();
}

/**
 * Parses a Pulumi property path (`a.b[0].c`, `a["x.y"]`, `*`) into segments. Only the forms that
 * resource options use are accepted; anything else throws an error naming the path.
 */
export function parsePropertyPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]|(\.)/g;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    if (match.index !== consumed) break;
    consumed += match[0].length;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[3].replace(/\\(.)/g, "$1"));
    else if (match[0] === "[*]") segments.push("*");
  }
  if (consumed !== path.length || segments.length === 0) {
    throw new Error(`invalid property path \`${path}\`: use dotted keys such as \`tags.env\` or \`items[0]\``);
  }
  return segments;
}

/** Whether `pattern` covers `path` (`resource.PropertyPath.Contains`): a prefix match where `*` matches any segment. */
export function pathContains(pattern: (string | number)[], path: (string | number)[]): boolean {
  if (pattern.length > path.length) return false;
  return pattern.every((segment, index) => segment === "*" || String(segment) === String(path[index]));
}

/**
 * Applies `ignoreChanges`: every ignored path takes its old value (or disappears when it had none),
 * as `processIgnoreChanges` in pkg/resource/deploy/step_generator.go does before Check.
 */
export function applyIgnoreChanges(
  news: PropertyMap,
  olds: PropertyMap,
  ignoreChanges: readonly string[],
): PropertyMap {
  let result: unknown = structuredClone(news);
  for (const raw of ignoreChanges) {
    const path = parsePropertyPath(raw);
    if (path.length === 1 && path[0] === "*") return structuredClone(olds);
    const oldValue = getPath(olds, path);
    result = setPath(result, path, oldValue);
  }
  return result as PropertyMap;
}

function getPath(value: unknown, path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (isSecret(current)) current = current.value;
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isPlainObject(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

function setPath(root: unknown, path: (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (isSecret(root)) return makeSecret(setPath(root.value, path, value));
  if (Array.isArray(root) && typeof head === "number") {
    const copy = [...(root as unknown[])];
    copy[head] = setPath(copy[head], rest, value);
    return copy;
  }
  const copy: PropertyMap = isPlainObject(root) ? { ...root } : {};
  const next = setPath(copy[String(head)], rest, value);
  if (next === undefined) delete copy[String(head)];
  else copy[String(head)] = next;
  return copy;
}

/** Drops `undefined` members so a value can go through `Struct.fromJavaScript`. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

// ---- state-file encoding of secrets ----

/**
 * Replaces every in-memory secret with the checkpoint form `{sig, ciphertext}`. The real engine
 * encrypts with the stack's secrets provider; this stand-in only base64-encodes the JSON of the
 * value, which keeps plaintext out of the file (greppable assertions hold) but is NOT encryption.
 */
export function encodeSecretsForState(value: unknown): unknown {
  if (isSecret(value)) {
    const json = JSON.stringify(value.value === undefined ? null : value.value);
    return { [SIG_KEY]: SECRET_SIG, ciphertext: Buffer.from(json, "utf8").toString("base64") };
  }
  if (Array.isArray(value)) return value.map(encodeSecretsForState);
  if (isPlainObject(value)) {
    const out: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) out[key] = encodeSecretsForState(inner);
    return out;
  }
  return value;
}

/**
 * Inverse of `encodeSecretsForState`; also accepts `plaintext` secrets as `pulumi stack export --show-secrets` writes
 * them.
 */
export function decodeSecretsFromState(value: unknown): unknown {
  if (isPlainObject(value) && value[SIG_KEY] === SECRET_SIG) {
    if (typeof value.ciphertext === "string") {
      const json = Buffer.from(value.ciphertext, "base64").toString("utf8");
      return makeSecret(JSON.parse(json) as unknown);
    }
    if ("plaintext" in value) {
      const plaintext = value.plaintext;
      return makeSecret(typeof plaintext === "string" ? (JSON.parse(plaintext) as unknown) : plaintext);
    }
    return makeSecret(value.value);
  }
  if (Array.isArray(value)) return value.map(decodeSecretsFromState);
  if (isPlainObject(value)) {
    const out: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) out[key] = decodeSecretsFromState(inner);
    return out;
  }
  return value;
}

/** Stack outputs for people: secrets become the string `[secret]`, unknowns `[unknown]`. */
export function redactForDisplay(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(redactForDisplay);
  if (isPlainObject(value)) {
    const out: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) out[key] = redactForDisplay(inner);
    return out;
  }
  return value;
}
