// Whether a stack is production. Decided from the stack's tags (when the engine sends them) and from
// the stack name in the resource's URN, so it works both under the CLI and in a plain preview.
import { stackOfUrn } from "./plan";

interface ProductionRule {
  productionTagKeys: readonly string[];
  productionTagValues: readonly string[];
  productionStackPattern: string;
}

export function isProductionStack(rule: ProductionRule, stackTags: ReadonlyMap<string, string>, urn: string): boolean {
  const values = new Set(rule.productionTagValues.map((value) => value.toLowerCase()));
  for (const key of rule.productionTagKeys) {
    const tag = stackTags.get(key);
    if (tag !== undefined && values.has(tag.toLowerCase())) return true;
  }
  const stack = stackOfUrn(urn);
  return stack !== undefined && new RegExp(rule.productionStackPattern, "i").test(stack);
}
