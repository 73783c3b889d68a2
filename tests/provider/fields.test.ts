// The field tables (provider/fields/) and what is derived from them: the sets the diff, check, the rules and
// the dialects work with, pinned, so a table edit that changes a derived behaviour shows here first.
import assert from "node:assert/strict";
import { z } from "zod";
import { PLAN_DIALECT_FIELDS } from "../../provider/api/dialectFields";
import { planCreateSchema, planSchema, planUpdatedSchema, planUpdateSchema } from "../../provider/api/schemas";
import {
  LOCAL_PROPERTIES,
  PATCHABLE_PROPERTIES,
  PLAN_DEFAULTS,
  PLAN_INPUT_PROPERTIES,
  PLAN_OUTPUT_ONLY_PROPERTIES,
  REPLACE_PROPERTIES,
  RULE_PROPERTIES,
} from "../../provider/fields/backupPlan";
import { SERVER_FIELDS, UPDATABLE_FIELDS, WRITABLE_FIELDS } from "../../provider/fields/planApi";
import { RESTORE_API_FIELDS, RESTORE_INPUT_PROPERTIES, RESTORE_REQUEST_FIELDS } from "../../provider/fields/restore";
import { camelName } from "../../provider/mapping";

describe("field tables", () => {
  it("classify every BackupPlan change: replace, PATCH in place, local only", () => {
    assert.deepEqual(REPLACE_PROPERTIES, ["backupMode", "projectId", "region"]);
    assert.deepEqual(PATCHABLE_PROPERTIES, [
      "name",
      "description",
      "maxBackups",
      "scheduleType",
      "schedulePattern",
      "resources",
      "status",
    ]);
    assert.deepEqual(LOCAL_PROPERTIES, ["endpoint", "timeouts"]);
    assert.deepEqual(PLAN_OUTPUT_ONLY_PROPERTIES, ["createdAt", "nextRunTimes", "maxIntervalHours", "retentionDays"]);
    assert.deepEqual(RULE_PROPERTIES, [
      "name",
      "description",
      "backupMode",
      "maxBackups",
      "scheduleType",
      "schedulePattern",
      "resources",
    ]);
    assert.equal(PLAN_INPUT_PROPERTIES.length, 13);
    assert.deepEqual(PLAN_DEFAULTS, {
      description: "",
      backupMode: "full",
      scheduleType: "crontab",
      status: "started",
    });
  });

  it("give the API plan's create, update and server-owned fields, and the schemas built from them", () => {
    assert.deepEqual(WRITABLE_FIELDS, [
      "name",
      "description",
      "backup_mode",
      "max_backups",
      "schedule_type",
      "schedule_pattern",
      "resources",
    ]);
    assert.deepEqual(UPDATABLE_FIELDS, [
      "name",
      "description",
      "max_backups",
      "schedule_type",
      "schedule_pattern",
      "resources",
      "status",
    ]);
    assert.deepEqual([...SERVER_FIELDS].sort(), ["created_at", "id", "status"]);
    assert.deepEqual(Object.keys(planCreateSchema.shape), WRITABLE_FIELDS);
    assert.deepEqual(Object.keys(planUpdateSchema.shape), UPDATABLE_FIELDS);
    assert.equal(planUpdateSchema.safeParse({ backup_mode: "full" }).success, false, "backup_mode is immutable");
    assert.equal(planCreateSchema.safeParse({ status: "started" }).success, false, "status is the service's");
  });

  it("read a response's description as empty when absent, and keep it absent in a PATCH answer", () => {
    const plan = {
      id: "p",
      name: "n",
      backup_mode: "full",
      full_backups_amount: 3,
      schedule_type: "crontab",
      schedule_pattern: "0 2 * * *",
      resources: [],
      status: "started",
      created_at: "2026-01-01T00:00:00Z",
    };
    const read = planSchema.parse(plan);
    assert.equal(read.description, "");
    assert.equal(read.max_backups, 3, "the vendor's retention name is read as max_backups");
    assert.equal(planUpdatedSchema.parse({ name: "n" }).description, undefined);
    assert.equal(z.safeParse(planSchema, { ...plan, name: undefined }).success, false, "name is required");
  });

  it("name the dialects' fields and translate every API name to its property", () => {
    assert.deepEqual(PLAN_DIALECT_FIELDS, {
      description: { seed: "description", vendor: undefined },
      max_backups: { seed: "max_backups", vendor: "full_backups_amount" },
    });
    assert.equal(camelName("full_backups_amount"), "maxBackups");
    assert.equal(camelName("schedule_pattern"), "schedulePattern");
    assert.equal(camelName("created_at"), "createdAt");
    assert.equal(camelName("checkpoint_item_id"), "checkpointItemId");
    assert.equal(camelName("resource_type"), "resourceType");
  });

  it("give the Restore's inputs (every one replaces), its request body and the outputs read from the answer", () => {
    assert.deepEqual(RESTORE_INPUT_PROPERTIES, [
      "checkpointItemId",
      "volumeId",
      "volumeName",
      "planName",
      "notAfter",
      "restoreName",
      "projectId",
      "region",
      "endpoint",
    ]);
    assert.deepEqual(RESTORE_REQUEST_FIELDS, [
      ["checkpointItemId", "checkpoint_item_id"],
      ["restoreName", "restore_name"],
    ]);
    assert.deepEqual(RESTORE_API_FIELDS, [
      ["checkpointId", "checkpoint_id"],
      ["resourceId", "resource_id"],
      ["resourceType", "resource_type"],
      ["status", "status"],
    ]);
  });
});
