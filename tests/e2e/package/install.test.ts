// The install path the README gives, as a new user takes it: pack this repository, install the tarball with
// @pulumi/pulumi and @pulumi/policy into a fresh project outside the repository, then run a program and a
// policy pack from that project through the engine stand-in against the emulator. Nothing resolves from the
// repository: the project has its own node_modules, and the plugin loads the provider from there.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as engine from "../../engine";
import type { RunOptions, RunResult } from "../../engine";
import { REPO_ROOT, startHarness } from "../fixture";
import type { Harness } from "../fixture";

const run = promisify(execFile);
const VOLUME = { id: "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e601", name: "db-data" };
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { BackupPlan } = require("pulumi-scheduled-backup");
const config = new pulumi.Config();
const plan = new BackupPlan("db-nightly", {
  name: "db-nightly",
  description: "Nightly full backups of the database volume",
  maxBackups: 14,
  schedulePattern: config.get("schedule") || "0 2 * * *",
  resources: [{ id: config.require("volumeId"), name: "db-data" }],
});
exports.rpoHours = plan.maxIntervalHours;
exports.packageFile = require.resolve("pulumi-scheduled-backup");
`;

const PACK = `"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { backupGuard } = require("pulumi-scheduled-backup/policy");
new PolicyPack("backup-guard", { policies: backupGuard({ naming: "disabled" }) });
`;

function write(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

function describeRun(result: RunResult): string {
  return result.diagnostics
    .map((d) => `${d.severity}${d.policy ? ` [${d.policy.name}]` : ""}: ${d.message}`)
    .join("\n");
}

describe("install from the packed tarball (outside the repository)", function () {
  this.timeout(300_000);
  let scratch: string;
  let project: string;
  let h: Harness;
  const options = (extra: Partial<RunOptions> = {}, config: Record<string, string> = {}): RunOptions =>
    h.options(
      project,
      "dev",
      { volumeId: VOLUME.id, ...config },
      {},
      { policyPacks: [path.join(project, "backup-guard")], ...extra },
    );

  before(async () => {
    scratch = realpathSync(mkdtempSync(path.join(tmpdir(), "scheduled-backup-install-")));
    project = path.join(scratch, "app");
    // `npm pack` runs `prepack` (the build); the test run has built dist/ already, so it is skipped here.
    await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: REPO_ROOT });
    const tarball = path.join(scratch, `pulumi-scheduled-backup-${manifest.version}.tgz`);
    write(project, {
      "package.json": JSON.stringify({ name: "app", version: "1.0.0", private: true }),
      "Pulumi.yaml": "name: app\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "index.js": PROGRAM,
    });
    // A pack needs its package.json (@pulumi/policy reads the pack's version from it); its dependencies
    // resolve from the project's node_modules one directory up.
    write(path.join(project, "backup-guard"), {
      "PulumiPolicy.yaml": "runtime: nodejs\ndescription: Our backup rules\n",
      "package.json": JSON.stringify({ name: "backup-guard", version: "1.0.0", private: true, main: "index.js" }),
      "index.js": PACK,
    });
    // The peers at the versions this repository tests with, from the npm cache when it has them.
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        tarball,
        `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"] ?? ""}`,
        `@pulumi/policy@${manifest.devDependencies["@pulumi/policy"] ?? ""}`,
      ],
      { cwd: project },
    );
    h = await startHarness({ volumes: [VOLUME] });
  });
  after(async () => {
    if (h !== undefined) {
      await engine.destroy(options()).catch(() => undefined);
      await h.close();
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it("`npm pack` builds what it packs (prepack)", () => {
    assert.match(manifest.scripts["prepack"] ?? "", /npm run build/);
  });

  it("a program using the installed package passes the pack at its defaults and creates a nightly plan", async () => {
    const result = await engine.up(options());
    assert.ok(result.ok, describeRun(result));
    assert.equal(result.outputs["rpoHours"], 24);
    assert.ok(
      String(result.outputs["packageFile"]).startsWith(path.join(project, "node_modules", "pulumi-scheduled-backup")),
      String(result.outputs["packageFile"]),
    );
    const plans = await h.admin<{ plans: { name: string; schedule_pattern: string }[] }>("GET", "state");
    assert.deepEqual(
      plans.plans.map((p) => `${p.name} ${p.schedule_pattern}`),
      ["db-nightly 0 2 * * *"],
    );
  });

  it("the installed pack stops a weekday-only schedule before it reaches the API", async () => {
    const result = await engine.preview(options({}, { schedule: "0 2 * * 1-5" }));
    assert.equal(result.ok, false, describeRun(result));
    assert.match(describeRun(result), /\[max-rpo\]: .*runs at most every 72 h/s);
  });
});
