// Small shared pieces of the per-policy tests.
import assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyDefinition } from "../../../policy/core/definition";
import { PROVIDER_TEXT } from "../harness";
import type { Outcome } from "../harness";

export function resourcePolicy(
  definition: PolicyDefinition,
  setting?: Parameters<PolicyDefinition["create"]>[0],
): ResourceValidationPolicy {
  const policy = definition.create(setting);
  assert.ok("validateResource" in policy, `${definition.name} is a resource policy`);
  return policy;
}

export function stackPolicy(
  definition: PolicyDefinition,
  setting?: Parameters<PolicyDefinition["create"]>[0],
): StackValidationPolicy {
  const policy = definition.create(setting);
  assert.ok("validateStack" in policy, `${definition.name} is a stack policy`);
  return policy;
}

export function assertClean(outcome: Outcome): void {
  assert.deepEqual(
    outcome.violations.map((v) => v.message),
    [],
  );
}

/** Exactly `count` violations, none of which leaks the serialized provider (policies see secrets in plaintext). */
export function assertViolations(outcome: Outcome, count: number): string[] {
  const texts = outcome.violations.map((v) => v.message);
  assert.equal(texts.length, count, `expected ${count} violation(s), got:\n${texts.join("\n---\n")}`);
  for (const text of texts) {
    assert.ok(
      !text.includes("sk-live-very-secret") && !text.includes(PROVIDER_TEXT),
      `violation leaks the provider text: ${text}`,
    );
  }
  return texts;
}
