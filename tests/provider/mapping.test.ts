import assert from "node:assert/strict";
import { camelizeText, planMatchesBody, propertyPath, toPlanCreate, toPlanUpdate } from "../../provider/mapping";
import type { Plan } from "../../provider/api/types";
import type { BackupPlanInputs } from "../../provider/types";

const inputs: BackupPlanInputs = {
  name: "db-nightly",
  description: "d",
  backupMode: "frequency",
  maxBackups: 4,
  scheduleType: "calendar",
  schedulePattern: "30 2 * * 1,3,5",
  resources: [{ id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data", type: "OS::Cinder::Volume" }],
  status: "suspended",
  projectId: "p",
  timeouts: { create: 60 },
};

describe("mapping between properties and API fields", () => {
  it("builds the create body in API spelling, without resource-only settings or status", () => {
    assert.deepEqual(toPlanCreate(inputs), {
      name: "db-nightly",
      description: "d",
      backup_mode: "frequency",
      max_backups: 4,
      schedule_type: "calendar",
      schedule_pattern: "30 2 * * 1,3,5",
      resources: [{ id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data", type: "OS::Cinder::Volume" }],
    });
  });

  it("builds a PATCH body holding exactly the given properties", () => {
    assert.deepEqual(toPlanUpdate(inputs, ["maxBackups", "status"]), { max_backups: 4, status: "suspended" });
    assert.deepEqual(toPlanUpdate(inputs, []), {});
  });

  it("turns API paths into property paths", () => {
    assert.equal(propertyPath(["body", "resources", 1, "id"]), "resources[1].id");
    assert.equal(propertyPath(["max_backups"]), "maxBackups");
    assert.equal(propertyPath(["schedule_pattern"]), "schedulePattern");
    assert.equal(propertyPath([]), "");
  });

  it("rewrites API field names in messages, leaving other words alone", () => {
    assert.equal(
      camelizeText("max_backups is 30; backup_mode `frequency` allows at most 14 per_volume"),
      "maxBackups is 30; backupMode `frequency` allows at most 14 per_volume",
    );
  });

  it("matches a found plan against the body that was sent, resources as a set", () => {
    const body = toPlanCreate({
      ...inputs,
      resources: [
        ...inputs.resources,
        { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c02", name: "web", type: "OS::Cinder::Volume" },
      ],
    });
    const plan: Plan = {
      ...body,
      id: "x",
      status: "started",
      created_at: "2026-01-01T00:00:00Z",
      resources: [...body.resources].reverse(),
    };
    assert.equal(planMatchesBody(plan, body), true);
    assert.equal(planMatchesBody({ ...plan, max_backups: 5 }, body), false);
    assert.equal(planMatchesBody({ ...plan, resources: body.resources.slice(1) }, body), false);
  });
});
