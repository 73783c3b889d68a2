import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import ts from "typescript";
import type { Plan } from "../../provider/api";
import { generateProgram, nameAll, resourceNameFor, variableFor } from "../../cli/codegen";

function plan(overrides: Partial<Plan>): Plan {
  return {
    id: "11111111-2222-4333-8444-555555555555",
    name: "db-nightly",
    description: "",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    status: "started",
    created_at: "2025-01-01T00:00:00Z",
    resources: [{ id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0001", name: "db-data", type: "OS::Cinder::Volume" }],
    ...overrides,
  };
}

/** Runs the generated program with a recording BackupPlan, so the test reads back exactly what it declares. */
function evaluate(source: string): { name: string; args: Record<string, unknown> }[] {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const declared: { name: string; args: Record<string, unknown> }[] = [];
  class BackupPlan {
    readonly id: string;
    constructor(name: string, args: Record<string, unknown>) {
      // Objects made in the vm context have its prototypes: copy them into this realm to compare.
      declared.push({ name, args: JSON.parse(JSON.stringify(args)) as Record<string, unknown> });
      this.id = `id-of-${name}`;
    }
  }
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(js, {
    module,
    exports: module.exports,
    require: (name: string) => {
      assert.equal(name, "pulumi-scheduled-backup");
      return { BackupPlan };
    },
  });
  return declared;
}

describe("import-plans code generation", () => {
  it("writes every input exactly as the live plan holds it, including awkward strings", () => {
    const awkward = plan({
      name: 'db "prod" \\ nightly ${x} */ \u2028',
      description: "line one\nline two\t`tick` 'quote' // not a comment",
      backup_mode: "frequency",
      max_backups: 3,
      schedule_type: "calendar",
      schedule_pattern: "30 2 * * 1,3,5",
      status: "suspended",
      resources: [
        { id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0001", name: 'vol "a"', type: "OS::Cinder::Volume" },
        { id: "0b8f9a52-6a3e-4d8e-9a51-2a9f3f1c0002", name: "vol\\b", type: "OS::Cinder::Volume" },
      ],
    });
    const [declared] = evaluate(generateProgram([awkward], { projectId: "p1" }).source);
    assert.ok(declared !== undefined);
    assert.deepEqual(declared.args, {
      adoptExistingId: awkward.id,
      name: awkward.name,
      description: awkward.description,
      backupMode: "frequency",
      maxBackups: 3,
      scheduleType: "calendar",
      schedulePattern: "30 2 * * 1,3,5",
      status: "suspended",
      resources: awkward.resources,
    });
  });

  it("derives stable, URN-safe resource names and valid variable names", () => {
    assert.equal(resourceNameFor("db nightly::prod$1"), "db-nightly-prod-1");
    assert.equal(variableFor("db-nightly"), "dbNightly");
    assert.equal(variableFor("2024-plan"), "plan2024Plan");
    assert.equal(variableFor("class"), "classPlan");
    const named = nameAll([
      plan({ id: "bbbbbbbb-0000-4000-8000-000000000000", name: "web" }),
      plan({ id: "aaaaaaaa-0000-4000-8000-000000000000", name: "web" }),
      plan({ id: "cccccccc-0000-4000-8000-000000000000", name: "!!!" }),
      plan({ id: "dddddddd-0000-4000-8000-000000000000", name: "db" }),
    ]);
    assert.deepEqual(named.map((n) => n.resourceName).sort(), ["cccccccc", "db", "web-aaaaaaaa", "web-bbbbbbbb"]);
    assert.equal(new Set(named.map((n) => n.variable)).size, 4);
    const again = nameAll([
      ...[
        plan({ id: "dddddddd-0000-4000-8000-000000000000", name: "db" }),
        plan({ id: "cccccccc-0000-4000-8000-000000000000", name: "!!!" }),
        plan({ id: "aaaaaaaa-0000-4000-8000-000000000000", name: "web" }),
        plan({ id: "bbbbbbbb-0000-4000-8000-000000000000", name: "web" }),
      ],
    ]);
    assert.deepEqual(again, named, "input order does not change the names");
  });

  it("declares one resource per plan and exports their ids by resource name", () => {
    const source = generateProgram(
      [plan({}), plan({ id: "21111111-2222-4333-8444-555555555555", name: "web weekly" })],
      {},
    ).source;
    const declared = evaluate(source);
    assert.deepEqual(
      declared.map((d) => d.name),
      ["db-nightly", "web-weekly"],
    );
    assert.match(source, /^export const planIds = \{$/m);
    assert.match(source, /^ {4}"web-weekly": webWeekly\.id,$/m);
    assert.match(source, /^import \{ BackupPlan \} from "pulumi-scheduled-backup";$/m);
  });
});
