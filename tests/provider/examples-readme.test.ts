// examples/README.md's offline commands are checked, not just shown: every `npm run -s engine -- ...` line
// (with its shell variables expanded) parses with the stand-in's own CLI parser and names directories that
// exist, the emulator line parses with the emulator's, and the ids, project and token match what it serves.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULTS } from "../../emulator";
import { parseCli as parseEmulatorCli } from "../../emulator/main";
import { parseCli as parseEngineCli } from "../engine/cli";
import { REPO_ROOT } from "../e2e/fixture";

/** Shell words of one line: '...' and "..." quoting, $NAME / "$NAME" expansion, # comments. */
function words(line: string, variables: Record<string, string>): string[] {
  const out: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of line.replace(/\s#.*$/, "").matchAll(pattern)) {
    const [, single, double, bare] = match;
    if (single !== undefined) out.push(single);
    else if (double !== undefined) out.push(double.replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? ""));
    else if (bare !== undefined && bare.startsWith("$"))
      out.push(...(variables[bare.slice(1)] ?? "").split(/\s+/).filter(Boolean));
    else if (bare !== undefined) out.push(bare);
  }
  return out;
}

describe("examples/README.md offline commands", () => {
  const text = readFileSync(path.join(REPO_ROOT, "examples", "README.md"), "utf8");
  const lines = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? "").split("\n"));
  const variables: Record<string, string> = {};
  for (const line of lines) {
    const assignment = /^(\w+)=(.*)$/.exec(line);
    if (assignment !== null) variables[assignment[1] ?? ""] = words(assignment[2] ?? "", variables)[0] ?? "";
  }

  it("the emulator line parses and serves the volumes, project and token the commands use", () => {
    const line = lines.find((l) => l.startsWith("npm run -s emulator -- --port 8686"));
    assert.ok(line, "an emulator line");
    const parsed = parseEmulatorCli(words(line, variables).slice(5));
    assert.notEqual(parsed, "help");
    const volumes = parsed === "help" ? [] : (parsed.options.volumes ?? []);
    const quickstartVolumes = JSON.parse((variables["VOLUMES"] ?? "").replace(/^quickstart:volumes=/, "")) as {
      id: string;
      name: string;
    }[];
    assert.deepEqual(quickstartVolumes, volumes);
    assert.match(variables["EMU"] ?? "", new RegExp(`projectId=${DEFAULTS.projectId} .*token=${DEFAULTS.token}$`));
  });

  it("every engine command parses with the stand-in's CLI and names existing directories", () => {
    const commands = lines.filter((l) => l.startsWith("npm run -s engine -- "));
    assert.ok(commands.length >= 6, commands.join("\n"));
    for (const line of commands) {
      const invocation = parseEngineCli(words(line, variables).slice(5));
      assert.notEqual(invocation, "help", line);
      if (invocation === "help") continue;
      assert.ok(existsSync(path.join(REPO_ROOT, invocation.options.cwd, "Pulumi.yaml")), line);
      for (const pack of invocation.options.policyPacks ?? [])
        assert.ok(existsSync(path.join(REPO_ROOT, pack, "PulumiPolicy.yaml")), line);
      assert.equal(invocation.options.secrets?.["scheduledbackup:token"], DEFAULTS.token, line);
      const volumes = invocation.options.config?.["quickstart:volumes"];
      if (volumes !== undefined) assert.equal((JSON.parse(volumes) as unknown[]).length, 2, line);
    }
  });
});
