// The client's ten operations with default settings (pathLayout auto) against each dialect the emulator
// speaks, with a static token and with Keystone (catalog URL with and without the project id). A wrong path
// or field name is refused by the strict dialects (404 route / 422 extra_forbidden), so passing here means the
// client found the layout and the names without help.
import assert from "node:assert/strict";
import type { EmulatorDialect } from "../../../emulator/model";
import { collect, forgetDetectedShape, type ScheduledBackupClient } from "../../../provider/api";
import { Fixture, logSink } from "./emulator-helpers";

interface Setup {
  auth: "static token" | "Keystone" | "Keystone, catalog URL with the project";
  catalogProjectInUrl: boolean;
  client: (fx: Fixture, log: (line: string) => void) => ScheduledBackupClient;
}

const SETUPS: Setup[] = [
  { auth: "static token", catalogProjectInUrl: false, client: (fx, log) => fx.client({ pathLayout: undefined, log }) },
  { auth: "Keystone", catalogProjectInUrl: false, client: (fx, log) => fx.keystoneClient({ log }) },
  {
    auth: "Keystone, catalog URL with the project",
    catalogProjectInUrl: true,
    client: (fx, log) => fx.keystoneClient({ log }),
  },
];

const EXPECTED: Record<"seed" | "vendor", { layout: string; retention: string }> = {
  seed: { layout: "project", retention: "max_backups" },
  vendor: { layout: "token", retention: "full_backups_amount" },
};

async function tenOperations(fx: Fixture, client: ScheduledBackupClient): Promise<void> {
  const created = await client.createPlan(await fx.newPlan("dialect-plan", { description: "", max_backups: 4 }));
  assert.equal(created.max_backups, 4);
  const listed = await client.listPlans({ name: "dialect-plan" });
  assert.deepEqual(
    listed.plans.map((p) => p.id),
    [created.id],
  );
  assert.equal(listed.plans[0]!.max_backups, 4, "the retention count reads under either name");
  const patched = await client.updatePlan(created.id, { max_backups: 6, schedule_pattern: "30 * * * *" });
  assert.equal(patched.max_backups, 6);
  assert.equal((await client.getPlan(created.id)).max_backups, 6);
  await fx.advance(4 * 3600);
  const checkpoints = await collect(client.checkpoints({ planName: "dialect-plan" }));
  assert.ok(checkpoints.length >= 3, `checkpoints: ${checkpoints.length}`);
  const [first, second, third] = checkpoints as [
    (typeof checkpoints)[0],
    (typeof checkpoints)[0],
    (typeof checkpoints)[0],
  ];
  assert.equal((await client.getCheckpoint(first.id)).id, first.id);
  const restore = await client.createRestore({
    checkpoint_item_id: first.checkpoint_items[0]!.id,
    restore_name: "restored",
  });
  assert.equal(restore.status, "success");
  assert.equal((await client.deleteCheckpoint(second.id)).status, "deleting");
  const chain = await client.deleteCheckpointsByChain(third.checkpoint_items[0]!.chain_id);
  assert.deepEqual(
    chain.deleted.map((c) => c.id),
    [third.id],
  );
  await client.deletePlan(created.id);
  await client.waitForPlanGone(created.id, { timeoutMs: 10_000 });
}

for (const dialect of ["seed", "vendor"] as const satisfies readonly EmulatorDialect[]) {
  describe(`api/client against the ${dialect}-dialect emulator, default settings`, function () {
    this.timeout(60_000);
    for (const setup of SETUPS) {
      describe(setup.auth, () => {
        let fx: Fixture;
        before(async () => {
          forgetDetectedShape();
          fx = await Fixture.start({ dialect, catalogProjectInUrl: setup.catalogProjectInUrl });
        });
        after(() => fx.close());

        it("runs the ten operations, on the dialect's layout and names", async () => {
          const sink = logSink();
          const client = setup.client(fx, sink.log);
          await tenOperations(fx, client);
          const shape = await client.serviceShape();
          const expected = setup.catalogProjectInUrl ? "token" : EXPECTED[dialect].layout;
          assert.equal(shape.layout, expected);
          assert.equal(shape.dialect, dialect, "after the first write the dialect is settled");
          const probes = sink.lines.filter(
            (l) => l.includes("plans/?limit=1") || l.includes("detecting the path layout"),
          );
          assert.ok(probes.length <= 4, probes.join("\n"));
          if (setup.catalogProjectInUrl) assert.deepEqual(probes, [], "a catalog URL with the project needs no probe");
        });

        it("probes at most once per endpoint: a second client of the same endpoint goes straight to work", async () => {
          const sink = logSink();
          await setup.client(fx, sink.log).listPlans();
          assert.deepEqual(
            sink.lines.filter((l) => l.includes("detecting the path layout")),
            [],
          );
        });
      });
    }

    it("names the layout in use in errors after detection", async () => {
      forgetDetectedShape();
      const fx = await Fixture.start({ dialect });
      try {
        const err = await fx
          .client({ pathLayout: undefined })
          .getPlan("00000000-0000-4000-8000-000000000000")
          .catch((e: unknown) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, new RegExp(`${EXPECTED[dialect].layout} layout \\(detected\\)`));
      } finally {
        await fx.close();
      }
    });
  });
}
