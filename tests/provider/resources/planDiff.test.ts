import assert from "node:assert/strict";
import { diffBackupPlan, toDiffResult } from "../../../provider/resources/planDiff";
import { UNKNOWN } from "../../../provider/resources/unknown";

const A = { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data", type: "OS::Cinder::Volume" };
const B = { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c02", name: "web-data", type: "OS::Cinder::Volume" };

/** Recorded outputs of a plan (what `diff` gets as olds). */
function recorded(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __provider: "old shim text",
    name: "db-nightly",
    description: "",
    backupMode: "full",
    maxBackups: 7,
    scheduleType: "crontab",
    schedulePattern: "0 2 * * *",
    resources: [A, B],
    status: "started",
    createdAt: "2026-01-01T00:00:00Z",
    nextRunTimes: ["2026-01-02T02:00:00.000Z"],
    maxIntervalHours: 24,
    retentionDays: 6,
    ...overrides,
  };
}

/** Checked inputs (what `diff` gets as news). */
function desired(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __provider: "new shim text",
    name: "db-nightly",
    description: "",
    backupMode: "full",
    maxBackups: 7,
    scheduleType: "crontab",
    schedulePattern: "0 2 * * *",
    resources: [A, B],
    status: "started",
    ...overrides,
  };
}

describe("BackupPlan diff", () => {
  it("answers `changes: false` explicitly when nothing changed, ignoring __provider and derived outputs", () => {
    assert.deepEqual(toDiffResult(diffBackupPlan(recorded(), desired())), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("ignores the order of resources (the API gives it no meaning)", () => {
    assert.equal(diffBackupPlan(recorded(), desired({ resources: [B, A] })).changes, false);
  });

  for (const [property, value] of [
    ["name", "db-hourly"],
    ["description", "now described"],
    ["maxBackups", 8],
    ["scheduleType", "calendar"],
    ["schedulePattern", "0 3 * * *"],
    ["resources", [A]],
    ["status", "suspended"],
  ] as const) {
    it(`patches ${property} in place, and only it`, () => {
      const diff = diffBackupPlan(recorded(), desired({ [property]: value }));
      assert.deepEqual(diff.patch, [property]);
      assert.deepEqual(diff.replaces, []);
      assert.equal(diff.changes, true);
    });
  }

  it("a renamed volume counts as a resources change", () => {
    assert.deepEqual(diffBackupPlan(recorded(), desired({ resources: [A, { ...B, name: "web-2" }] })).patch, [
      "resources",
    ]);
  });

  it("replaces on backupMode, delete first", () => {
    const result = toDiffResult(diffBackupPlan(recorded(), desired({ backupMode: "frequency", maxBackups: 4 })));
    assert.deepEqual(result, { changes: true, replaces: ["backupMode"], deleteBeforeReplace: true });
  });

  it("replaces when the plan moves to another project or region", () => {
    assert.deepEqual(diffBackupPlan(recorded({ projectId: "p1" }), desired({ projectId: "p2" })).replaces, [
      "projectId",
    ]);
    assert.deepEqual(diffBackupPlan(recorded({ region: "ru-1" }), desired({ region: "ru-3" })).replaces, ["region"]);
  });

  it("making the default project explicit changes nothing; a new default moves the plan", () => {
    const created = recorded({ projectId: "p1", region: "ru-1" });
    assert.equal(
      diffBackupPlan(created, desired({ projectId: "p1" }), { projectId: "p1", region: "ru-1" }).changes,
      false,
    );
    assert.equal(diffBackupPlan(created, desired(), { projectId: "p1", region: "ru-1" }).changes, false);
    assert.deepEqual(diffBackupPlan(created, desired(), { projectId: "p9", region: "ru-1" }).replaces, ["projectId"]);
  });

  it("never replaces on placement it cannot compare (nothing recorded, or no default known)", () => {
    assert.equal(diffBackupPlan(recorded(), desired({ projectId: "p2" })).changes, false);
    assert.equal(diffBackupPlan(recorded({ projectId: "p1" }), desired()).changes, false);
    assert.deepEqual(diffBackupPlan(recorded({ projectId: "p1" }), desired({ projectId: UNKNOWN })).replaces, [
      "projectId",
    ]);
  });

  it("an unknown value in a replace key counts as a replacement; elsewhere as an update", () => {
    assert.deepEqual(diffBackupPlan(recorded(), desired({ backupMode: UNKNOWN })).replaces, ["backupMode"]);
    const nested = diffBackupPlan(recorded(), desired({ resources: [A, { ...B, id: UNKNOWN }] }));
    assert.deepEqual(nested.replaces, []);
    assert.deepEqual(nested.patch, ["resources"]);
  });

  it("endpoint and timeouts are the resource's own: recorded by an update, never sent", () => {
    const diff = diffBackupPlan(
      recorded(),
      desired({ timeouts: { create: 60 }, endpoint: "http://127.0.0.1:9/data-protect/v2" }),
    );
    assert.deepEqual(diff.local, ["endpoint", "timeouts"]);
    assert.deepEqual(diff.patch, []);
    assert.equal(diff.changes, true);
    assert.equal(
      diffBackupPlan(recorded({ timeouts: { create: 60 } }), desired({ timeouts: { create: 60, update: undefined } }))
        .changes,
      false,
    );
  });

  it("adoptExistingId only matters on create", () => {
    assert.equal(diffBackupPlan(recorded({ adoptExistingId: "x" }), desired({ adoptExistingId: "y" })).changes, false);
  });

  it("a plan seen in another status (drift) is patched back", () => {
    assert.deepEqual(diffBackupPlan(recorded({ status: "suspended" }), desired()).patch, ["status"]);
  });
});
