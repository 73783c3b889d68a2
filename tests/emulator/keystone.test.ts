import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { call, createPlan, list, obj, sleep, useEmulator } from "./helpers";

const OTHER_PROJECT = "9f8e7d6c-5b4a-4321-8765-0fedcba98765";

function passwordAuth(
  emu: { username: string; password: string; accountId: string },
  projectId: string,
  overrides: { password?: string; domain?: string } = {},
): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: {
            name: emu.username,
            password: overrides.password ?? emu.password,
            domain: { name: overrides.domain ?? emu.accountId },
          },
        },
      },
      scope: { project: { id: projectId } },
    },
  };
}

describe("emulator: auth", () => {
  const ctx = useEmulator({ regions: ["ru-1", "ru-3"] });

  it("answers 401 with the API error shape for a missing or unknown token", async () => {
    const missing = await call("GET", ctx.plans());
    assert.equal(missing.status, 401);
    assert.equal(obj(missing.body).error_key, "auth.token_missing");
    const unknown = await call("GET", ctx.plans(), { token: "not-a-token" });
    assert.equal(unknown.status, 401);
    assert.equal(obj(unknown.body).error_key, "auth.token_invalid");
    assert.equal(typeof unknown.headers["x-request-id"], "string");
  });

  it("issues project-scoped Keystone tokens with a catalog entry per region", async () => {
    const emu = ctx.emu();
    const reply = await call("POST", `${emu.authUrl}/auth/tokens`, { body: passwordAuth(emu, emu.projectId) });
    assert.equal(reply.status, 201);
    const subject = reply.headers["x-subject-token"];
    assert.equal(typeof subject, "string");
    const token = obj(obj(reply.body).token);
    assert.equal(obj(token.project).id, emu.projectId);
    assert.ok(Date.parse(String(token.expires_at)) > Date.now());
    const service = list(token.catalog).find((entry) => entry.type === "data-protectv2");
    assert.ok(service !== undefined);
    const endpoints = list(service.endpoints);
    assert.deepEqual(
      endpoints.map((e) => [e.interface, e.region_id, e.region, e.url]),
      [
        ["public", "ru-1", "ru-1", emu.endpoint],
        ["public", "ru-3", "ru-3", emu.endpoint],
      ],
    );
    const works = await call("GET", ctx.plans(), { token: String(subject) });
    assert.equal(works.status, 200);

    const validated = await call("GET", `${emu.authUrl}/auth/tokens`, {
      token: String(subject),
      headers: { "x-subject-token": String(subject) },
    });
    assert.equal(validated.status, 200);
    assert.equal(obj(obj(validated.body).token).expires_at, token.expires_at);
    const bogus = await call("GET", `${emu.authUrl}/auth/tokens`, {
      token: String(subject),
      headers: { "x-subject-token": "nope" },
    });
    assert.equal(bogus.status, 404);
  });

  it("answers Keystone version discovery at the identity root and at /v3", async () => {
    const emu = ctx.emu();
    const root = await call("GET", emu.authUrl.replace(/\/v3$/, ""));
    assert.equal(root.status, 300);
    const versions = list(obj(obj(root.body).versions).values);
    assert.equal(versions[0]?.id, "v3.14");
    const v3 = await call("GET", `${emu.authUrl}/`);
    assert.equal(v3.status, 200);
    assert.equal(obj(obj(v3.body).version).status, "stable");
  });

  it("answers 401 for wrong credentials", async () => {
    const emu = ctx.emu();
    const wrongPassword = await call("POST", `${emu.authUrl}/auth/tokens`, {
      body: passwordAuth(emu, emu.projectId, { password: "guess" }),
    });
    assert.equal(wrongPassword.status, 401);
    assert.equal(wrongPassword.headers["x-subject-token"], undefined);
    const wrongDomain = await call("POST", `${emu.authUrl}/auth/tokens`, {
      body: passwordAuth(emu, emu.projectId, { domain: "999" }),
    });
    assert.equal(wrongDomain.status, 401);
    const { identity } = obj(obj(passwordAuth(emu, emu.projectId)).auth);
    const noScope = await call("POST", `${emu.authUrl}/auth/tokens`, { body: { auth: { identity } } });
    assert.equal(noScope.status, 400);
    assert.match(JSON.stringify(noScope.body), /scope/);
  });

  it("expires Keystone tokens after tokenTtlSeconds of real time", async () => {
    const shortLived = await startEmulator({ tokenTtlSeconds: 1.5 });
    try {
      const plans = `${shortLived.endpoint}/plans/`;
      const reply = await call("POST", `${shortLived.authUrl}/auth/tokens`, {
        body: passwordAuth(shortLived, shortLived.projectId),
      });
      const token = String(reply.headers["x-subject-token"]);
      const expiresAt = Date.parse(String(obj(obj(reply.body).token).expires_at));
      assert.ok(Math.abs(expiresAt - (Date.now() + 1500)) < 1000, "expires_at says when the token expires");
      assert.equal((await call("GET", plans, { token })).status, 200);
      await sleep(Math.max(0, expiresAt - Date.now()) + 100);
      const expired = await call("GET", plans, { token });
      assert.equal(expired.status, 401);
      assert.equal(obj(expired.body).error_key, "auth.token_expired");
      // The emulator's static token does not expire.
      assert.equal((await call("GET", plans, { token: shortLived.token })).status, 200);
    } finally {
      await shortLived.close();
    }
  });

  it(
    "answers 403 for a token scoped to another project than the path's, " +
      "and scopes the compatibility layout by the token",
    async () => {
      const emu = ctx.emu();
      await createPlan(ctx.plans(), emu.token, { name: "default-project-plan" });
      const reply = await call("POST", `${emu.authUrl}/auth/tokens`, { body: passwordAuth(emu, OTHER_PROJECT) });
      const other = String(reply.headers["x-subject-token"]);
      const forbidden = await call("GET", ctx.plans(), { token: other });
      assert.equal(forbidden.status, 403);
      assert.equal(obj(forbidden.body).error_key, "auth.project_mismatch");

      await createPlan(`${emu.endpoint}/plans/`, other, { name: "other-project-plan" });
      const otherPlans = list(obj((await call("GET", `${emu.endpoint}/plans/`, { token: other })).body).plans);
      assert.deepEqual(
        otherPlans.map((p) => p.name),
        ["other-project-plan"],
      );
      const ownPath = list(
        obj((await call("GET", `${emu.endpoint}/${OTHER_PROJECT}/plans`, { token: other })).body).plans,
      );
      assert.deepEqual(
        ownPath.map((p) => p.name),
        ["other-project-plan"],
      );
      const defaultPlans = list(obj((await call("GET", `${emu.endpoint}/plans/`, { token: emu.token })).body).plans);
      assert.deepEqual(
        defaultPlans.map((p) => p.name),
        ["default-project-plan"],
      );
    },
  );
});
