// `scheduled-backup policy check-config FILE`: the check Pulumi does not make. The engine keeps a policy
// name it does not know without a word, so a camelCase key would silently configure nothing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cleanEnv, runMain } from "./helpers";

describe("scheduled-backup policy check-config (offline)", () => {
  const env = cleanEnv();
  let dir: string;
  const file = (name: string, config: unknown): string => {
    const target = path.join(dir, name);
    writeFileSync(target, JSON.stringify(config));
    return target;
  };
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "policy-config-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts a config whose keys are policies of the pack with valid levels and options", async () => {
    const result = await runMain(
      [
        "policy",
        "check-config",
        file("ok.json", { all: "advisory", "max-rpo": { enforcementLevel: "mandatory", maxRpoHours: 4 } }),
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /every key names a policy of the pack/);
  });

  it("names an unknown key with `did you mean`, a bad level and an option that does not fit", async () => {
    const bad = file("bad.json", {
      maxRpo: { maxRpoHours: 4 },
      "min-intervall": "advisory",
      "max-rpo": { maxRpoHours: "four" },
      "schedule-valid": "required",
    });
    const result = await runMain(["policy", "check-config", bad], env);
    assert.equal(result.code, 2, result.stdout);
    assert.match(
      result.stderr,
      /`maxRpo` is not a policy of this pack, and Pulumi ignores it without a word: did you mean `max-rpo`\?/,
    );
    assert.match(result.stderr, /`min-intervall` .* did you mean `min-interval`\?/);
    assert.match(result.stderr, /`max-rpo`: .*maxRpoHours/);
    assert.match(
      result.stderr,
      /`schedule-valid`: enforcement level "required" is not one of advisory, mandatory, remediate, disabled/,
    );
  });
});
