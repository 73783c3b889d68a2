import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { destroy, up } from "../../engine";
import { VOLUMES, admin, clientFor, createPlan, emulatorEnv, parseJson, runMain } from "../../cli/helpers";
import { SCRATCH_ROOT, typeErrors } from "../../cli/typecheck";
import { startHarness } from "../fixture";
import type { Harness } from "../fixture";

describe("scheduled-backup import-plans", function () {
  this.timeout(180_000);
  let h: Harness;
  let dir: string;

  before(async () => {
    h = await startHarness({ volumes: VOLUMES.map((v) => ({ ...v })), startTime: new Date("2025-03-03T00:00:00Z") });
    await createPlan(h.emulator, { name: 'db "nightly"', description: 'quotes " and \\ backslashes\nand a newline' });
    await createPlan(h.emulator, {
      name: "web-frequent",
      backup_mode: "frequency",
      max_backups: 3,
      schedule_type: "calendar",
      schedule_pattern: "15 1 * * 1,4",
      resources: [
        { id: VOLUMES[1].id, name: VOLUMES[1].name, type: "OS::Cinder::Volume" },
        { id: VOLUMES[2].id, name: VOLUMES[2].name, type: "OS::Cinder::Volume" },
      ],
    });
    const suspended = await createPlan(h.emulator, {
      name: "logs-paused",
      schedule_pattern: "0 4 * * 0",
      max_backups: 4,
      resources: [{ id: VOLUMES[2].id, name: VOLUMES[2].name, type: "OS::Cinder::Volume" }],
    });
    await clientFor(h.emulator).updatePlan(suspended.id, { status: "suspended" });
    mkdirSync(SCRATCH_ROOT, { recursive: true });
    dir = mkdtempSync(join(SCRATCH_ROOT, "cli-import-"));
  });
  const livePlans = async (): Promise<unknown> => {
    const state = (await admin(h.emulator, "GET", "/state")) as { plans: { id: string }[] };
    return [...state.plans].sort((a, b) => a.id.localeCompare(b.id));
  };

  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(SCRATCH_ROOT) && readdirSync(SCRATCH_ROOT).length === 0) rmSync(SCRATCH_ROOT, { recursive: true });
  });

  it("filters by --name, writes to stdout by default and refuses to overwrite without --force", async () => {
    const filtered = await runMain(["import-plans", "--name", "^web-"], emulatorEnv(h.emulator));
    assert.equal(filtered.code, 0, filtered.stderr);
    assert.match(filtered.stdout, /new BackupPlan\("web-frequent"/);
    assert.doesNotMatch(filtered.stdout, /logs-paused/);
    assert.match(filtered.stderr, /1 plan\(s\) of 3 written above/);
    const badRegex = await runMain(["import-plans", "--name", "("], emulatorEnv(h.emulator));
    assert.equal(badRegex.code, 2);
    assert.match(badRegex.stderr, /--name is not a valid regular expression/);
    const existing = join(dir, "existing.ts");
    writeFileSync(existing, "// mine\n");
    const refused = await runMain(["import-plans", "--out", existing], emulatorEnv(h.emulator));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already exists/);
    assert.equal(readFileSync(existing, "utf8"), "// mine\n");
    rmSync(existing);
  });

  it(
    "generates a program that type-checks and adopts every plan without a change; " + "a second up is all `same`",
    async () => {
      const out = join(dir, "index.ts");
      const result = await runMain(["import-plans", "--out", out, "--json"], emulatorEnv(h.emulator));
      assert.equal(result.code, 0, result.stderr);
      const summary = parseJson<{ file: string; plans: { id: string; name: string; resourceName: string }[] }>(
        result.stdout,
      );
      assert.equal(summary.file, out);
      assert.deepEqual(summary.plans.map((p) => p.resourceName).sort(), ["db-nightly", "logs-paused", "web-frequent"]);
      assert.ok(existsSync(out));
      assert.deepEqual(typeErrors([out]), [], "the generated program type-checks against the package");

      // `main:` names the program file; without it the runtime would take the repo's package.json `main`.
      writeFileSync(join(dir, "Pulumi.yaml"), "name: imported-plans\nruntime: nodejs\nmain: index.ts\n");
      const run = h.options(dir, "dev");
      const plansBefore = await livePlans();
      const createsBefore = h.requests.filter((line) => /^(POST|DELETE) .*\/plans/.test(line)).length;
      const first = await up(run);
      assert.ok(first.ok, JSON.stringify(first.diagnostics.filter((d) => d.severity === "error")));
      const planSteps = first.steps.filter((s) => s.type === "pulumi-nodejs:dynamic/scheduledbackup:BackupPlan");
      assert.equal(planSteps.length, 3);
      assert.ok(
        planSteps.every((s) => s.op === "create" && s.status === "ok"),
        "adoption is a create step for the engine",
      );
      assert.equal(
        h.requests.filter((line) => /^(POST|DELETE) .*\/plans/.test(line)).length,
        createsBefore,
        "no plan was created or deleted",
      );
      assert.deepEqual(await livePlans(), plansBefore, "every input already equalled the live plan: nothing changed");
      const outputs = first.outputs["planIds"] as Record<string, string>;
      assert.deepEqual(Object.keys(outputs).sort(), ["db-nightly", "logs-paused", "web-frequent"]);

      const second = await up(run);
      assert.ok(second.ok);
      const again = second.steps.filter((s) => s.type === "pulumi-nodejs:dynamic/scheduledbackup:BackupPlan");
      assert.deepEqual(
        again.map((s) => s.op),
        ["same", "same", "same"],
      );

      const teardown = await destroy(run);
      assert.ok(teardown.ok);
    },
  );
});
