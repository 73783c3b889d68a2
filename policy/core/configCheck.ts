// Checks a `--policy-pack-config` file against the pack before Pulumi sees it. The engine keeps a policy
// name it does not know without a word (ReconcilePolicyPackConfig), so a camelCase key such as `maxRpo`
// (the `backupGuard()` option name) instead of `max-rpo` would silently configure nothing; and a wrong
// option fails only deep inside `pulumi preview`. Each problem names the key and the fix.
import { z } from "zod";
import type { PolicyDefinition } from "./definition";
import { LEVELS } from "./definition";
import { closestName } from "../../provider/values";

/** The policy a mistyped or camelCase key most likely meant, if any is close. */
function suggestion(key: string, definitions: readonly PolicyDefinition[]): string | undefined {
  const byOptionKey = definitions.find((d) => d.key === key);
  if (byOptionKey !== undefined) return byOptionKey.name;
  const normalized = key
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .toLowerCase();
  return closestName(
    normalized,
    definitions.map((d) => d.name),
  );
}

function levelProblem(where: string, level: unknown): string | undefined {
  if (typeof level === "string" && (LEVELS as readonly string[]).includes(level)) return undefined;
  return `${where}: enforcement level ${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}`;
}

/** Every problem of a parsed policy pack config, each naming the key and the fix; empty when it is fine. */
export function checkPolicyPackConfig(config: unknown, definitions: readonly PolicyDefinition[]): string[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return ['the file must hold a JSON object keyed by policy name, e.g. {"max-rpo": {"maxRpoHours": 4}}'];
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (key === "all") {
      const level =
        typeof value === "object" && value !== null ? (value as Record<string, unknown>)["enforcementLevel"] : value;
      const problem = levelProblem("`all`", level);
      if (problem !== undefined) problems.push(problem);
      else if (typeof value === "object" && value !== null && Object.keys(value).length > 1) {
        problems.push(
          "`all`: only `enforcementLevel` applies to every policy; Pulumi ignores the other keys: set them per policy",
        );
      }
      continue;
    }
    const definition = definitions.find((d) => d.name === key);
    if (definition === undefined) {
      const guess = suggestion(key, definitions);
      problems.push(
        `\`${key}\` is not a policy of this pack, and Pulumi ignores it without a word: ` +
          (guess === undefined
            ? `use one of ${definitions.map((d) => d.name).join(", ")}`
            : `did you mean \`${guess}\`?`),
      );
      continue;
    }
    if (typeof value === "string") {
      const problem = levelProblem(`\`${key}\``, value);
      if (problem !== undefined) problems.push(problem);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(
        `\`${key}\` must be an enforcement level or an object of options, e.g. {"enforcementLevel": "mandatory"}`,
      );
      continue;
    }
    const { enforcementLevel, ...options } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined) {
      const problem = levelProblem(`\`${key}\``, enforcementLevel);
      if (problem !== undefined) problems.push(problem);
    }
    const parsed = definition.schema.strict().safeParse(options);
    if (!parsed.success) problems.push(`\`${key}\`: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
  }
  return problems;
}
