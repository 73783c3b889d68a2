// The Node language host runs TypeScript programs through ts-node with type checking unless the
// environment sets PULUMI_NODEJS_TRANSPILE_ONLY=true or the program's tsconfig.json sets `noCheck`
// (sdk/nodejs/cmd/run/run.ts): so does the stand-in. The repo's fixtures opt out the way users can (their
// tests are not about type checking), so every program is type-checked here once instead; the examples
// are not opted out and are type-checked on every run (tests/e2e/provider/examples.test.ts).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, SCRATCH_ROOT, typeErrors } from "../../cli/typecheck.js";
import * as engine from "../../engine/index.js";

/** Every TypeScript program in the repo: examples and the fixtures that tests run. */
function programs(): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const sub = path.join(dir, entry.name);
      if (existsSync(path.join(sub, "Pulumi.yaml")) && existsSync(path.join(sub, "index.ts")))
        found.push(path.join(sub, "index.ts"));
      if (depth > 0) visit(sub, depth - 1);
    }
  };
  visit(path.join(REPO_ROOT, "examples"), 0);
  visit(path.join(REPO_ROOT, "tests"), 2);
  visit(path.join(REPO_ROOT, "cli"), 0);
  return found.sort();
}

describe("engine stand-in: type checking like the Node language host", function () {
  this.timeout(120_000);
  const dir = path.join(SCRATCH_ROOT, "typecheck-program");
  const write = (program: string, tsconfig?: object): void => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: typecheck\nruntime: nodejs\nmain: index.ts\n");
    writeFileSync(path.join(dir, "index.ts"), program);
    if (tsconfig) writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  };
  const program =
    'import * as pulumi from "@pulumi/pulumi";\nconst count: ' +
    'number = "three";\nexport const out = pulumi.output(count);\n';
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("every program in the repo type-checks", () => {
    const files = programs();
    assert.ok(files.some((f) => f.includes(`${path.sep}examples${path.sep}`)) && files.length >= 8, files.join("\n"));
    assert.deepEqual(typeErrors(files), []);
  });

  it("a type error fails preview with the TypeScript diagnostic; tsconfig `noCheck` turns the check off", async () => {
    write(program);
    const failed = await engine.preview({ cwd: dir, stack: "tc" });
    assert.equal(failed.ok, false);
    const errors = failed.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => d.message)
      .join("\n");
    assert.match(errors, /TS2322/, errors);
    assert.match(errors, /Type 'string' is not assignable to type 'number'/);

    write(program, { compilerOptions: { strict: true, noCheck: true } });
    const unchecked = await engine.preview({ cwd: dir, stack: "tc" });
    assert.equal(unchecked.ok, true, unchecked.diagnostics.map((d) => d.message).join("\n"));
  });
});
