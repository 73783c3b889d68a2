import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { flattenOutputs } from "../../demo/main";
import { cleanEnv } from "../cli/helpers";
import { REPO_ROOT, typeErrors } from "../cli/typecheck";

const DEMO_JS = join(__dirname, "..", "..", "demo", "main.js");

function stateFilesOf(dir: string): string[] {
  const state = join(dir, ".pulumi-test");
  return existsSync(state) ? readdirSync(state).filter((f) => f.startsWith("demo-")) : [];
}

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO_JS, ...args], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("demo program demo/bad", () => {
  it("type-checks against the package (plain JavaScript under @ts-check)", () => {
    assert.deepEqual(typeErrors([join(REPO_ROOT, "demo", "bad", "index.js")], { allowJs: true, checkJs: true }), []);
  });
});

describe("demo output", () => {
  it("flattens stack outputs into path: value lines and hides secrets", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
    assert.deepEqual(
      flattenOutputs(
        { plans: { db: { rpoHours: 24, nextRuns: ["a", "b"], token: secret } }, empty: [], list: [{ id: 1 }] },
        "",
      ),
      [
        "plans.db.rpoHours: 24",
        "plans.db.nextRuns: a, b",
        "plans.db.token: [secret]",
        "empty: (none)",
        "list[0].id: 1",
      ],
    );
  });
});

describe("npm run demo (engine stand-in path)", function () {
  this.timeout(240_000);

  it("--help prints the usage (exit 0); an unknown flag prints one error line and the usage (exit 2)", async () => {
    const help = await runDemo(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: npm run demo -- \[--engine pulumi\|stand-in\]/);
    const bad = await runDemo(["--turbo"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: unknown flag --turbo\nUsage: npm run demo -- /);
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, "no stack trace");
  });

  it("stops at the failing stage with the underlying message, exit 1, and shuts the emulator down", async () => {
    const result = await runDemo(["--engine", "warp-drive"]);
    assert.equal(result.code, 1, "the process ends by itself: the emulator was closed");
    assert.match(result.stdout, /━━ \[1\/8\] Start the API emulator/);
    assert.match(result.stderr, /demo failed at stage 1\/8: --engine must be pulumi or stand-in, got `warp-drive`/);
  });

  it("runs every stage, exits 0 and leaves no state behind", async () => {
    const result = await runDemo(["--engine", "stand-in"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout;
    const stages = [...out.matchAll(/^━━ \[(\d)\/8\] (.*)$/gm)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
    assert.equal(stages.length, 8, out);
    assert.match(stages[0] ?? "", /^1 Start the API emulator/);
    assert.match(stages[1] ?? "", /^2 Deploy examples\/quickstart with the engine stand-in .*not Pulumi/);
    assert.match(stages[2] ?? "", /^3 What the plans guarantee/);
    assert.match(stages[3] ?? "", /^4 Two weeks later/);
    assert.match(stages[4] ?? "", /^5 Restore the newest backup of volume db-data, pinned at create/);
    assert.match(stages[5] ?? "", /^6 The policy pack stops a bad backup setup/);
    assert.match(stages[6] ?? "", /^7 Backup health: a plan whose backups fail breaches its RPO/);
    assert.match(stages[7] ?? "", /^8 Destroy the stacks/);

    assert.match(out, /^ {3}\+ {2}create {3}BackupPlan {2}db-nightly$/m, "the quickstart's steps are shown");
    assert.match(out, /RPO \(longest gap\): +24 h/);
    assert.match(out, /^ {3}CREATED\s+PLAN\s+VOLUME\s+KIND\s+STATUS\s+CHAIN$/m, "the checkpoints table");
    assert.match(out, /incremental/);
    assert.match(out, /\(backup of 20\S+\) into new volume db-data-restored \(\S+\): success/);
    assert.match(out, /pinned: later `up`s keep this backup/);
    assert.match(out, /✗ max-rpo \(mandatory\) on weekday-only:/);
    assert.match(out, /✗ min-retention \(mandatory\) on short-memory:/);
    assert.match(
      out,
      // The age is "2 d" and then whatever part of a day the wall clock adds: "2 d 18 min" has no hours.
      /^ {3}db-data-nightly\s+db-data\s+started\s+\S+\s+2 d (?:\d+ h )?(?:\d+ min )?.*BREACH$/m,
      "the health stage shows the breach",
    );
    assert.match(out, /^ {3}web-data-daily\s+web-data\s+started\s.*ok$/m);
    assert.match(out, /exit code 4: a cron job or a CI schedule alerts on it/);
    assert.match(out, /plans left in the emulator: 0/);
    assert.match(out, /Where to go next \(README\.md\)/);

    for (const example of ["quickstart", "restore"])
      assert.deepEqual(stateFilesOf(join(REPO_ROOT, "examples", example)), []);
    assert.deepEqual(stateFilesOf(join(REPO_ROOT, "demo", "bad")), []);
  });
});
