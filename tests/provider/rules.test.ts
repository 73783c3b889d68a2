import assert from "node:assert/strict";
import {
  checkDescription,
  checkMaxBackups,
  checkName,
  checkResources,
  GUID_RE,
  MAX_BACKUPS,
  MAX_RESOURCES,
  RESOURCE_TYPES,
} from "../../provider/rules";
import { paths, STORED, update } from "./rules-helpers";

describe("rules", () => {
  it("constants match the API reference", () => {
    assert.deepEqual(MAX_BACKUPS, { full: 90, frequency: 14 });
    assert.deepEqual(RESOURCE_TYPES, ["OS::Cinder::Volume"]);
    assert.equal(MAX_RESOURCES, 100);
  });

  describe("checkPlanBody on update", () => {
    it("accepts an empty patch and any single valid field", () => {
      assert.deepEqual(update({}), []);
      assert.deepEqual(update({ name: "db-hourly" }), []);
      assert.deepEqual(update({ status: "suspended" }), []);
      assert.deepEqual(update({ status: "started", max_backups: 90 }), []);
    });

    it("counts a field sent as null as not sent", () => {
      assert.deepEqual(
        update({
          name: null,
          description: null,
          max_backups: null,
          schedule_type: null,
          schedule_pattern: null,
          resources: null,
          status: null,
          backup_mode: null,
        }),
        [],
      );
    });

    it("refuses to change backup_mode", () => {
      const problems = update({ backup_mode: "full" });
      assert.deepEqual(paths(problems), ["backup_mode"]);
      assert.match(problems[0]?.message ?? "", /cannot be changed/);
      assert.match(problems[0]?.fix ?? "", /create a new plan/);
    });

    it("accepts only started or suspended as status", () => {
      const problems = update({ status: "paused" });
      assert.deepEqual(paths(problems), ["status"]);
      assert.match(problems[0]?.fix ?? "", /`started`.*`suspended`/);
    });

    it("checks max_backups against the stored mode", () => {
      assert.deepEqual(update({ max_backups: 15 }), []);
      assert.deepEqual(paths(update({ max_backups: 91 })), ["max_backups"]);
      const frequency = { ...STORED, backup_mode: "frequency" };
      assert.deepEqual(update({ max_backups: 14 }, frequency), []);
      assert.deepEqual(paths(update({ max_backups: 15 }, frequency)), ["max_backups"]);
      assert.deepEqual(paths(update({ max_backups: 0 }, frequency)), ["max_backups"]);
    });

    it("re-validates the schedule with the stored half", () => {
      // The stored crontab pattern is not in the weekly form: switching the type alone is refused, on schedule_type.
      const stored = { ...STORED, schedule_pattern: "0 */6 * * *" };
      const problems = update({ schedule_type: "calendar" }, stored);
      assert.deepEqual(paths(problems), ["schedule_type"]);
      assert.match(problems[0]?.message ?? "", /with the plan's current schedule_pattern `0 \*\/6 \* \* \*`/);
      assert.deepEqual(update({ schedule_type: "calendar", schedule_pattern: "0 6 * * *" }, stored), []);
      // A stored calendar plan takes only weekly patterns.
      const calendar = { ...STORED, schedule_type: "calendar" };
      assert.deepEqual(paths(update({ schedule_pattern: "0 3 1 * *" }, calendar)), ["schedule_pattern"]);
      assert.deepEqual(update({ schedule_pattern: "0 3 * * 1" }, calendar), []);
    });

    it("rejects server-owned and unknown fields, but not when sent as null", () => {
      assert.deepEqual(paths(update({ id: "x", created_at: "2024-01-01T00:00:00Z", colour: "red" })).sort(), [
        "colour",
        "created_at",
        "id",
      ]);
      assert.deepEqual(update({ id: null }), []);
    });

    it("checks each sent field and reports all problems at once", () => {
      const problems = update({
        name: "",
        description: "d".repeat(2000),
        max_backups: -1,
        schedule_pattern: "@daily",
        resources: [],
        status: "on",
        backup_mode: "frequency",
      });
      assert.deepEqual(paths(problems).sort(), [
        "backup_mode",
        "description",
        "max_backups",
        "name",
        "resources",
        "schedule_pattern",
        "status",
      ]);
    });
  });

  describe("single-field checkers", () => {
    it("checkName / checkDescription bounds", () => {
      assert.deepEqual(checkName("n"), []);
      assert.deepEqual(checkName("n".repeat(255)), []);
      assert.equal(checkName("n".repeat(256)).length, 1);
      assert.deepEqual(checkDescription(""), []);
      assert.deepEqual(checkDescription("d".repeat(1024)), []);
      assert.equal(checkDescription("d".repeat(1025)).length, 1);
    });

    it("says a missing value is missing, in plain words", () => {
      assert.match(checkName(undefined)[0]?.message ?? "", /name must be a string, got nothing$/);
      assert.match(checkMaxBackups("full", undefined)[0]?.message ?? "", /whole number, got nothing$/);
      assert.doesNotMatch(JSON.stringify(checkResources([{ id: undefined, name: "v" }])), /a undefined/);
    });

    it("checkMaxBackups with an unknown mode applies only the lower bound", () => {
      assert.deepEqual(checkMaxBackups("weird", 500), []);
      assert.equal(checkMaxBackups("weird", 0).length, 1);
      assert.equal(checkMaxBackups("full", Number.NaN).length, 1);
      assert.equal(checkMaxBackups("full", Number.POSITIVE_INFINITY).length, 1);
    });

    it("checkResources defaults to not requiring GUIDs", () => {
      assert.deepEqual(checkResources([{ id: "v1", name: "v1", type: "OS::Cinder::Volume" }]), []);
    });

    it("GUID_RE takes any 8-4-4-4-12 hex id, not only RFC 9562 UUIDs", () => {
      assert.ok(GUID_RE.test("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"));
      assert.ok(GUID_RE.test("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
      assert.ok(!GUID_RE.test("a0b1c2d3e4f506172839 4a5b6c7d8e9f"));
      assert.ok(!GUID_RE.test("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9"));
      assert.ok(!GUID_RE.test("g0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"));
    });
  });
});
