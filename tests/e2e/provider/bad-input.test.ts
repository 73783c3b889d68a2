// `check` through the engine: each bad input fails the run with the property named and the fix, every
// problem at once, and not a single request reaches the API (no plan is half-created, nothing is probed).
import assert from "node:assert/strict";
import type { BackupPlanArgs } from "../../../provider";
import { apiRequests, engine, errorMessages, fixtureDir, startHarness, stepSummary, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "check";
const [db] = VOLUMES;

function args(overrides: Record<string, unknown>): BackupPlanArgs {
  return {
    name: "ok-name",
    maxBackups: 7,
    schedulePattern: "0 2 * * *",
    resources: [{ id: db.id, name: db.name }],
    ...overrides,
  };
}

/** One plan per bad input; the expected property and a piece of the reason. */
const BAD: { key: string; args: BackupPlanArgs; property: string; reason: RegExp }[] = [
  { key: "bad-cron", args: args({ schedulePattern: "0 25 * * *" }), property: "schedulePattern", reason: /25/ },
  {
    key: "too-often",
    args: args({ schedulePattern: "*/10 * * * *" }),
    property: "schedulePattern",
    reason: /at most one run an hour/,
  },
  {
    key: "calendar-form",
    args: args({ scheduleType: "calendar", schedulePattern: "0 2 */2 * *" }),
    property: "schedulePattern",
    reason: /.+/,
  },
  {
    key: "too-many",
    args: args({ backupMode: "frequency", maxBackups: 20 }),
    property: "maxBackups",
    reason: /at most 14/,
  },
  { key: "no-volumes", args: args({ resources: [] }), property: "resources", reason: /at least one volume/ },
  {
    key: "dup-volumes",
    args: args({
      resources: [
        { id: db.id, name: db.name },
        { id: db.id, name: "again" },
      ],
    }),
    property: "resources[1].id",
    reason: /repeats/,
  },
  {
    key: "name-as-id",
    args: args({ resources: [{ id: "db-data", name: "db-data" }] }),
    property: "resources[0].id",
    reason: /not a GUID/,
  },
  { key: "snake-key", args: args({ max_backups: 3 }), property: "max_backups", reason: /did you mean `maxBackups`/ },
  {
    key: "path-project",
    args: args({ projectId: "../other-project" }),
    property: "projectId",
    reason: /is not a project id \(a UUID\)/,
  },
  {
    key: "path-adopt",
    args: args({ adoptExistingId: ".." }),
    property: "adoptExistingId",
    reason: /is not a plan id \(a UUID\)/,
  },
  {
    key: "volume-extra-key",
    args: args({ resources: [{ id: db.id, name: db.name, size: 10 }] }),
    property: "resources[0].size",
    reason: /unknown field `size`.*keep only `id`, `name` and `type`/,
  },
];

describe("BackupPlan check through the engine", function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  after(async () => {
    await h.close();
  });

  for (const command of ["preview", "up"] as const) {
    // Preview sends one read, its credential check (issue 10), and still no write; up sends nothing at all.
    it(
      `${command} rejects every bad plan, naming its property and the fix, ` +
        `with ${command === "preview" ? "no write" : "no request"} to the API`,
      async () => {
        const before = h.requests.length;
        const result = await engine[command](
          h.options(cwd, stack, {
            "plansfixture:plans": JSON.stringify(BAD.map(({ key, args: a }) => ({ key, args: a }))),
          }),
        );
        assert.equal(result.ok, false);
        const errors = errorMessages(result);
        for (const bad of BAD) {
          const mine = errors.filter((m) => m.includes(`resource '${bad.key}'`));
          const hit = mine.find((m) => m.includes(`property ${bad.property} `) && bad.reason.test(m));
          assert.ok(hit, `${bad.key}: expected ${bad.property} ~ ${bad.reason}, got:\n${mine.join("\n")}`);
        }
        assert.ok(
          stepSummary(result).every(
            (s) => !s.startsWith("create ") || s.endsWith("(failed)") || s.endsWith("(skipped)"),
          ),
          stepSummary(result).join(", "),
        );
        const sent = apiRequests(h.requests.slice(before));
        if (command === "preview")
          assert.deepEqual(
            sent.map((l) => l.split(" ")[0]),
            ["GET"],
            sent.join("\n"),
          );
        else assert.deepEqual(sent, []);
        assert.deepEqual(await h.plans(), []);
      },
    );
  }
});
