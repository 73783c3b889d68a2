// `--dialect seed|vendor|both` and a Keystone catalog whose URL ends with the project id: which paths and
// retention names each dialect serves, and how it refuses the others.
import assert from "node:assert/strict";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { UsageError, parseCli } from "../../emulator/main";
import { call, obj, planBody } from "./helpers";

function errors(body: unknown): { loc: unknown[]; type: string }[] {
  return obj(obj(body).details).errors as { loc: unknown[]; type: string }[];
}

async function keystoneToken(emu: EmulatorHandle): Promise<{ token: string; dataProtect: string }> {
  const res = await fetch(`${emu.authUrl}/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: emu.username, domain: { name: emu.accountId }, password: emu.password } },
        },
        scope: { project: { id: emu.projectId } },
      },
    }),
  });
  const body = (await res.json()) as { token: { catalog: { type: string; endpoints: { url: string }[] }[] } };
  const entry = body.token.catalog.find((e) => e.type === "data-protectv2");
  return { token: res.headers.get("x-subject-token") ?? "", dataProtect: entry?.endpoints[0]?.url ?? "" };
}

describe("emulator: dialects", () => {
  let emu: EmulatorHandle;
  afterEach(() => emu?.close());

  it(
    "seed: only the project layout and max_backups; full_backups_amount is extra_forbidden; " + "description required",
    async () => {
      emu = await startEmulator({ port: 0, dialect: "seed" });
      const projectPlans = `${emu.endpoint}/${emu.projectId}/plans/`;
      const noRoute = await call("GET", `${emu.endpoint}/plans/?limit=1`, { token: emu.token });
      assert.equal(noRoute.status, 404);
      assert.equal(obj(noRoute.body).error_key, "route.not_found");
      const refused = await call("POST", projectPlans, {
        token: emu.token,
        body: { ...planBody({ max_backups: undefined }), full_backups_amount: 3 },
      });
      assert.equal(refused.status, 422);
      assert.deepEqual(
        errors(refused.body)
          .map((e) => [e.loc.join("."), e.type])
          .sort(),
        [
          ["body.full_backups_amount", "extra_forbidden"],
          ["body.max_backups", "missing"],
        ],
      );
      const { description: _d, ...noDescription } = planBody();
      assert.equal((await call("POST", projectPlans, { token: emu.token, body: noDescription })).status, 422);
      const created = await call("POST", projectPlans, { token: emu.token, body: planBody() });
      assert.equal(created.status, 201);
      assert.equal(obj(created.body).max_backups, 3);
      assert.equal("full_backups_amount" in obj(created.body), false);
    },
  );

  it("vendor: only /plans/ and full_backups_amount; max_backups is extra_forbidden; description optional", async () => {
    emu = await startEmulator({ port: 0, dialect: "vendor" });
    const plans = `${emu.endpoint}/plans/`;
    assert.equal((await call("GET", `${emu.endpoint}/${emu.projectId}/plans/`, { token: emu.token })).status, 404);
    const refused = await call("POST", plans, { token: emu.token, body: planBody() });
    assert.equal(refused.status, 422);
    assert.deepEqual(
      errors(refused.body)
        .map((e) => [e.loc.join("."), e.type])
        .sort(),
      [
        ["body.full_backups_amount", "missing"],
        ["body.max_backups", "extra_forbidden"],
      ],
    );
    const { description: _d, max_backups: _m, ...goSdk } = planBody();
    const created = await call("POST", plans, { token: emu.token, body: { ...goSdk, full_backups_amount: 5 } });
    assert.equal(created.status, 201);
    assert.equal(obj(created.body).full_backups_amount, 5);
    assert.equal("max_backups" in obj(created.body), false);
    const id = String(obj(created.body).id);
    const patch = await call("PATCH", `${plans}${id}`, { token: emu.token, body: { max_backups: 2 } });
    assert.deepEqual(
      errors(patch.body).map((e) => [e.loc.join("."), e.type]),
      [["body.max_backups", "extra_forbidden"]],
    );
    const page = await call("GET", `${plans}?limit=1`, { token: emu.token });
    assert.equal(obj(obj(page.body).plans && (obj(page.body).plans as unknown[])[0]).full_backups_amount, 5);
  });

  it("a catalog URL with the project id: the vendor dialect serves {catalog url}/plans/ and nothing else", async () => {
    emu = await startEmulator({ port: 0, dialect: "vendor", catalogProjectInUrl: true });
    const { token, dataProtect } = await keystoneToken(emu);
    assert.equal(dataProtect, `${emu.endpoint}/${emu.projectId}`);
    assert.equal((await call("GET", `${dataProtect}/plans/?limit=1`, { token })).status, 200);
    assert.equal((await call("GET", `${emu.endpoint}/plans/?limit=1`, { token })).status, 404);
  });

  it("both (the default) keeps serving every layout and name", async () => {
    emu = await startEmulator({ port: 0 });
    assert.equal(emu.dialect, "both");
    const { dataProtect } = await keystoneToken(emu);
    assert.equal(dataProtect, emu.endpoint);
    assert.equal((await call("GET", `${emu.endpoint}/plans/?limit=1`, { token: emu.token })).status, 200);
    assert.equal(
      (await call("GET", `${emu.endpoint}/${emu.projectId}/plans/?limit=1`, { token: emu.token })).status,
      200,
    );
  });

  it("takes --dialect and --catalog-project-in-url on the command line, refusing an unknown dialect", () => {
    const parsed = parseCli(["--dialect", "vendor", "--catalog-project-in-url"]);
    assert.ok(parsed !== "help");
    assert.equal(parsed.options.dialect, "vendor");
    assert.equal(parsed.options.catalogProjectInUrl, true);
    assert.throws(
      () => parseCli(["--dialect", "karbor"]),
      (e: unknown) => e instanceof UsageError && /seed, vendor, both/.test(e.message),
    );
  });
});
