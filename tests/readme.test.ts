// Every TypeScript block of README.md must compile against the package as users install it: each
// block is written to its own module in a scratch directory under the repo (so `pulumi-scheduled-backup`
// and `@pulumi/pulumi` resolve by name) and type-checked strictly.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BACKUP_PLAN_SECTION,
  backupPlanTable,
  configTable,
  policyTable,
  RESTORE_SECTION,
  restoreTable,
} from "./cli/readme-tables";
import { REPO_ROOT, SCRATCH_ROOT, typeErrors } from "./cli/typecheck";

export interface CodeBlock {
  language: string;
  line: number;
  code: string;
}

/** Fenced blocks (```lang ... ```) with the line they start on. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i] ?? "");
    if (open === null) continue;
    const fence = open[2] ?? "```";
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? "").trimStart().startsWith(fence); i++) body.push(lines[i] ?? "");
    blocks.push({ language: (open[3] ?? "").toLowerCase(), line: start + 1, code: body.join("\n") });
  }
  return blocks;
}

const TYPESCRIPT = new Set(["ts", "typescript"]);

describe("README.md", function () {
  this.timeout(120_000);
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const blocks = codeBlocks(readme).filter((b) => TYPESCRIPT.has(b.language));

  it("finds fenced blocks and their languages", () => {
    const sample = "text\n```ts\nconst a = 1;\n```\n\n````typescript\nlet b = `x`;\n````\n```sh\nls\n```\n";
    assert.deepEqual(codeBlocks(sample), [
      { language: "ts", line: 2, code: "const a = 1;" },
      { language: "typescript", line: 6, code: "let b = `x`;" },
      { language: "sh", line: 9, code: "ls" },
    ]);
  });

  it("has TypeScript examples", () => {
    assert.ok(blocks.length >= 3, `expected several TypeScript blocks, found ${blocks.length}`);
  });

  it(
    "holds the configuration table generated from CONFIG_KEYS (regenerate: " +
      "node dist/tests/cli/readme-tables.js --write)",
    () => {
      assert.ok(
        readme.includes(configTable()),
        `README.md must contain, verbatim (\`node dist/tests/cli/readme-tables.js --write\` updates ` +
          `it):\n${configTable()}`,
      );
    },
  );

  it(
    "holds the policy table generated from the policy registry (regenerate: " +
      "node dist/tests/cli/readme-tables.js --write)",
    () => {
      assert.ok(
        readme.includes(policyTable()),
        `README.md must contain, verbatim (\`node dist/tests/cli/readme-tables.js --write\` updates ` +
          `it):\n${policyTable()}`,
      );
    },
  );

  for (const [name, section, table] of [
    ["BackupPlan", BACKUP_PLAN_SECTION, backupPlanTable],
    ["Restore", RESTORE_SECTION, restoreTable],
  ] as const) {
    it(
      `holds the ${name} input table generated from its field table, in its section (regenerate: ` +
        `node dist/tests/cli/readme-tables.js --write)`,
      () => {
        const generated = table();
        const at = readme.indexOf(section);
        assert.ok(at >= 0, `README.md has a section ${section}`);
        const next = readme.indexOf("\n### ", at + section.length);
        const body = readme.slice(at, next < 0 ? undefined : next);
        assert.ok(
          body.includes(generated),
          `README.md's ${section} must contain, verbatim (\`node dist/tests/cli/readme-tables.js --write\` ` +
            `updates it):\n${generated}`,
        );
      },
    );
  }

  it("type-checks every TypeScript block against the package", () => {
    mkdirSync(SCRATCH_ROOT, { recursive: true });
    const dir = mkdtempSync(join(SCRATCH_ROOT, "readme-"));
    try {
      // A block is a module of its own (`export {}` keeps top-level names from colliding across blocks).
      const files = blocks.map((block) => {
        const file = join(dir, `readme-line-${block.line}.ts`);
        writeFileSync(file, `${block.code}\nexport {};\n`);
        return file;
      });
      const errors = typeErrors(files).map((e) => e.replace(`${dir}/`, "README.md block at "));
      assert.deepEqual(errors, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(SCRATCH_ROOT) && readdirSync(SCRATCH_ROOT).length === 0) rmSync(SCRATCH_ROOT, { recursive: true });
    }
  });
});
