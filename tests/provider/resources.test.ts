// The resource classes as a program sees them, under Pulumi's mocks: type tokens, what reaches the engine
// (camelCase inputs plus `__provider`), outputs, `isInstance` for policy packs, and `get` as a read.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan, Restore } from "../../provider";
import { BACKUP_PLAN_TYPE, RESTORE_TYPE } from "../../provider/tokens";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id: string | undefined;
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("BackupPlan and Restore classes (under mocks)", () => {
  const registered: Registered[] = [];

  before(async () => {
    await pulumi.runtime.setMocks({
      newResource(args) {
        // A new resource comes with an empty id, a read (`get`) with the id to read.
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          id: args.id || undefined,
        });
        const state = {
          ...(args.inputs as Record<string, unknown>),
          createdAt: "2026-01-01T00:00:00Z",
          status: "started",
        };
        return { id: args.id || `${args.name}-id`, state };
      },
      call: () => ({}),
    });
  });

  it("registers a BackupPlan under its own type token with camelCase inputs and the shim", async () => {
    const plan = new BackupPlan("db", {
      name: "db-nightly",
      maxBackups: 7,
      schedulePattern: "0 2 * * *",
      resources: [{ id: pulumi.output("7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01"), name: "db-data" }],
    });
    assert.equal(await value(plan.id), "db-id");
    assert.equal(await value(plan.createdAt), "2026-01-01T00:00:00Z");
    assert.equal(await value(plan.maxBackups), 7);
    const seen = registered.find((r) => r.name === "db");
    assert.equal(seen?.type, BACKUP_PLAN_TYPE);
    assert.equal(seen?.type, BackupPlan.__pulumiType);
    assert.equal(typeof seen?.inputs["__provider"], "string");
    assert.deepEqual(seen?.inputs["resources"], [{ id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data" }]);
    assert.equal("max_backups" in (seen?.inputs ?? {}), false);
  });

  it("isInstance tells plans and restores apart, also from the bare shape policy packs pass", () => {
    const restore = new Restore("r", { checkpointItemId: "item", restoreName: "restored" });
    assert.equal(Restore.isInstance(restore), true);
    assert.equal(BackupPlan.isInstance(restore), false);
    assert.equal(BackupPlan.isInstance({ __pulumiType: BACKUP_PLAN_TYPE }), true);
    assert.equal(Restore.isInstance({ __pulumiType: RESTORE_TYPE }), true);
    assert.equal(BackupPlan.isInstance(undefined), false);
  });

  it("get reads an existing plan by id, passing the placement given as state", async () => {
    const ref = BackupPlan.get("ref", "plan-123", { projectId: "p-1" });
    assert.equal(await value(ref.id), "plan-123");
    const seen = registered.find((r) => r.name === "ref");
    assert.equal(seen?.id, "plan-123");
    assert.equal(seen?.inputs["projectId"], "p-1");
    assert.equal(seen?.type, BACKUP_PLAN_TYPE);
  });

  it("every resource carries the same `__provider` text", () => {
    const plans = registered.filter((r) => r.type === BACKUP_PLAN_TYPE);
    assert.ok(plans.length >= 2);
    for (const p of plans) assert.equal(p.inputs["__provider"], plans[0]?.inputs["__provider"]);
  });
});
