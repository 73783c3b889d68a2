// `import-plans`: write a Pulumi program that adopts existing plans (Pulumi's own `import` cannot
// work with dynamic providers, pulumi/pulumi#16175; `adoptExistingId` is this package's answer).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "../command";
import { generateProgram } from "../codegen";
import { UsageError } from "../errors";
import { writeJson, writeLine } from "../io";
import { booleanFlag, stringFlag } from "../options";
import { collectWithProgress, progressLine } from "../progress";

function compileFilter(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (err) {
    throw new UsageError(
      `--name is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export const importPlans: Command = {
  words: ["import-plans"],
  summary: "generate a Pulumi program that adopts existing plans with no changes",
  usage: "[--name REGEX] [--out FILE [--force]] [--json]",
  details: `  --name REGEX     only plans whose name matches (JavaScript regular expression)
  --out FILE       write the program to FILE (default: stdout); refuses to overwrite without --force
  --json           print {program, plans: [{id, name, resourceName, variable}]} (file written as usual)
  Each plan becomes a BackupPlan with adoptExistingId and every input equal to the live plan, so
  \`pulumi up\` adopts them without a change. Resource names come from plan names (a name shared by
  several plans gets the id's first block appended), so re-running the command yields the same names.`,
  options: { name: { type: "string" }, out: { type: "string" }, force: { type: "boolean" } },
  positionals: [],
  usesApi: true,
  async run(ctx) {
    const nameFilter = stringFlag(ctx.values, "name");
    const pattern = compileFilter(nameFilter);
    const out = stringFlag(ctx.values, "out");
    const target = out === undefined ? undefined : resolve(out);
    if (target !== undefined && existsSync(target) && !booleanFlag(ctx.values, "force")) {
      throw new UsageError(`${out ?? ""} already exists`, "pass --force to overwrite it, or choose another --out");
    }
    const client = ctx.client();
    const all = await collectWithProgress(client.plans(), progressLine(ctx.io, "plans"));
    const plans = pattern === undefined ? all : all.filter((p) => pattern.test(p.name));
    const source: { projectId?: string; nameFilter?: string } = { projectId: await client.projectId() };
    if (nameFilter !== undefined) source.nameFilter = nameFilter;
    const program = generateProgram(plans, source);
    if (target !== undefined) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, program.source);
    }
    if (ctx.json)
      return writeJson(ctx.io.stdout, { program: program.source, plans: program.plans, file: target ?? null });
    if (target === undefined) ctx.io.stdout.write(program.source);
    const summary =
      `${plans.length} plan(s) of ${all.length} ${target === undefined ? "written above" : `written to ${target}`}; ` +
      "run `pulumi preview` in that program's stack to check, then `pulumi up` to adopt them.";
    writeLine(target === undefined ? ctx.io.stderr : ctx.io.stdout, summary);
  },
};
