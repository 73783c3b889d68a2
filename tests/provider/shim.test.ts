// The serialized providers are part of every user's state. These tests pin what the issue promises: a thin
// shim (no captured module, no implementation), at most 2 KB, identical for every resource and between a
// checkout and an installed `npm pack` tarball, loadable the way the plugin loads it, credentials never in it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlanProvider, RestoreProvider } from "../../provider/shim";
import { captureConfig } from "../../provider/runtime";
import { REPO_ROOT } from "../e2e/fixture";

const RUNTIME = "pulumi-scheduled-backup/runtime";
const BUDGET_BYTES = 2048;

interface ProbeOutput {
  results: Record<
    string,
    { text: string; before: string; after: string; failures: { property: string; reason: string }[] }
  >;
  sdkFromPackage: string;
  sdkFromProgram: string;
  runtimeEntry: string;
  pkgEntry: string;
}

const PROBE = path.join(REPO_ROOT, "tests", "e2e", "fixtures", "serialize", "probe.js");

/** Runs the probe script at `script` (its location decides Node's package scope) from `cwd`. */
function probe(cwd: string, script: string = PROBE): ProbeOutput {
  const stdout = execFileSync(process.execPath, [script], { cwd, encoding: "utf8", timeout: 60_000 });
  return JSON.parse(stdout) as ProbeOutput;
}

describe("serialized providers (shim)", function () {
  this.timeout(120_000);

  for (const [label, make] of [
    ["BackupPlanProvider", () => new BackupPlanProvider()],
    ["RestoreProvider", () => new RestoreProvider()],
  ] as const) {
    it(`${label} serializes to a small text that only names the runtime entry point`, async () => {
      const first = await pulumi.runtime.serializeFunction(() => make());
      const second = await pulumi.runtime.serializeFunction(() => make());
      assert.equal(first.text, second.text, "the same for every resource");
      assert.ok(first.text.length <= BUDGET_BYTES, `${first.text.length} bytes`);
      assert.ok(first.text.includes(`require("${RUNTIME}")`));
      const requires = [...first.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      assert.deepEqual(requires, [RUNTIME], "no module is captured by reference or by value");
      assert.equal(first.containsSecrets, false);
      assert.doesNotMatch(first.text, /zod|undici|cron-parser|__importStar/);
    });
  }

  it("configure keeps only the scheduledbackup:* settings it knows", () => {
    const stack: Record<string, string> = {
      "scheduledbackup:endpoint": "http://127.0.0.1:1/data-protect/v2",
      "scheduledbackup:token": "t0ken-value",
      "scheduledbackup:notASetting": "x",
      "aws:secretKey": "not ours",
      "myproject:endpoint": "not ours either",
    };
    const captured = captureConfig({ get: (key) => stack[key] });
    assert.deepEqual({ ...captured }, { endpoint: "http://127.0.0.1:1/data-protect/v2", token: "t0ken-value" });
    assert.ok(Object.isFrozen(captured));
  });

  it("from this checkout (the package by name through node_modules), the plugin's way of loading works", () => {
    const out = probe(REPO_ROOT);
    assert.equal(out.sdkFromPackage, out.sdkFromProgram, "one copy of @pulumi/pulumi");
    for (const [type, r] of Object.entries(out.results)) {
      assert.ok(r.text.length <= BUDGET_BYTES, `${type}: ${r.text.length} bytes`);
      assert.equal(r.before, "undefined", "methods come from the runtime, not from the state");
      assert.equal(r.after, "function");
    }
    const plan = out.results["pulumi-nodejs:dynamic/scheduledbackup:BackupPlan"];
    assert.ok(plan);
    const properties = new Set(plan.failures.map((f) => f.property));
    for (const p of ["name", "maxBackups", "schedulePattern", "resources"])
      assert.ok(properties.has(p), `check names ${p}`);
  });

  it("installed from an `npm pack` tarball, it serializes to the very same text and loads from the install", () => {
    const inRepo = probe(REPO_ROOT);
    const dir = path.join(REPO_ROOT, ".pulumi-test", `pack-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // A project of its own: without this package.json, Node's self-reference rule would resolve the
    // package's name to this checkout (the directory lies inside it) instead of the install.
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pack-probe", private: true }));
    try {
      const packed = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
          cwd: REPO_ROOT,
          encoding: "utf8",
          timeout: 120_000,
        }),
      ) as { filename: string }[];
      const tarball = path.join(dir, packed[0]?.filename ?? "");
      const modules = path.join(dir, "node_modules");
      const target = path.join(modules, "pulumi-scheduled-backup");
      mkdirSync(target, { recursive: true });
      execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
      // The package's dependencies and peer (@pulumi/pulumi) come from beside it, as in a user's install.
      for (const entry of readdirSync(path.join(REPO_ROOT, "node_modules"))) {
        if (entry === "pulumi-scheduled-backup" || entry === ".bin" || entry.startsWith(".")) continue;
        symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry));
      }
      // The probe must live in the install too: Node resolves a package's own name from inside it to itself.
      const script = path.join(dir, "probe.js");
      copyFileSync(PROBE, script);
      const installed = probe(dir, script);
      assert.ok(installed.pkgEntry.startsWith(target), `package loaded from the install: ${installed.pkgEntry}`);
      assert.ok(
        installed.runtimeEntry.startsWith(target),
        `runtime loaded from the install: ${installed.runtimeEntry}`,
      );
      assert.equal(installed.sdkFromPackage, installed.sdkFromProgram, "one copy of @pulumi/pulumi");
      for (const [type, r] of Object.entries(installed.results)) {
        assert.equal(r.text, inRepo.results[type]?.text, `${type}: identical to the checkout's`);
        assert.equal(r.after, "function");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "when the runtime cannot be loaded, " + "every method rejects with that error (no half-configured provider)",
    async () => {
      const serialized = await pulumi.runtime.serializeFunction(() => new BackupPlanProvider());
      // An untyped CommonJS module, as the plugin loads it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const requireFromString = require("require-from-string") as (code: string) => { handler(): BackupPlanProvider };
      const cwd = process.cwd();
      const outside = path.join(path.parse(REPO_ROOT).root, "tmp");
      process.chdir(outside);
      try {
        const provider = requireFromString(serialized.text).handler();
        await provider.configure({ config: { get: () => undefined } });
        await assert.rejects(provider.create({}), /Cannot find module 'pulumi-scheduled-backup\/runtime'/);
        await assert.rejects(provider.check({}, {}), /Cannot find module/);
      } finally {
        process.chdir(cwd);
      }
    },
  );
});
