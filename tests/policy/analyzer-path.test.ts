// The policies inside @pulumi/policy's own Analyze/AnalyzeStack handlers, as the CLI would run them.
import assert from "node:assert/strict";
import { validateResourceOfType } from "@pulumi/policy";
import { backupGuard } from "../../policy/guard";
import { BackupPlan } from "../../provider";
import { BACKUP_PLAN_TYPE } from "../../provider/tokens";
import { InProcessAnalyzer } from "./analyzer";
import { spreadMinute } from "../../policy/core/format";
import { compliantPlan, PROVIDER_TEXT, UNKNOWN, urnOf, VOLUME_TYPE } from "./harness";

describe("policy pack through @pulumi/policy's analyzer handlers", () => {
  const analyzer = new InProcessAnalyzer(backupGuard());
  const plan = (props: Record<string, unknown>, stack = "dev") => ({
    type: BACKUP_PLAN_TYPE,
    name: "nightly",
    urn: urnOf(BACKUP_PLAN_TYPE, "nightly", stack),
    properties: compliantPlan(props),
  });

  it("passes the compliant baseline and skips other resource types by type token", async () => {
    const clean = await analyzer.analyze(plan({}));
    assert.deepEqual(clean.diagnostics, []);
    const volume = await analyzer.analyze({
      type: VOLUME_TYPE,
      name: "v",
      urn: urnOf(VOLUME_TYPE, "v"),
      properties: { size: 10 },
    });
    assert.deepEqual(volume.diagnostics, []);
    assert.ok(volume.notApplicable.includes("max-rpo"), "typed validations are skipped for other types");
  });

  it("reports a 48 h RPO plan as mandatory, the description first, then the plan's own message", async () => {
    const { diagnostics } = await analyzer.analyze(plan({ schedulePattern: "0 2 * * 1,3,5" }));
    const rpo = diagnostics.filter((d) => d.policy === "max-rpo");
    assert.equal(rpo.length, 1);
    assert.equal(rpo[0]!.level, "mandatory");
    assert.match(
      rpo[0]!.message,
      /^A backup plan's recovery point objective .*\nplan `db-nightly` runs at most every 72 h/,
    );
    assert.ok(!rpo[0]!.message.includes("sk-live"), "never echoes the provider text");
  });

  it("downgrades a policy that reads an unknown value to the preview advisory", async () => {
    const { diagnostics } = await analyzer.analyze(plan({ schedulePattern: UNKNOWN }));
    const byPolicy = new Map(diagnostics.map((d) => [d.policy, d]));
    for (const name of ["schedule-valid", "max-rpo", "min-retention"]) {
      assert.equal(byPolicy.get(name)?.level, "advisory", name);
      assert.match(
        byPolicy.get(name)!.message,
        new RegExp(
          `^can't run policy '${name}' from policy pack 'scheduled-backup-guard@v0.1.0' during preview: ` +
            `string value at .schedulePattern can't be known during preview`,
        ),
      );
    }
    assert.equal(byPolicy.has("naming"), false, "policies that never read the unknown still run");
  });

  it("sets plan-started's level per stack through the violation object the handlers accept", async () => {
    const suspended = { status: "suspended" };
    const dev = (await analyzer.analyze(plan(suspended, "dev"))).diagnostics.filter((d) => d.policy === "plan-started");
    const prod = (await analyzer.analyze(plan(suspended, "prod"))).diagnostics.filter(
      (d) => d.policy === "plan-started",
    );
    assert.equal(dev[0]?.level, "advisory");
    assert.match(dev[0].message, /^A backup plan must be `started`[^\n]*\nplan `db-nightly` is `suspended`/);
    assert.equal(prod[0]?.level, "mandatory");
  });

  it("runs the stack policies over dependencies: an uncovered volume fails, a covered one passes", async () => {
    const volume = (name: string) => ({
      type: VOLUME_TYPE,
      name,
      urn: urnOf(VOLUME_TYPE, name),
      properties: { name, size: 10 },
    });
    const covering = {
      ...plan({ resources: [{ id: UNKNOWN, name: "db-data" }] }),
      propertyDependencies: { resources: [urnOf(VOLUME_TYPE, "db-data")] },
    };
    const { diagnostics } = await analyzer.analyzeStack([volume("db-data"), volume("scratch"), covering]);
    const coverage = diagnostics.filter((d) => d.policy === "volume-coverage");
    assert.equal(coverage.length, 1);
    assert.equal(coverage[0]!.level, "mandatory");
    assert.equal(coverage[0]!.urn, urnOf(VOLUME_TYPE, "scratch"));
  });

  it("remediates schedule-spread at level remediate: the minute moves, every other input stays", async () => {
    const remediating = new InProcessAnalyzer(backupGuard({ scheduleSpread: "remediate" }));
    const [remediation, ...rest] = await remediating.remediate(plan({ schedulePattern: "0 2 * * *" }));
    assert.deepEqual(rest, []);
    assert.equal(remediation?.policy, "schedule-spread");
    assert.deepEqual(
      remediation.properties,
      compliantPlan({ schedulePattern: `${spreadMinute("db-nightly")} 2 * * *` }),
    );
    assert.equal(remediation.properties?.["__provider"], PROVIDER_TEXT);
    assert.deepEqual(
      await analyzer.remediate(plan({ schedulePattern: "0 2 * * *" })),
      [],
      "nothing remediates at the default levels",
    );
  });

  it("composes with a team's own policies typed by the BackupPlan class (its __pulumiType)", async () => {
    const seen: string[] = [];
    const composed = new InProcessAnalyzer([
      ...backupGuard({ all: "disabled" }),
      {
        name: "team-min-backups",
        description: "Teams keep at least 40 backups.",
        enforcementLevel: "mandatory",
        validateResource: validateResourceOfType(BackupPlan, (props, _args, reportViolation) => {
          seen.push(String(props.schedulePattern));
          if (Number(props.maxBackups) < 40) reportViolation(`keeps ${String(props.maxBackups)}`);
        }),
      },
    ]);
    const { diagnostics } = await composed.analyze(plan({}));
    assert.deepEqual(seen, ["17 2,14 * * *"]);
    assert.deepEqual(
      diagnostics.map((d) => [d.policy, d.level]),
      [["team-min-backups", "mandatory"]],
    );
  });
});
