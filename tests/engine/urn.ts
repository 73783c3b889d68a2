/**
 * URNs as the engine mints them (sdk/go/common/resource/urn.go `NewURN`):
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the parent's
 * qualified type, `$`, then the type, except that children of the root stack are not qualified by it.
 */
export const STACK_TYPE = "pulumi:pulumi:Stack";
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

export interface ParsedUrn {
  stack: string;
  project: string;
  qualifiedType: string;
  type: string;
  name: string;
}

export function parseUrn(urn: string): ParsedUrn {
  const match = /^urn:pulumi:([^:]*)::([^:]*)::(.+?)::(.*)$/.exec(urn);
  if (!match) throw new Error(`malformed URN \`${urn}\`: expected urn:pulumi:<stack>::<project>::<type>::<name>`);
  const [, stack = "", project = "", qualifiedType = "", name = ""] = match;
  const type = qualifiedType.split("$").pop() ?? qualifiedType;
  return { stack, project, qualifiedType, type, name };
}

export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  let qualifiedType = type;
  if (parentUrn) {
    const parent = parseUrn(parentUrn);
    if (parent.type !== STACK_TYPE) qualifiedType = `${parent.qualifiedType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

export function stackUrn(stack: string, project: string): string {
  return makeUrn(stack, project, "", STACK_TYPE, `${project}-${stack}`);
}

export function defaultProviderUrn(stack: string, project: string, pkg: string): string {
  return makeUrn(stack, project, "", `${PROVIDER_TYPE_PREFIX}${pkg}`, "default");
}

/** A provider reference `<provider urn>::<provider id>` split in two. */
export function parseProviderRef(ref: string): { urn: string; id: string } {
  const at = ref.lastIndexOf("::");
  if (at < 0) throw new Error(`malformed provider reference \`${ref}\`: expected <urn>::<id>`);
  return { urn: ref.slice(0, at), id: ref.slice(at + 2) };
}

/** The package of a type token (`pulumi-nodejs:dynamic/x:Y` -> `pulumi-nodejs`). */
export function packageOf(type: string): string {
  return type.split(":")[0] ?? type;
}
