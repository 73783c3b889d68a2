// A plan created but not activated within `timeouts.create` fails the `up` and stays in the state as a
// partial resource. Its partial state keeps `__provider` (the dynamic host adds it to successful answers
// only), so refresh, destroy and removing it from the program work. (That a later `up` finishes such a
// plan without a duplicate is fault-recovery.test.ts's "a wait that runs out".)
import assert from "node:assert/strict";
import type { BackupPlanArgs } from "../../../provider";
import {
  assertOk,
  engine,
  errorMessages,
  fixtureDir,
  planRecords,
  startHarness,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "half-created";
const [db, web, logs] = VOLUMES;

function spec(key: string, volume: { id: string; name: string }): { key: string; args: BackupPlanArgs } {
  return {
    key,
    args: {
      name: `half-${key}`,
      maxBackups: 3,
      schedulePattern: "0 3 * * *",
      resources: [{ ...volume }],
      timeouts: { create: 1 },
    },
  };
}

describe("a plan created but never activated", function () {
  this.timeout(180_000);
  let h: Harness;
  const run = (command: "up" | "refresh" | "destroy", plans: unknown[]) =>
    engine[command](h.options(cwd, stack, { "plansfixture:plans": JSON.stringify(plans) }));
  const halfCreated = () => planRecords(cwd, stack).filter((r) => (r.initErrors ?? []).length > 0);

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  after(async () => {
    await h.admin("PUT", "faults", {});
    await run("destroy", []).catch(() => undefined);
    await h.close();
  });

  it(
    "stays in the state with what refresh and delete need; " + "refresh, removal from the program and destroy work",
    async () => {
      // Plans stay `suspended` for 2 s after the create; the provider waits 1 s.
      await h.admin("PUT", "faults", { activationDelaySeconds: 2 });
      const failed = await run("up", [spec("a", db), spec("b", web)]);
      assert.equal(failed.ok, false);
      assert.ok(
        errorMessages(failed).some((m) => /exists but did not become started/.test(m)),
        errorMessages(failed).join("\n"),
      );
      const partial = halfCreated();
      assert.deepEqual(partial.map((r) => r.urn.split("::").pop()).sort(), ["a", "b"]);
      for (const record of partial) {
        assert.equal(
          typeof record.outputs?.["__provider"],
          "string",
          "the partial state keeps the serialized provider",
        );
        assert.equal(record.outputs?.["name"], `half-${record.urn.split("::").pop()}`);
      }

      // Refresh reads both (no `code must be a string, not undefined`) and clears their init errors.
      const refreshed = await run("refresh", [spec("a", db), spec("b", web)]);
      assertOk(refreshed);
      assert.deepEqual(stepSummary(refreshed).sort(), ["refresh a", "refresh b"]);
      assert.deepEqual(halfCreated(), []);

      // Half-create c, then drop b and c from the program while a stays: both are deleted.
      await h.admin("PUT", "faults", { activationDelaySeconds: 2 });
      const third = await run("up", [spec("a", db), spec("b", web), spec("c", logs)]);
      assert.equal(third.ok, false);
      assert.deepEqual(
        halfCreated().map((r) => r.urn.split("::").pop()),
        ["c"],
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const dropped = await run("up", [spec("a", db)]);
      assertOk(dropped);
      assert.deepEqual(
        stepSummary(dropped)
          .filter((s) => s.startsWith("delete"))
          .sort(),
        ["delete b", "delete c"],
      );
      assert.deepEqual(
        (await h.plans()).map((p) => p.name),
        ["half-a"],
      );

      // Half-create e, then destroy everything.
      await h.admin("PUT", "faults", { activationDelaySeconds: 2 });
      const fifth = await run("up", [spec("a", db), spec("e", logs)]);
      assert.equal(fifth.ok, false);
      assert.equal(halfCreated().length, 1);
      await h.admin("PUT", "faults", {});
      const destroyed = await run("destroy", []);
      assertOk(destroyed);
      assert.deepEqual(stepSummary(destroyed).sort(), ["delete a", "delete e"]);
      assert.deepEqual(await h.plans(), []);
    },
  );
});
