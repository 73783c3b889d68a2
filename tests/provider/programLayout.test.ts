// Where the plugin runs and how the serialized shim finds the runtime, outside this repository: a project
// with `main: src/index.ts` whose packages are pnpm-style symlinks in src/node_modules only. The engine
// starts the plugin in the program's directory (src/), and the shim's `require` resolves from there, so
// create and destroy work; from the Pulumi.yaml directory nothing would resolve.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertOk, engine, REPO_ROOT, startHarness, stepSummary, VOLUMES } from "./harness";
import type { Harness } from "./harness";

const [db] = VOLUMES;

describe("a program under src/ with symlinked node_modules, outside the repository", function () {
  this.timeout(180_000);
  let h: Harness;
  let project: string;

  before(async () => {
    h = await startHarness();
    project = mkdtempSync(path.join(tmpdir(), "layout-"));
    const src = path.join(project, "src");
    mkdirSync(path.join(src, "node_modules", "@pulumi"), { recursive: true });
    // pnpm links each dependency into node_modules; the targets keep their own dependencies.
    symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"), path.join(src, "node_modules", "@pulumi", "pulumi"), "dir");
    symlinkSync(REPO_ROOT, path.join(src, "node_modules", "pulumi-scheduled-backup"), "dir");
    writeFileSync(path.join(project, "Pulumi.yaml"), "name: layout\nruntime: nodejs\nmain: src/index.ts\n");
    // Not a test of type checking: opt out as users can (tests/engine/test/typecheck.test.ts covers it).
    writeFileSync(path.join(src, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noCheck: true } }));
    writeFileSync(path.join(src, "index.ts"), [
      'import { BackupPlan } from "pulumi-scheduled-backup";',
      `export const id = new BackupPlan("nightly", { name: "layout-nightly", maxBackups: 3, schedulePattern: "0 3 * * *", resources: [{ id: "${db.id}", name: "${db.name}" }] }).id;`,
      "",
    ].join("\n"));
  });
  after(async () => {
    await engine.destroy(h.options(project, "layout")).catch(() => undefined);
    rmSync(project, { recursive: true, force: true });
    await h.close();
  });

  it("creates and destroys: the plugin runs in src/ and the shim resolves the runtime from there", async () => {
    const created = await engine.up(h.options(project, "layout"));
    assertOk(created);
    assert.deepEqual(stepSummary(created), ["create nightly"]);
    assert.deepEqual((await h.plans()).map((p) => p.name), ["layout-nightly"]);
    const destroyed = await engine.destroy(h.options(project, "layout"));
    assertOk(destroyed);
    assert.deepEqual(await h.plans(), []);
  });
});
