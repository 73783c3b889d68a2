import assert from "node:assert/strict";
import { NetworkError } from "../../../provider/api/errors";
import type { Restore, RestoreCreate } from "../../../provider/api/types";
import { ProviderError } from "../../../provider/resources/errors";
import { createRestore, readRestore } from "../../../provider/resources/restoreOperations";
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
    const { id, outs } = await createRestore(fake, { checkpointItemId: "item-1", restoreName: "db-restored", projectId: "p" });
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
      assert.match(err.message, /status `error` for restore restore-1 of checkpoint item item-1: volume quota exceeded/);
      return true;
    });
  });

  it("after an interrupted POST, says the restore may have happened and does not retry", async () => {
    const fake = api(() => new NetworkError({ operation: "createRestore", method: "POST", path: "/p/restores/", phase: "sent", detail: "ECONNRESET" }));
    await assert.rejects(createRestore(fake, { checkpointItemId: "item-1", restoreName: "db-restored" }), /may have started the restore anyway: check whether a volume named "db-restored" exists/);
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
});
