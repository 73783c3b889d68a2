// `policy check-config FILE`: checks a `--policy-pack-config` file against the scheduled-backup guard
// offline. Pulumi keeps a policy name it does not know without a word, so a camelCase `maxRpo` (the
// `backupGuard()` option) instead of `max-rpo` would configure nothing; run this before `pulumi preview`.
import { readFileSync } from "node:fs";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { writeJson } from "../io";

/** The pack's checker, loaded only here: the policies need @pulumi/policy, an optional peer dependency. */
function loadChecker(): (config: unknown) => string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer: loaded only by this command
    return (require("../../policy/guard") as typeof import("../../policy/guard")).checkPolicyConfig;
  } catch (err) {
    throw new UsageError(
      `checking a policy config needs @pulumi/policy ` +
        `installed (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
      "install it next to this package: npm i -D @pulumi/policy",
    );
  }
}

export const policyCheckConfig: Command = {
  words: ["policy", "check-config"],
  summary: "check a --policy-pack-config file against the policy pack (offline)",
  usage: "FILE [--json]",
  details: `  FILE   the JSON file passed to \`pulumi preview --policy-pack-config\`
  Reports policy names the pack does not have (with "did you mean"), bad enforcement levels and options
  that do not fit a policy. Exit code 2 when there is a problem.`,
  options: {},
  positionals: ["FILE"],
  usesApi: false,
  async run(ctx) {
    const file = ctx.args[0] ?? "";
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new UsageError(`cannot read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const problems = loadChecker()(config);
    if (ctx.json && problems.length === 0) return writeJson(ctx.io.stdout, { file, problems });
    if (problems.length > 0) throw new UsageError(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    ctx.io.stdout.write(`${file}: every key names a policy of the pack, with valid levels and options\n`);
  },
};
