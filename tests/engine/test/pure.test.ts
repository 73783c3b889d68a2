import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parsePolicyPackConfig, PolicyConfigError } from "../analyzers.js";
import { parseCli } from "../cli.js";
import { buildConfig, RunOptionsError } from "../index.js";
import {
  annotateSecrets,
  applyIgnoreChanges,
  changedKeys,
  decodeSecretsFromState,
  encodeSecretsForState,
  isSecret,
  makeSecret,
  markAdditionalSecrets,
  parsePropertyPath,
  pathContains,
  SIG_KEY,
  SECRET_SIG,
  unwrapSecrets,
  UNKNOWN,
} from "../properties.js";
import { readProject, type ProjectInfo } from "../processes.js";
import { reconcilePolicyPackConfig, type PolicyInfo } from "../policyConfig.js";
import { renderSummary } from "../render.js";
import { makeUrn, parseProviderRef, parseUrn, stackUrn } from "../urn.js";
import type { RunResult } from "../types.js";

describe("engine stand-in: property values", () => {
  it("secret wrappers: make, detect, unwrap at any depth", () => {
    const value = { a: makeSecret("s"), b: [1, makeSecret({ c: makeSecret(2) })] };
    assert.deepEqual(unwrapSecrets(value), { a: "s", b: [1, { c: 2 }] });
    assert.equal(isSecret({ [SIG_KEY]: SECRET_SIG, value: 1 }), true);
    assert.equal(isSecret({ value: 1 }), false);
    assert.deepEqual(makeSecret(makeSecret(1)), makeSecret(1), "no double wrapping");
  });

  it("annotateSecrets re-marks same-named outputs, objects by key, an array holding a secret as a whole", () => {
    const ins = {
      token: makeSecret("t"),
      nested: { key: makeSecret("k"), plain: 1, inner: { list: ["a", makeSecret("b")] } },
      list: [makeSecret("x"), "y"],
      plainList: ["p"],
    };
    const outs = {
      token: "t",
      nested: { key: "k", plain: 1, inner: { list: ["a", "b"] } },
      list: ["x", "y"],
      plainList: ["p"],
      derived: "t-len-1",
    };
    assert.deepEqual(annotateSecrets(outs, ins), {
      token: makeSecret("t"),
      nested: { key: makeSecret("k"), plain: 1, inner: { list: makeSecret(["a", "b"]) } },
      list: makeSecret(["x", "y"]),
      plainList: ["p"],
      derived: "t-len-1",
    });
    assert.deepEqual(markAdditionalSecrets({ derived: "d", other: 1 }, ["derived", "absent"]), {
      derived: makeSecret("d"),
      other: 1,
    });
  });

  it("state encoding never contains the plaintext and round-trips, accepting `plaintext` exports too", () => {
    const value = { password: makeSecret("correct horse"), list: [makeSecret({ n: 1 })], plain: "visible" };
    const encoded = encodeSecretsForState(value);
    const text = JSON.stringify(encoded);
    assert.ok(!text.includes("correct horse"));
    assert.ok(text.includes("ciphertext") && text.includes(SIG_KEY) && text.includes("visible"));
    assert.deepEqual(decodeSecretsFromState(encoded), value);
    assert.deepEqual(decodeSecretsFromState({ [SIG_KEY]: SECRET_SIG, plaintext: '"p"' }), makeSecret("p"));
  });

  it("changedKeys compares top-level values structurally", () => {
    assert.deepEqual(changedKeys({ a: 1, b: { c: [1] }, d: 1 }, { a: 1, b: { c: [2] }, e: 1 }), ["b", "d", "e"]);
    assert.deepEqual(changedKeys({ a: "x" }, { a: UNKNOWN }), ["a"]);
  });

  it("ignoreChanges restores old values by path, drops values that were absent, and `*` keeps everything", () => {
    const olds = { a: 1, tags: { env: "prod", team: "x" }, list: [1, 2] };
    const news = { a: 2, tags: { env: "dev", team: "y" }, list: [1, 3], added: true };
    assert.deepEqual(applyIgnoreChanges(news, olds, ["a", "tags.env", "list[1]", "added"]), {
      a: 1,
      tags: { env: "prod", team: "y" },
      list: [1, 2],
    });
    assert.deepEqual(applyIgnoreChanges(news, olds, ["*"]), olds);
  });

  it("property paths: dotted, indexed, quoted and wildcard; bad ones name the fix", () => {
    assert.deepEqual(parsePropertyPath('a.b[0]["c.d"]'), ["a", "b", 0, "c.d"]);
    assert.deepEqual(parsePropertyPath("tags[*]"), ["tags", "*"]);
    assert.throws(() => parsePropertyPath("a..b["), /invalid property path `a\.\.b\[`/);
    assert.equal(pathContains(["tags"], ["tags", "env"]), true);
    assert.equal(pathContains(["*"], ["anything"]), true);
    assert.equal(pathContains(["tags", "env"], ["tags"]), false);
  });
});

describe("engine stand-in: URNs, config, policy config", () => {
  it("Pulumi.yaml: `main:` moves the program (a file is the entry point, a directory the program directory)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "engine-project-"));
    try {
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "src", "main.ts"), "");
      const project = (yaml: string): ProjectInfo => {
        writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
        return readProject(dir);
      };
      assert.deepEqual(project("name: p\nruntime: nodejs\n"), {
        name: "p",
        programDirectory: dir,
        entryPoint: ".",
        typescript: true,
      });
      assert.deepEqual(project('name: "p"  # quoted\nmain: src/main.ts\n'), {
        name: "p",
        programDirectory: path.join(dir, "src"),
        entryPoint: "./main.ts",
        typescript: true,
      });
      assert.deepEqual(project("name: p\nmain: src\n"), {
        name: "p",
        programDirectory: path.join(dir, "src"),
        entryPoint: ".",
        typescript: true,
      });
      assert.throws(() => project("name: p\nmain: gone.ts\n"), /says `main: gone.ts`, but .*gone\.ts does not exist/);
      assert.throws(() => project("runtime: nodejs\n"), /has no top-level `name:`/);
      // runtime.options.typescript (default true) decides whether the program runs through ts-node.
      const typescript = (yaml: string): boolean => project(`name: p\n${yaml}`).typescript;
      assert.equal(
        typescript("runtime:\n  name: nodejs\n  options:\n    typescript: false # plain JS\nmain: src\n"),
        false,
      );
      assert.equal(typescript("runtime: {name: nodejs, options: {typescript: false}}\n"), false);
      assert.equal(typescript("runtime:\n  name: nodejs\n  options:\n    typescript: true\n"), true);
      assert.equal(
        typescript("runtime:\n  name: nodejs\ndescription: typescript: false is not an option here\n"),
        true,
      );
      assert.throws(
        () => typescript("runtime:\n  name: nodejs\n  options:\n    typescript: maybe\n"),
        /`runtime.options.typescript` must be true or false, got `maybe`/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("URNs qualify children by their parent's type, except the stack's", () => {
    const root = stackUrn("dev", "proj");
    assert.equal(root, "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
    const group = makeUrn("dev", "proj", root, "my:index:Group", "g");
    assert.equal(group, "urn:pulumi:dev::proj::my:index:Group::g");
    const child = makeUrn("dev", "proj", group, "pulumi-nodejs:dynamic/x:Item", "c");
    assert.equal(child, "urn:pulumi:dev::proj::my:index:Group$pulumi-nodejs:dynamic/x:Item::c");
    assert.deepEqual(parseUrn(child), {
      stack: "dev",
      project: "proj",
      qualifiedType: "my:index:Group$pulumi-nodejs:dynamic/x:Item",
      type: "pulumi-nodejs:dynamic/x:Item",
      name: "c",
    });
    assert.deepEqual(parseProviderRef(`${root}::abc`), { urn: root, id: "abc" });
  });

  it("bare config keys belong to the project; malformed keys are refused with the fix", () => {
    const config = buildConfig("proj", { config: { endpoint: "e", "aws:region": "r" }, secrets: { token: "t" } });
    assert.deepEqual(
      [...config.values],
      [
        ["proj:endpoint", { value: "e", secret: false }],
        ["aws:region", { value: "r", secret: false }],
        ["proj:token", { value: "t", secret: true }],
      ],
    );
    assert.throws(
      () => buildConfig("proj", { config: { "ns:": "x" } }),
      (err: unknown) => err instanceof RunOptionsError && /`ns:` is malformed: use `namespace:key`/.test(err.message),
    );
  });

  it("policy pack config: level strings, objects with properties, `all`; bad levels name the choices", () => {
    const config = parsePolicyPackConfig(
      "f.json",
      JSON.stringify({ all: "advisory", a: "mandatory", b: { enforcementLevel: "disabled", max: 3 }, c: { limit: 1 } }),
    );
    assert.deepEqual(Object.fromEntries(config), {
      all: { enforcementLevel: "advisory", properties: {} },
      a: { enforcementLevel: "mandatory", properties: {} },
      b: { enforcementLevel: "disabled", properties: { max: 3 } },
      c: { properties: { limit: 1 } },
    });
    assert.throws(
      () => parsePolicyPackConfig("f.json", JSON.stringify({ a: "required" })),
      (err: unknown) =>
        err instanceof PolicyConfigError &&
        /`a` has enforcement level "required"; use one of advisory, mandatory, disabled, remediate/.test(err.message),
    );
    assert.throws(() => parsePolicyPackConfig("f.json", "[1]"), /must be a JSON object keyed by policy name/);
  });

  it(
    "policy pack config is reconciled like the engine: schema defaults, `all` levels only, " +
      "unknown names kept, draft-07 validation",
    () => {
      const policies: PolicyInfo[] = [
        {
          name: "max-rpo",
          enforcementLevel: "mandatory",
          configSchema: { properties: { maxRpoHours: { type: "number", minimum: 1, default: 26 } }, required: [] },
        },
        {
          name: "named",
          enforcementLevel: "advisory",
          configSchema: { properties: { prefix: { type: "string" } }, required: ["prefix"] },
        },
        { name: "plain", enforcementLevel: "advisory" },
      ];
      const given = parsePolicyPackConfig(
        "f.json",
        JSON.stringify({
          all: { enforcementLevel: "disabled", maxRpoHours: 2 },
          named: { prefix: "p-" },
          maxRpo: { maxRpoHours: 3 },
        }),
      );
      const { config, errors } = reconcilePolicyPackConfig(policies, given);
      assert.deepEqual(errors, []);
      assert.deepEqual(Object.fromEntries(config), {
        "max-rpo": { enforcementLevel: "disabled", properties: { maxRpoHours: 26 } },
        named: { enforcementLevel: "disabled", properties: { prefix: "p-" } },
        plain: { enforcementLevel: "disabled" },
        all: { enforcementLevel: "disabled", properties: { maxRpoHours: 2 } },
        maxRpo: { enforcementLevel: "advisory", properties: { maxRpoHours: 3 } },
      });
      const bad = reconcilePolicyPackConfig(
        policies,
        parsePolicyPackConfig("f.json", JSON.stringify({ "max-rpo": { maxRpoHours: "x" } })),
      );
      assert.deepEqual(bad.errors, [
        "max-rpo: maxRpoHours: must be number",
        "named: must have required property 'prefix'",
      ]);
    },
  );
});

describe("engine stand-in: CLI parsing and summary", () => {
  it("parses repeatable flags into RunOptions", () => {
    const parsed = parseCli([
      "up",
      "--cwd",
      "p",
      "--stack",
      "ci",
      "--config",
      "a=1",
      "--config",
      "ns:b=x=y",
      "--secret",
      "t=s",
      "--policy-pack",
      "p1",
      "--policy-pack",
      "p2",
      "--policy-pack-config",
      "c.json",
      "--fake-package",
      "openstack",
      "--parallel",
      "2",
      "--json",
    ]);
    assert.deepEqual(parsed, {
      command: "up",
      json: true,
      showSecrets: false,
      options: {
        cwd: "p",
        stack: "ci",
        config: { a: "1", "ns:b": "x=y" },
        secrets: { t: "s" },
        policyPacks: ["p1", "p2"],
        policyPackConfig: "c.json",
        fakePackages: ["openstack"],
        parallel: 2,
      },
    });
    assert.deepEqual(parseCli(["destroy", "--cwd", "p", "--run-program"]), {
      command: "destroy",
      json: false,
      showSecrets: false,
      options: { cwd: "p", runProgram: true },
    });
  });

  it("refuses bad usage with the fix", () => {
    assert.throws(
      () => parseCli(["deploy", "--cwd", "p"]),
      /unknown command `deploy`: use preview, up, refresh or destroy/,
    );
    assert.throws(() => parseCli(["up"]), /--cwd DIR is required/);
    assert.throws(
      () => parseCli(["up", "--cwd", "p", "--config", "novalue"]),
      /--config expects KEY=VALUE, got `novalue`/,
    );
    assert.throws(() => parseCli(["up", "--cwd", "p", "--parallel", "0"]), /--parallel expects a positive integer/);
    assert.throws(
      () => parseCli(["up", "--cwd", "p", "--run-program"]),
      /--run-program applies to refresh and destroy only/,
    );
    assert.equal(parseCli(["--help"]), "help");
  });

  it("renders Pulumi-like lines, counts, policy findings and secret outputs as [secret]", () => {
    const result: RunResult = {
      command: "up",
      ok: false,
      statePath: "/tmp/s.json",
      durationMs: 1234,
      steps: [
        { op: "create", urn: "u1", type: "t:m:A", name: "a", status: "ok" },
        { op: "update", urn: "u2", type: "t:m:A", name: "b", status: "ok", diffs: ["value"] },
        {
          op: "replace",
          urn: "u3",
          type: "t:m:A",
          name: "c",
          status: "ok",
          diffs: ["kind"],
          deleteBeforeReplace: true,
        },
        { op: "delete", urn: "u4", type: "t:m:A", name: "d", status: "failed" },
      ],
      diagnostics: [
        { severity: "error", message: "boom", urn: "urn:pulumi:s::p::t:m:A::d" },
        {
          severity: "warning",
          message: "[advisory] pack/p: msg",
          urn: "urn:pulumi:s::p::t:m:A::a",
          policy: { pack: "pack", name: "p", enforcementLevel: "advisory" },
        },
      ],
      outputs: { token: makeSecret("hush"), count: 2 },
    };
    const text = renderSummary(result, "s");
    assert.match(text, /engine stand-in \(test infrastructure, not the Pulumi CLI\)/);
    assert.match(text, /^ \+ {3}t:m:A\s+a\s+create$/m);
    assert.match(text, /^ ~ {3}t:m:A\s+b\s+update \[diff: ~value\]$/m);
    assert.match(text, /^ \+- {2}t:m:A\s+c\s+replace \[diff: ~kind\] \[delete-before-replace\]$/m);
    assert.match(text, /error: boom/);
    assert.match(text, /Policies: 0 mandatory violation\(s\), 1 other finding\(s\)\n {4}! pack\/p \[advisory\] on a/);
    assert.match(text, /token: "\[secret\]"/);
    assert.ok(!text.includes("hush"));
    assert.match(text, /\+ 1 created\n\s+~ 1 updated\n\s+\+- 1 replaced\n\s+x 1 failed/);
    assert.match(text, /FAILED/);
    assert.match(text, /^State: \/tmp\/s\.json$/m);
    assert.doesNotMatch(renderSummary({ ...result, command: "preview" }, "s"), /State:/, "a preview writes no state");
  });
});
