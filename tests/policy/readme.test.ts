// The pack's README is the reference users configure from: every policy, its key, default level and
// every option must be in it.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describePolicies } from "../../policy/guard";

function readmePath(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "policy", "README.md");
    if (existsSync(file)) return file;
  }
  throw new Error("policy/README.md not found above the test");
}

function readme(): string {
  return readFileSync(readmePath(), "utf8");
}

describe("policy/README.md", () => {
  const text = readme();

  it("has a table row per policy with its key and default level", () => {
    for (const policy of describePolicies()) {
      const row = text.split("\n").find((line) => line.startsWith(`| \`${policy.name}\` | \`${policy.key}\``));
      assert.ok(row, `no README row for ${policy.name}`);
      assert.ok(row.includes(policy.defaultLevel) && row.includes(policy.severity), `${policy.name}: ${row}`);
    }
  });

  it("documents every option", () => {
    for (const policy of describePolicies()) {
      for (const option of Object.keys(policy.configSchema.properties)) {
        assert.ok(text.includes(`\`${option}\``), `${policy.name}.${option} is not documented`);
      }
    }
  });

  it("shows the same GitHub Actions job as the package README (pulumi/actions v6 with a command)", () => {
    const job = (markdown: string) => /```yaml\nname: backup-policy\n[\s\S]*?```/.exec(markdown)?.[0];
    const here = job(text);
    assert.ok(here, "a CI job");
    const root = readFileSync(path.join(path.dirname(readmePath()), "..", "README.md"), "utf8");
    assert.equal(job(root), here);
    assert.match(here, /uses: pulumi\/actions@v6[^\n]*\n\s+with:\n\s+command: preview\n/);
  });
});
