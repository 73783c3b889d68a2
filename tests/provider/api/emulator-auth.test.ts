// Keystone password auth, catalog lookup and token renewal against the emulator's identity service.
import assert from "node:assert/strict";
import { BadRequestError, ConfigError, UnauthorizedError, collect, type Clock } from "../../../provider/api";
import { rejection } from "./helpers";
import { Fixture, logSink } from "./emulator-helpers";

describe("api/client against the emulator: Keystone", function () {
  let fx: Fixture;
  before(async () => {
    fx = await Fixture.start({ tokenTtlSeconds: 1 });
  });
  after(async () => {
    await fx.close();
  });
  beforeEach(async () => {
    await fx.reset();
  });

  it("authenticates with the password, finds the endpoint in the catalog and works", async () => {
    const client = fx.keystoneClient();
    const plan = await client.createPlan(await fx.newPlan("ks"));
    assert.equal((await client.getPlan(plan.id)).name, "ks");
    assert.equal(client.authentications, 1);
    assert.equal(await client.projectId(), fx.emu.projectId);
  });

  it("passes Keystone's own explanation on when it refuses an unscoped request", async () => {
    // Real Keystone scopes an unscoped request to the user's default project; this service (and the
    // emulator) insists on a project scope, and says so in Keystone's error shape.
    const err = await rejection(collect(fx.keystoneClient({ projectId: undefined }).plans()));
    assert.ok(err instanceof BadRequestError);
    assert.match(err.message, /auth failed: HTTP 400 Bad Request: auth\.scope\.project\.id is required/);
  });

  it("uses an explicit endpoint over the catalog", async () => {
    const client = fx.keystoneClient({ endpoint: fx.emu.endpoint, region: "nowhere" });
    assert.deepEqual(await client.listPlans(), { plans: [], total: 0 });
  });

  it("explains a region the catalog does not offer", async () => {
    const err = await rejection(fx.keystoneClient({ region: "ru-42" }).listPlans());
    assert.ok(err instanceof ConfigError);
    assert.match(
      err.message,
      /no public `data-protectv2` endpoint in region `ru-42`; regions offered: ru-1, ru-3, ru-9/,
    );
  });

  it("refuses a wrong password with a message naming the user, never the password", async () => {
    const sink = logSink();
    const err = await rejection(fx.keystoneClient({ password: "wrong-SECRET-pw", log: sink.log }).listPlans());
    assert.ok(err instanceof UnauthorizedError);
    assert.match(err.message, new RegExp(`user \`${fx.emu.username}\` in domain \`${fx.emu.accountId}\``));
    const everything = [err.message, err.stack ?? "", JSON.stringify(err), ...sink.lines].join("\n");
    assert.ok(!everything.includes("wrong-SECRET-pw"));
    assert.ok(!everything.includes(fx.emu.password));
  });

  it("renews the token before it expires", async function () {
    this.timeout(10_000);
    const client = fx.keystoneClient();
    await client.listPlans();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the emulator's token lives 1 s
    await client.listPlans();
    assert.equal(client.authentications, 2);
  });

  it(
    "renews once when the API answers 401 for a token " + "the client still trusts, and repeats the call",
    async function () {
      this.timeout(10_000);
      // A client clock stuck at the start: the client believes its token is fresh, the emulator knows better.
      const start = Date.now();
      const frozen: Clock = { now: () => start, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
      const sink = logSink();
      const client = fx.keystoneClient({ clock: frozen, log: sink.log });
      await client.listPlans();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.deepEqual(await client.listPlans(), { plans: [], total: 0 });
      assert.equal(client.authentications, 2);
      assert.ok(sink.lines.some((l) => /401, renewing the Keystone token/.test(l)));
    },
  );

  it("retries the token request itself on 503", async () => {
    await fx.faults({ rules: [{ operation: "auth", status: 503, times: 2 }] });
    const client = fx.keystoneClient();
    assert.deepEqual(await client.listPlans(), { plans: [], total: 0 });
    assert.equal(client.authentications, 1);
  });

  it("finds project and catalog of a static token through GET /auth/tokens", async () => {
    const client = fx.client({
      projectId: undefined,
      endpoint: undefined,
      authUrl: fx.emu.authUrl,
      region: fx.emu.region,
    });
    assert.equal(await client.projectId(), fx.emu.projectId);
    assert.deepEqual(await client.listPlans(), { plans: [], total: 0 });
  });
});
