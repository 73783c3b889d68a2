import assert from "node:assert/strict";
import { checkBackupPlan } from "../../../provider/resources/planCheck";
import { UNKNOWN } from "../../../provider/resources/unknown";

const VOLUME = { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data" };

/** A compliant baseline each case mutates. */
function valid(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "db-nightly", maxBackups: 7, schedulePattern: "0 2 * * *", resources: [{ ...VOLUME }], ...overrides };
}

function failuresOf(news: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of checkBackupPlan(news).failures)
    out.set(f.property, out.has(f.property) ? `${out.get(f.property)} | ${f.reason}` : f.reason);
  return out;
}

describe("BackupPlan check", () => {
  it("accepts a minimal plan and applies the deterministic defaults", () => {
    const { inputs, failures } = checkBackupPlan({ ...valid(), __provider: "shim" });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, {
      name: "db-nightly",
      description: "",
      backupMode: "full",
      maxBackups: 7,
      scheduleType: "crontab",
      schedulePattern: "0 2 * * *",
      resources: [{ ...VOLUME, type: "OS::Cinder::Volume" }],
      status: "started",
    });
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["a missing name", valid({ name: undefined }), "name", /name is required/],
    ["an empty name", valid({ name: "" }), "name", /name is empty/],
    ["a name over 255 characters", valid({ name: "x".repeat(256) }), "name", /255/],
    ["a description over 1024 characters", valid({ description: "d".repeat(1025) }), "description", /1024/],
    [
      "an unknown backupMode",
      valid({ backupMode: "incremental" }),
      "backupMode",
      /`incremental` is not supported.*`full`.*`frequency`/,
    ],
    ["maxBackups 0", valid({ maxBackups: 0 }), "maxBackups", /at least 1/],
    ["maxBackups above 90 in full mode", valid({ maxBackups: 91 }), "maxBackups", /at most 90/],
    [
      "maxBackups above 14 in frequency mode",
      valid({ backupMode: "frequency", maxBackups: 15 }),
      "maxBackups",
      /at most 14/,
    ],
    ["a fractional maxBackups", valid({ maxBackups: 2.5 }), "maxBackups", /whole number/],
    ["maxBackups as a string", valid({ maxBackups: "7" }), "maxBackups", /whole number/],
    ["an invalid cron field", valid({ schedulePattern: "61 2 * * *" }), "schedulePattern", /61/],
    [
      "a four-field cron",
      valid({ schedulePattern: "0 2 * *" }),
      "schedulePattern",
      /4 fields; a schedule has exactly 5/,
    ],
    ["a schedule more often than hourly", valid({ schedulePattern: "*/30 * * * *" }), "schedulePattern", /hour/],
    ["a schedule that never fires", valid({ schedulePattern: "0 0 30 2 *" }), "schedulePattern", /never/],
    [
      "a calendar pattern not in the weekly form",
      valid({ scheduleType: "calendar", schedulePattern: "0 2 1 * *" }),
      "schedulePattern",
      /.+/,
    ],
    ["an unknown scheduleType", valid({ scheduleType: "rrule" }), "scheduleType", /.+/],
    ["no resources", valid({ resources: [] }), "resources", /at least one volume/],
    [
      "a resource id that is not a GUID",
      valid({ resources: [{ id: "db-data", name: "db-data" }] }),
      "resources[0].id",
      /not a GUID/,
    ],
    [
      "a duplicate resource",
      valid({ resources: [{ ...VOLUME }, { ...VOLUME }] }),
      "resources[1].id",
      /repeats resources\[0\]\.id/,
    ],
    ["a resource without name", valid({ resources: [{ id: VOLUME.id }] }), "resources[0].name", /non-empty string/],
    [
      "an unsupported resource type",
      valid({ resources: [{ ...VOLUME, type: "OS::Nova::Server" }] }),
      "resources[0].type",
      /OS::Cinder::Volume/,
    ],
    [
      "more than 100 resources",
      valid({
        resources: Array.from({ length: 101 }, (_, i) => ({
          id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`,
          name: `v${i}`,
        })),
      }),
      "resources",
      /at most 100/,
    ],
    ["an unknown status", valid({ status: "paused" }), "status", /`started`.*`suspended`/],
    ["an endpoint that is not a URL", valid({ endpoint: "ru-1.example" }), "endpoint", /http\(s\) URL/],
    ["an empty projectId", valid({ projectId: "" }), "projectId", /must not be empty/],
    ["a negative timeout", valid({ timeouts: { create: -1 } }), "timeouts.create", /above 0/],
    ["an unknown timeouts key", valid({ timeouts: { read: 5 } }), "timeouts.read", /unknown property/],
  ];
  for (const [what, news, property, reason] of cases) {
    it(`rejects ${what}, naming \`${property}\``, () => {
      const failures = failuresOf(news);
      assert.ok(failures.has(property), `expected a failure on ${property}, got ${JSON.stringify([...failures])}`);
      assert.match(failures.get(property) ?? "", reason);
    });
  }

  it("suggests the camelCase spelling of an API field name", () => {
    const failures = failuresOf(valid({ max_backups: 7 }));
    assert.match(failures.get("max_backups") ?? "", /did you mean `maxBackups`/);
  });

  it("rejects an unknown property, listing the known ones", () => {
    assert.match(
      failuresOf(valid({ retention: 3 })).get("retention") ?? "",
      /unknown property `retention`.*maxBackups/,
    );
  });

  it("reports every problem at once, in camelCase, each with its fix", () => {
    const failures = checkBackupPlan({
      name: "",
      backupMode: "frequency",
      maxBackups: 30,
      schedulePattern: "*/5 * * * *",
      resources: [],
    }).failures;
    assert.deepEqual([...new Set(failures.map((f) => f.property))].sort(), [
      "maxBackups",
      "name",
      "resources",
      "schedulePattern",
    ]);
    for (const f of failures) {
      assert.doesNotMatch(f.reason, /max_backups|backup_mode|schedule_pattern/, "API spellings are translated");
      assert.match(f.reason, /: /, "message and fix");
    }
  });

  it("skips values that are still unknown during preview, and keeps them as they are", () => {
    const { inputs, failures } = checkBackupPlan({
      name: UNKNOWN,
      maxBackups: UNKNOWN,
      schedulePattern: UNKNOWN,
      resources: [UNKNOWN, { id: UNKNOWN, name: "web-data" }],
    });
    assert.deepEqual(failures, []);
    assert.equal(inputs["maxBackups"], UNKNOWN);
    assert.deepEqual(inputs["resources"], [UNKNOWN, { id: UNKNOWN, name: "web-data", type: "OS::Cinder::Volume" }]);
  });

  it("still judges the known parts next to unknown ones", () => {
    const failures = failuresOf({
      ...valid(),
      backupMode: UNKNOWN,
      maxBackups: 500,
      resources: [UNKNOWN, { id: "bad", name: "x" }],
    });
    assert.ok(!failures.has("maxBackups"), "the limit depends on the unknown mode");
    assert.match(failures.get("resources[1].id") ?? "", /not a GUID/);
    assert.ok(!failures.has("resources[0]"));
  });

  it("an unknown resources list is not judged at all", () => {
    assert.deepEqual(checkBackupPlan(valid({ resources: UNKNOWN })).failures, []);
  });
});
