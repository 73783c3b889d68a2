// The ready pack (policy/) end to end: real Pulumi programs under the engine stand-in, the pack served
// by the real analyzer host (it runs the JavaScript `npm run build` emits), BackupPlans handled by the real dynamic
// provider against the emulator. The pack and the programs load `pulumi-scheduled-backup` by name,
// i.e. from dist/, and the pack runs its compiled index.js: `npm run build` first.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { preview, up } from "../../engine";
import type { RunOptions, RunResult } from "../../engine";
import { fixtureDir, REPO_ROOT, startHarness } from "../fixture";
import type { Harness } from "../fixture";

const PACK = path.join(REPO_ROOT, "policy");
const DB_DATA_ID = "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6";

function policyErrors(result: RunResult, policy: string) {
  return result.diagnostics.filter((d) => d.policy?.name === policy && d.policy.enforcementLevel === "mandatory");
}

function describeRun(result: RunResult): string {
  return [
    `ok=${result.ok}`,
    ...result.diagnostics.map(
      (d) => `${d.severity}${d.policy ? ` [${d.policy.name}/${d.policy.enforcementLevel}]` : ""}: ${d.message}`,
    ),
  ].join("\n");
}

describe("policy pack end to end (engine stand-in)", function () {
  this.timeout(180_000);
  let h: Harness;

  before(async () => {
    assert.ok(existsSync(path.join(REPO_ROOT, "dist", "policy", "guard.js")), "build dist first: npm run build");
    assert.ok(
      existsSync(path.join(PACK, "index.js")),
      "the pack runs precompiled: npm run build emits policy/index.js",
    );
    for (const name of ["compliant", "rpo-48h", "uncovered-volume"])
      rmSync(path.join(fixtureDir(name), ".pulumi-test"), { recursive: true, force: true });
    h = await startHarness({ volumes: [{ id: DB_DATA_ID, name: "db-data" }] });
  });

  after(async () => {
    await h?.close();
    for (const name of ["compliant", "rpo-48h", "uncovered-volume"])
      rmSync(path.join(fixtureDir(name), ".pulumi-test"), { recursive: true, force: true });
  });

  const options = (name: string, stack: string, extra: Partial<RunOptions> = {}): RunOptions =>
    h.options(
      fixtureDir(name),
      stack,
      { dbDataVolumeId: DB_DATA_ID },
      {},
      { policyPacks: [PACK], fakePackages: ["openstack"], ...extra },
    );

  const planRequests = () => h.requests.filter((line) => /\/plans/.test(line));

  it("lets a compliant program through", async () => {
    const result = await up(options("compliant", "compliant"));
    assert.ok(result.ok, describeRun(result));
    assert.deepEqual(
      result.diagnostics.filter((d) => d.policy?.enforcementLevel === "mandatory"),
      [],
    );
    assert.ok(
      result.steps.some((s) => s.type.endsWith(":BackupPlan") && s.op === "create" && s.status === "ok"),
      describeRun(result),
    );
  });

  it("the quickstart (a nightly and a daily plan) passes the shipped pack at its defaults", async () => {
    const quickstart = path.join(REPO_ROOT, "examples", "quickstart");
    const volumes = [
      { id: DB_DATA_ID, name: "db-data" },
      { id: "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f7", name: "web-data" },
    ];
    try {
      const result = await preview(
        options("compliant", "quickstart-pack", {
          cwd: quickstart,
          config: { ...options("compliant", "x").config, "quickstart:volumes": JSON.stringify(volumes) },
        }),
      );
      assert.ok(result.ok, describeRun(result));
      assert.deepEqual(
        result.diagnostics.filter((d) => d.policy !== undefined && d.policy.enforcementLevel === "mandatory"),
        [],
        describeRun(result),
      );
      assert.equal(
        result.steps.filter((s) => s.type.endsWith(":BackupPlan") && s.op === "create").length,
        2,
        describeRun(result),
      );
    } finally {
      rmSync(path.join(quickstart, ".pulumi-test", "quickstart-pack.json"), { force: true });
    }
  });

  it("stops a plan with up to 72 h between runs before any call reaches the API", async () => {
    const before = planRequests().length;
    const result = await up(options("rpo-48h", "rpo-48h"));
    assert.equal(result.ok, false, describeRun(result));
    const [violation] = policyErrors(result, "max-rpo");
    assert.ok(violation, describeRun(result));
    assert.match(
      violation.message,
      /plan `db-mwf` runs at most every 72 h \(no runs on Tuesday, Thursday, Saturday and Sunday\), so up to 72 h of data can be lost; the limit is 24 h: add Tuesday, Thursday, Saturday and Sunday or use `17 2 \* \* \*`/,
    );
    assert.ok(!violation.message.includes(h.emulator.token), "never echoes secrets");
    assert.deepEqual(planRequests().slice(before), [], "no plan request reached the emulator");
    assert.ok(!result.steps.some((s) => s.type.endsWith(":BackupPlan") && s.status === "ok"));
  });

  it("passes the same program once --policy-pack-config relaxes the limit", async () => {
    const result = await up(
      options("rpo-48h", "rpo-48h-relaxed", {
        policyPackConfig: fixtureDir("relax-rpo.json"),
      }),
    );
    assert.ok(result.ok, describeRun(result));
    assert.deepEqual(policyErrors(result, "max-rpo"), []);
  });

  it("a misspelled option in --policy-pack-config: one clean message with a guess, no stack trace", async () => {
    const result = await preview(
      options("compliant", "typo", {
        policyPackConfig: fixtureDir("typo-rpo.json"),
      }),
    );
    assert.equal(result.ok, false, describeRun(result));
    // The policy's own message, once. The program's failure report that follows is the SDK's (it prints the
    // registration error with util.inspect, stack and colours included, from Node 24), not the pack's.
    const text = result.diagnostics
      .map((d) => d.message)
      .filter((m) => !/^Running program /.test(m))
      .join("\n");
    assert.equal(text.split("did you mean `maxRpoHours`").length - 1, 1, text);
    assert.doesNotMatch(text, /\n\s+at \S+ \(/, "no stack frames");
  });

  it("fails the stack policy for a volume no plan protects, already at preview", async () => {
    const result = await preview(options("uncovered-volume", "uncovered"));
    assert.equal(result.ok, false, describeRun(result));
    const violations = policyErrors(result, "volume-coverage");
    assert.equal(violations.length, 1, describeRun(result));
    assert.match(violations[0]!.message, /volume `scratch` is not in any backup plan/);
    assert.match(violations[0]!.urn ?? "", /::scratch$/);
    const skipped = result.diagnostics.find((d) => d.policy?.name === "resources-valid");
    assert.equal(skipped?.policy?.enforcementLevel, "advisory", "the plan's volume id is unknown in preview");
    assert.match(
      skipped.message,
      /can't run policy 'resources-valid' from policy pack 'scheduled-backup-guard@v0.1.0' during preview: string value at .resources.0.id can't be known during preview/,
    );
  });
});
