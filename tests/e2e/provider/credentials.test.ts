// Keystone password auth end to end: the plugin finds the endpoint in the catalog of the region, the
// password arrives as secret stack config and is never written to state.
import assert from "node:assert/strict";
import {
  apiRequests,
  assertOk,
  engine,
  fixtureDir,
  planRecords,
  startHarness,
  stateText,
  stepSummary,
  VOLUMES,
} from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "keystone";
const [db] = VOLUMES;

describe("Keystone password auth through the engine", function () {
  this.timeout(120_000);
  let h: Harness;
  const plans = JSON.stringify([
    {
      key: "ks",
      args: {
        name: "keystone-plan",
        maxBackups: 3,
        schedulePattern: "0 3 * * *",
        resources: [{ id: db.id, name: db.name }],
      },
    },
  ]);
  const options = () => ({
    cwd,
    stack,
    config: {
      "scheduledbackup:authUrl": h.emulator.authUrl,
      "scheduledbackup:region": h.emulator.region,
      "scheduledbackup:username": h.emulator.username,
      "scheduledbackup:accountId": h.emulator.accountId,
      "scheduledbackup:projectId": h.emulator.projectId,
      "plansfixture:plans": plans,
    },
    secrets: { "scheduledbackup:password": h.emulator.password },
  });

  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  after(async () => {
    await h.close();
  });

  it("creates the plan through the catalog endpoint and keeps the password out of the state", async () => {
    const result = await engine.up(options());
    assertOk(result);
    assert.deepEqual(stepSummary(result), ["create ks"]);
    assert.ok(
      h.requests.some((l) => l.startsWith("POST /identity/v3/auth/tokens")),
      "authenticated with Keystone",
    );
    assert.ok(
      apiRequests(h.requests).some((l) => l.startsWith("POST ")),
      "created through the catalog's endpoint",
    );
    const text = stateText(result);
    assert.ok(!text.includes(h.emulator.password), "no password in the state");
    assert.doesNotMatch(text, /X-Subject-Token|x-auth-token/i);
    const record = planRecords(cwd, stack)[0];
    assert.equal(record?.outputs?.["endpoint"], undefined, "the catalog's endpoint is not pinned into the resource");

    const destroyed = await engine.destroy(options());
    assertOk(destroyed);
    assert.deepEqual(await h.plans(), []);
  });

  it("a Keystone refusal at up keeps Keystone's precise message (user and domain)", async () => {
    const wrong = { ...options(), secrets: { "scheduledbackup:password": "not-the-password" } };
    const result = await engine.up(wrong);
    assert.equal(result.ok, false);
    const messages = result.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => d.message)
      .join("\n");
    assert.match(
      messages,
      new RegExp(
        `Keystone refused the credentials of user \`${h.emulator.username}\` in domain \`${h.emulator.accountId}\``,
      ),
    );
    assert.ok(!messages.includes("not-the-password"));
    assert.deepEqual(await h.plans(), []);
  });
});
