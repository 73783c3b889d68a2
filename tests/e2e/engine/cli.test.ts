import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { RunResult } from "../../engine/types.js";
import { fixtureDir, freshStack, uniqueStack } from "../fixture.js";

const CLI = path.join(__dirname, "..", "..", "engine", "cli.js");

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("engine stand-in: CLI", function () {
  const cwd = fixtureDir("items");
  const stack = uniqueStack("cli");
  after(() => freshStack(cwd, stack));

  it("`up --json` prints the RunResult and exits 0", () => {
    const { status, stdout } = runCli([
      "up",
      "--cwd",
      cwd,
      "--stack",
      stack,
      "--config",
      "spec=[]",
      "--secret",
      "secretValue=hush",
      "--config",
      "logError=logged, not fatal",
      "--config",
      "say=hello from the program",
      "--json",
    ]);
    assert.equal(status, 0, stdout);
    const result = JSON.parse(stdout) as RunResult;
    assert.equal(result.ok, true, "pulumi.log.error alone does not fail an update");
    assert.ok(result.diagnostics.some((d) => d.severity === "error" && d.message === "logged, not fatal"));
    assert.ok(
      result.diagnostics.some((d) => d.severity === "info" && d.message === "hello from the program"),
      "program output is forwarded",
    );
    assert.deepEqual(
      result.steps.map((s) => s.op),
      ["create"],
    );
    assert.equal(result.outputs.secretConfig, "[secret]");
    assert.ok(!stdout.includes("hush"), "secret outputs are redacted");
  });

  it("a failed run prints the summary with the error and exits 1", () => {
    const spec = JSON.stringify([{ name: "x", value: "invalid" }]);
    const { status, stdout } = runCli([
      "up",
      "--cwd",
      cwd,
      "--stack",
      stack,
      "--config",
      `spec=${spec}`,
      "--config",
      "itemsfixture:apiUrl=http://127.0.0.1:9",
    ]);
    assert.equal(status, 1, stdout);
    assert.match(stdout, /value must not be 'invalid'/);
    assert.match(stdout, /FAILED/);
  });

  it("bad usage and bad policy config exit 2 with the fix", () => {
    const usage = runCli(["upp", "--cwd", cwd]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown command `upp`/);
    const config = runCli([
      "preview",
      "--cwd",
      cwd,
      "--stack",
      stack,
      "--policy-pack-config",
      path.join(cwd, "missing.json"),
    ]);
    assert.equal(config.status, 2);
    assert.match(config.stderr, /policy pack config .*missing\.json: cannot be read/);
  });
});
