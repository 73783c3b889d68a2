// Where the plugin runs and how the serialized shim finds the runtime, outside this repository: a project
// with `main: src/index.ts` whose packages are pnpm-style symlinks in src/node_modules only. The engine
// starts the plugin in the program's directory (src/), and the shim's `require` resolves from there, so
// create and destroy work; from the Pulumi.yaml directory nothing would resolve. A package reachable only
// through a workspace library is refused up front, naming where to install it; one removed while plans remain
// fails destroy with a message naming the same.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertOk, engine, REPO_ROOT, startHarness, stepSummary, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

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
    symlinkSync(
      path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
      path.join(src, "node_modules", "@pulumi", "pulumi"),
      "dir",
    );
    symlinkSync(REPO_ROOT, path.join(src, "node_modules", "pulumi-scheduled-backup"), "dir");
    writeFileSync(path.join(project, "Pulumi.yaml"), "name: layout\nruntime: nodejs\nmain: src/index.ts\n");
    // Not a test of type checking: opt out as users can (tests/e2e/engine/typecheck.test.ts covers it).
    writeFileSync(
      path.join(src, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noCheck: true } }),
    );
    writeFileSync(
      path.join(src, "index.ts"),
      [
        'import { BackupPlan } from "pulumi-scheduled-backup";',
        `export const id = new BackupPlan("nightly", { name: "layout-nightly", maxBackups: 3, ` +
          `schedulePattern: "0 3 * * *", resources: [{ id: "${db.id}", name: "${db.name}" }] }).id;`,
        "",
      ].join("\n"),
    );
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
    assert.deepEqual(
      (await h.plans()).map((p) => p.name),
      ["layout-nightly"],
    );
    const destroyed = await engine.destroy(h.options(project, "layout"));
    assertOk(destroyed);
    assert.deepEqual(await h.plans(), []);
  });

  it(
    "the package removed while plans remain: " + "destroy names where to install it, and works once it is back",
    async () => {
      const created = await engine.up(h.options(project, "layout"));
      assertOk(created);
      const src = path.join(project, "src");
      const link = path.join(src, "node_modules", "pulumi-scheduled-backup");
      rmSync(link);
      try {
        const failed = await engine.destroy(h.options(project, "layout"));
        assert.equal(failed.ok, false);
        const errors = failed.diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => d.message)
          .join("\n");
        assert.ok(
          errors.includes(
            `pulumi-scheduled-backup is not installed where Pulumi runs its provider, ${src}: ` +
              `run \`npm install pulumi-scheduled-backup\` there, then run the command again`,
          ),
          errors,
        );
        assert.doesNotMatch(errors, /^(Error: )?Cannot find module/m, errors);
        assert.deepEqual(
          (await h.plans()).map((p) => p.name),
          ["layout-nightly"],
        );
      } finally {
        symlinkSync(REPO_ROOT, link, "dir");
      }
      const destroyed = await engine.destroy(h.options(project, "layout"));
      assertOk(destroyed);
      assert.deepEqual(await h.plans(), []);
    },
  );

  it("the package only in a workspace library: preview fails naming where to install it", async () => {
    // ws/app is the Pulumi project; ws/lib is a workspace library that depends on the package.
    const ws = path.join(project, "ws");
    const app = path.join(ws, "app");
    const lib = path.join(ws, "lib");
    mkdirSync(path.join(app, "node_modules", "@pulumi"), { recursive: true });
    mkdirSync(path.join(lib, "node_modules"), { recursive: true });
    symlinkSync(
      path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
      path.join(app, "node_modules", "@pulumi", "pulumi"),
      "dir",
    );
    symlinkSync(REPO_ROOT, path.join(lib, "node_modules", "pulumi-scheduled-backup"), "dir");
    writeFileSync(path.join(lib, "index.js"), 'module.exports = require("pulumi-scheduled-backup");\n');
    writeFileSync(path.join(app, "Pulumi.yaml"), "name: app\nruntime: nodejs\nmain: index.ts\n");
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noCheck: true } }),
    );
    writeFileSync(
      path.join(app, "index.ts"),
      [
        'const { BackupPlan } = require("../lib");',
        `new BackupPlan("nightly", { name: "ws-nightly", maxBackups: 3, schedulePattern: "0 3 * * *", ` +
          `resources: [{ id: "${db.id}", name: "${db.name}" }] });`,
        "",
      ].join("\n"),
    );
    const result = await engine.preview(h.options(app, "ws"));
    assert.equal(result.ok, false);
    const errors = result.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => d.message)
      .join("\n");
    assert.match(
      errors,
      /pulumi-scheduled-backup is not installed where Pulumi's dynamic-provider plugin looks for it/,
      errors,
    );
    assert.ok(errors.includes(`Add it to the dependencies of the project in ${app}`), errors);
  });
});
