import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PolicyConfigError, PolicyPack, readPolicyPackConfig } from "../../engine/analyzers.js";
import * as engine from "../../engine/index.js";
import type { Diagnostic, RunOptions } from "../../engine/types.js";
import { useItemsStack } from "./items-api.js";
import { assertOk, fixtureDir, stepOf, waitForNoChildren } from "../fixture.js";

describe("engine stand-in: policy packs", function () {
  const items = useItemsStack("policy");
  const { cwd, stack } = items;
  const pack = fixtureDir("policy-pack");
  let configDir: string;
  const options = (spec: unknown[], extra: Partial<RunOptions> = {}): RunOptions =>
    items.options(spec, { policyPacks: [pack], ...extra });
  const policy = (result: engine.RunResult, name: string): Diagnostic[] =>
    result.diagnostics.filter((d) => d.policy?.name === name);

  before(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), "engine-policy-config-"));
  });
  after(async () => {
    rmSync(configDir, { recursive: true, force: true });
  });

  it("preview: policies over unknown values become advisories, and AnalyzeStack sees dependencies", async () => {
    const result = await engine.preview(
      options([
        { name: "a", kind: "named" },
        { name: "b", kind: "named", valueFrom: "a" },
      ]),
    );
    assertOk(result);
    const unknown = policy(result, "no-forbidden-value");
    assert.equal(unknown.length, 1);
    assert.equal(unknown[0]?.severity, "warning");
    assert.equal(unknown[0]?.policy?.enforcementLevel, "advisory");
    assert.match(
      unknown[0]?.message ?? "",
      /can't run policy 'no-forbidden-value' from policy pack 'items-guard@v0\.1\.0' during preview/,
    );
    assert.match(unknown[0]?.urn ?? "", /::b$/);
    const deps = policy(result, "item-dependencies");
    assert.deepEqual(
      deps.map((d) => d.message.split("\n").pop()),
      ["b depends on [a] props {value<-a}"],
    );
  });

  it(
    "a mandatory violation blocks the create before any " + "API call and fails the run; advisories are reported",
    async () => {
      const result = await engine.up(options([{ name: "bad", value: "forbidden" }]));
      assert.equal(result.ok, false);
      assert.equal(items.api.calls.length, 0, "nothing may reach the API");
      assert.equal(stepOf(result, "bad").status, "failed");
      const [mandatory] = policy(result, "no-forbidden-value");
      assert.deepEqual(mandatory?.policy, {
        pack: "items-guard",
        name: "no-forbidden-value",
        enforcementLevel: "mandatory",
      });
      assert.equal(mandatory?.severity, "error");
      assert.match(mandatory?.message ?? "", /Item 'bad' uses the forbidden value 'forbidden'\./);
      assert.match(policy(result, "item-kind-named")[0]?.message ?? "", /generic kind 'plain'/);
      assert.equal(
        engine.readState(cwd, stack).deployment.resources.some((r) => r.urn.endsWith("::bad")),
        false,
      );
      await waitForNoChildren();
    },
  );

  it(
    "policy pack config changes the outcome: " + "properties reach the policy, levels change, remediations apply",
    async () => {
      const file = path.join(configDir, "policy-config.json");
      writeFileSync(
        file,
        JSON.stringify({
          "no-forbidden-value": { forbidden: "something-else" },
          "item-kind-named": "disabled",
          "kind-remediation": "remediate",
        }),
      );
      const result = await engine.up(options([{ name: "bad", value: "forbidden" }], { policyPackConfig: file }));
      assertOk(result);
      assert.equal(stepOf(result, "bad").op, "create");
      const findings = result.diagnostics.filter((d) => d.policy && d.policy.name !== "item-dependencies");
      assert.deepEqual(
        findings.map((d) => [d.severity, d.policy?.name, d.policy?.enforcementLevel]),
        [["info", "kind-remediation", "remediate"]],
      );
      assert.equal(items.api.items.size, 1);
      assert.equal(
        [...items.api.items.values()][0]?.kind,
        "remediated",
        "the remediated inputs are what the provider gets",
      );
      assertOk(await engine.destroy({ cwd, stack }));
    },
  );

  it(
    "policy config is reconciled like the engine: an unknown name is kept silently, " +
      "a property failing its schema is refused",
    async () => {
      const file = path.join(configDir, "typo.json");
      const env = { ...process.env, PULUMI_CONFIG: "{}" };
      writeFileSync(file, JSON.stringify({ "no-forbiden-value": "advisory" }));
      const started = await PolicyPack.start(pack, "127.0.0.1:9", env, readPolicyPackConfig(file), file);
      started.close();
      writeFileSync(file, JSON.stringify({ "no-forbidden-value": { forbidden: 3 } }));
      await assert.rejects(
        PolicyPack.start(pack, "127.0.0.1:9", env, readPolicyPackConfig(file), file),
        (err: unknown) =>
          err instanceof PolicyConfigError &&
          /validating policy config: items-guard \S*\s+no-forbidden-value: forbidden: must be string/.test(err.message),
      );
    },
  );
});
