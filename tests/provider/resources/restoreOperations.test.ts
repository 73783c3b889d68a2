import assert from "node:assert/strict";
import { NetworkError } from "../../../provider/api/errors";
import type { Restore, RestoreCreate } from "../../../provider/api/types";
import { ProviderError } from "../../../provider/resources/errors";
import { checkRestore, createRestore, diffRestore, readRestore } from "../../../provider/resources/restoreOperations";
import type { RestoreApi } from "../../../provider/resources/restoreOperations";

function api(answer: (body: RestoreCreate) => Restore | Error): RestoreApi & { bodies: RestoreCreate[] } {
  const bodies: RestoreCreate[] = [];
  return {
    bodies,
    async createRestore(body: RestoreCreate): Promise<Restore> {
      bodies.push(body);
      const result = answer(body);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

const answer = (status: string): Restore => ({
  id: "restore-1",
  checkpoint_id: "cp-1",
  checkpoint_item_id: "item-1",
  project_id: "p",
  resource_id: "vol-new",
  resource_type: "OS::Cinder::Volume",
  status,
});

describe("Restore operations", () => {
  it("creates the restore and records what the API answered", async () => {
    const fake = api(() => answer("success"));
    const { id, outs } = await createRestore(fake, {
      checkpointItemId: "item-1",
      restoreName: "db-restored",
      projectId: "p",
    });
    assert.deepEqual(fake.bodies, [{ checkpoint_item_id: "item-1", restore_name: "db-restored" }]);
    assert.equal(id, "restore-1");
    assert.deepEqual(outs, {
      checkpointItemId: "item-1",
      restoreName: "db-restored",
      projectId: "p",
      checkpointId: "cp-1",
      resourceId: "vol-new",
      resourceType: "OS::Cinder::Volume",
      status: "success",
    });
  });

  it("fails with the reason when the API answers status `error`", async () => {
    const fake = api(() => ({ ...answer("error"), message: "volume quota exceeded" }));
    await assert.rejects(createRestore(fake, { checkpointItemId: "item-1", restoreName: "r" }), (err: unknown) => {
      assert.ok(err instanceof ProviderError);
      assert.match(
        err.message,
        /status `error` for restore restore-1 of checkpoint item item-1: volume quota exceeded/,
      );
      return true;
    });
  });

  it("after an interrupted POST, says the restore may have happened and does not retry", async () => {
    const fake = api(
      () =>
        new NetworkError({
          operation: "createRestore",
          method: "POST",
          path: "/p/restores/",
          phase: "sent",
          detail: "ECONNRESET",
        }),
    );
    await assert.rejects(
      createRestore(fake, { checkpointItemId: "item-1", restoreName: "db-restored" }),
      /may have started the restore anyway: check whether a volume named "db-restored" exists/,
    );
    assert.equal(fake.bodies.length, 1);
  });

  it("read keeps the record as it is (there is nothing to read back)", () => {
    const props = { __provider: "shim", checkpointItemId: "i", restoreName: "r", resourceId: "v", status: "success" };
    assert.deepEqual(readRestore("restore-1", props), {
      id: "restore-1",
      props: { checkpointItemId: "i", restoreName: "r", resourceId: "v", status: "success" },
      inputs: { checkpointItemId: "i", restoreName: "r" },
    });
  });

  it("check: exactly one way to name what to restore, and notAfter as RFC 3339", () => {
    const reasons = (inputs: Record<string, unknown>) =>
      checkRestore(inputs).failures.map((f) => `${f.property}: ${f.reason}`);
    assert.deepEqual(
      reasons({ volumeName: "db-data", restoreName: "r", notAfter: "2026-01-31T23:59:59Z", planName: "p" }),
      [],
    );
    assert.deepEqual(reasons({ checkpointItemId: "i", restoreName: "r" }), []);
    assert.match(
      reasons({ restoreName: "r" }).join("\n"),
      /^checkpointItemId: say what to restore: volumeName \(or volumeId\)/,
    );
    assert.match(
      reasons({ checkpointItemId: "i", volumeName: "v", restoreName: "r" }).join("\n"),
      /^volumeName: volumeName cannot be combined with checkpointItemId/,
    );
    assert.match(
      reasons({ volumeId: "a", volumeName: "v", restoreName: "r" }).join("\n"),
      /give volumeId or volumeName, not both/,
    );
    assert.match(
      reasons({ notAfter: "2026-01-31T23:59:59Z", restoreName: "r" }).join("\n"),
      /^notAfter: notAfter narrow\(s\) a volume's backups: also give volumeName/,
    );
    assert.match(
      reasons({ volumeName: "v", notAfter: "31.01.2026", restoreName: "r" }).join("\n"),
      /notAfter must be an RFC 3339 time such as 2026-01-31T23:59:59Z, got the string "31.01.2026"/,
    );
  });

  it("diff: a pinned restore's resolved item is not an input; its selectors and name replace", () => {
    const olds = {
      volumeName: "db-data",
      restoreName: "r",
      checkpointItemId: "item-1",
      checkpointId: "cp-1",
      resourceId: "v",
      status: "success",
    };
    assert.deepEqual(diffRestore(olds, { volumeName: "db-data", restoreName: "r" }), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(
      diffRestore(olds, { volumeName: "db-data", restoreName: "r", notAfter: "2026-01-01T00:00:00Z" }).replaces,
      ["notAfter"],
    );
    assert.deepEqual(diffRestore(olds, { volumeName: "web-data", restoreName: "r" }).replaces, ["volumeName"]);
    assert.deepEqual(diffRestore(olds, { volumeName: "db-data", restoreName: "r2" }).replaces, ["restoreName"]);
    assert.deepEqual(diffRestore(olds, { checkpointItemId: "item-1", restoreName: "r" }).replaces, ["volumeName"]);
    const explicit = { checkpointItemId: "item-1", restoreName: "r", resourceId: "v" };
    assert.deepEqual(diffRestore(explicit, { checkpointItemId: "item-2", restoreName: "r" }).replaces, [
      "checkpointItemId",
    ]);
  });

  it("create of a pinned restore restores the newest available item not after notAfter, and records it", async () => {
    const item = (id: string, createdAt: string, status = "available") => ({
      id,
      checkpoint_id: `cp-${id}`,
      backup_id: "b",
      chain_id: "c",
      created_at: createdAt,
      is_incremental: false,
      status,
      resource: { id: "vol-1", name: "db-data", type: "OS::Cinder::Volume" },
    });
    const checkpoints = [
      {
        id: "cp-a",
        plan_id: "p",
        created_at: "2026-01-01T02:00:00Z",
        status: "available",
        checkpoint_items: [item("a", "2026-01-01T02:00:00Z")],
      },
      {
        id: "cp-b",
        plan_id: "p",
        created_at: "2026-01-02T02:00:00Z",
        status: "available",
        checkpoint_items: [item("b", "2026-01-02T02:00:00Z")],
      },
      {
        id: "cp-c",
        plan_id: "p",
        created_at: "2026-01-03T02:00:00Z",
        status: "protecting",
        checkpoint_items: [item("c", "2026-01-03T02:00:00Z", "protecting")],
      },
    ];
    const fake = {
      ...api((body) => ({
        ...answer("success"),
        checkpoint_item_id: body.checkpoint_item_id,
        checkpoint_id: `cp-${body.checkpoint_item_id}`,
      })),
      async *checkpoints() {
        yield* checkpoints as never[];
      },
    };
    const newest = await createRestore(fake, { volumeName: "db-data", restoreName: "r" });
    assert.deepEqual(
      [newest.outs.checkpointItemId, newest.outs.checkpointId, newest.outs.backupCreatedAt],
      ["b", "cp-b", "2026-01-02T02:00:00Z"],
    );
    const before = await createRestore(fake, {
      volumeName: "db-data",
      restoreName: "r",
      notAfter: "2026-01-01T12:00:00Z",
    });
    assert.equal(before.outs.checkpointItemId, "a");
    assert.deepEqual(
      fake.bodies.map((b) => b.checkpoint_item_id),
      ["b", "a"],
    );
  });

  it("read of a pinned restore gives back the selectors, not the resolved item, as inputs", () => {
    const props = {
      volumeName: "db-data",
      checkpointItemId: "i",
      restoreName: "r",
      resourceId: "v",
      status: "success",
    };
    assert.deepEqual(readRestore("restore-1", props).inputs, { volumeName: "db-data", restoreName: "r" });
  });
});
