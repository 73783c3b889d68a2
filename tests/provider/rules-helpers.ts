// Shared fixtures of the rules tests: a compliant body and checkers that also assert every problem is well formed.
import assert from "node:assert/strict";
import { checkPlanBody, type FieldProblem } from "../../provider/rules";

/** A body the service accepts; each test mutates a copy. */
function baseline(): Record<string, unknown> {
  return {
    name: "db-nightly",
    description: "nightly backup of the database volumes",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [
      { id: "a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f", name: "db-data", type: "OS::Cinder::Volume" },
      { id: "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6", name: "db-wal", type: "OS::Cinder::Volume" },
    ],
  };
}

export const STORED = { backup_mode: "full", schedule_type: "crontab", schedule_pattern: "0 2 * * *" };

export function paths(problems: FieldProblem[]): string[] {
  return problems.map((p) => p.path.join("."));
}

function assertWellFormed(problems: FieldProblem[]): void {
  for (const p of problems) {
    assert.ok(p.path.length > 0, "every problem has a path");
    assert.ok(p.message.length > 5 && p.fix.length > 5, JSON.stringify(p));
  }
}

export function create(mutate: (body: Record<string, unknown>) => void, requireGuidIds = false): FieldProblem[] {
  const body = baseline();
  mutate(body);
  const problems = checkPlanBody(body, { mode: "create", requireGuidIds });
  assertWellFormed(problems);
  return problems;
}

export function update(patch: Record<string, unknown>, stored = STORED): FieldProblem[] {
  const problems = checkPlanBody(patch, { mode: "update", stored });
  assertWellFormed(problems);
  return problems;
}
