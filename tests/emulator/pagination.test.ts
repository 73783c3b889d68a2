import assert from "node:assert/strict";
import { connect } from "node:net";
import { advance, call, createPlan, DAY, list, obj, useEmulator, VOLUME_A, VOLUME_B } from "./helpers";

describe("emulator: pagination, filters and routes", () => {
  const ctx = useEmulator();
  const token = (): string => ctx.emu().token;

  async function page(url: string): Promise<{ items: Record<string, unknown>[]; total: number }> {
    const reply = await call("GET", url, { token: token() });
    assert.equal(reply.status, 200, reply.text);
    const body = obj(reply.body);
    const key = "plans" in body ? "plans" : "checkpoints";
    return { items: list(body[key]), total: Number(body.total) };
  }

  it("pages with an exclusive marker in created_at then id order, total counting every match", async () => {
    for (let index = 0; index < 7; index += 1) await createPlan(ctx.plans(), token(), { name: `plan-${index % 2}` });
    const all = await page(`${ctx.plans()}?limit=1000`);
    assert.equal(all.total, 7);
    const sorted = [...all.items].sort(
      (a, b) => String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id)),
    );
    assert.deepEqual(
      all.items.map((p) => p.id),
      sorted.map((p) => p.id),
    );

    const seen: unknown[] = [];
    let marker: string | undefined;
    for (;;) {
      const next = await page(`${ctx.plans()}?limit=3${marker === undefined ? "" : `&marker=${marker}`}`);
      assert.equal(next.total, 7);
      if (next.items.length === 0) break;
      seen.push(...next.items.map((p) => p.id));
      marker = String(next.items[next.items.length - 1]?.id);
    }
    assert.deepEqual(
      seen,
      all.items.map((p) => p.id),
    );

    const filtered = await page(`${ctx.plans()}?name=plan-1&limit=2`);
    assert.equal(filtered.total, 3);
    assert.equal(filtered.items.length, 2);
    assert.ok(filtered.items.every((p) => p.name === "plan-1"));
  });

  it("answers 422 for a limit outside 1..1000 or not an integer, and 400 for an unknown marker", async () => {
    for (const limit of ["0", "1001", "abc", "2.5", "-1"]) {
      const reply = await call("GET", `${ctx.plans()}?limit=${limit}`, { token: token() });
      assert.equal(reply.status, 422, `limit=${limit}`);
      assert.deepEqual(list(obj(obj(reply.body).details).errors)[0]?.loc, ["query", "limit"]);
    }
    const marker = await call("GET", `${ctx.checkpoints()}?marker=00000000-0000-4000-8000-000000000000`, {
      token: token(),
    });
    assert.equal(marker.status, 400);
    assert.equal(obj(marker.body).error_key, "pagination.unknown_marker");
  });

  it("filters plans and checkpoints by exact names; volume_name matches any protected volume", async () => {
    await createPlan(ctx.plans(), token(), { name: "both", resources: [VOLUME_A, VOLUME_B] });
    await createPlan(ctx.plans(), token(), { name: "logs-only", resources: [VOLUME_B] });
    assert.deepEqual(
      (await page(`${ctx.plans()}?volume_name=db-data`)).items.map((p) => p.name),
      ["both"],
    );
    assert.equal((await page(`${ctx.plans()}?volume_name=db-logs`)).total, 2);
    assert.equal((await page(`${ctx.plans()}?volume_name=db`)).total, 0);
    assert.equal((await page(`${ctx.plans()}?name=both&volume_name=db-logs`)).total, 1);

    await advance(ctx.emu().admin, 2 * DAY);
    assert.equal((await page(`${ctx.checkpoints()}?volume_name=db-data`)).total, 2);
    assert.equal((await page(`${ctx.checkpoints()}?volume_name=db-logs`)).total, 4);
    assert.equal((await page(`${ctx.checkpoints()}?plan_name=logs-only`)).total, 2);
    assert.equal((await page(`${ctx.checkpoints()}?plan_name=logs-only&volume_name=db-data`)).total, 0);
    assert.equal((await page(`${ctx.checkpoints()}?plan_name=nothing`)).total, 0);
  });

  it("serves trailing-slash and doubled-slash variants of every route", async () => {
    const { endpoint, projectId } = ctx.emu();
    const plan = await createPlan(`${endpoint}//${projectId}//plans`, token());
    for (const url of [
      `${endpoint}/${projectId}/plans`,
      `${endpoint}/${projectId}/plans/`,
      `${endpoint}//plans/`,
      `${endpoint}/plans`,
    ]) {
      assert.equal((await call("GET", url, { token: token() })).status, 200, url);
    }
    for (const url of [
      `${endpoint}/${projectId}/plans/${String(plan.id)}/`,
      `${endpoint}//plans//${String(plan.id)}`,
    ]) {
      assert.equal((await call("GET", url, { token: token() })).status, 200, url);
    }
  });

  it("answers JSON errors with X-Request-Id for unknown routes and wrong methods", async () => {
    const { endpoint, admin } = ctx.emu();
    const origin = new URL(endpoint).origin;
    for (const url of [
      `${endpoint}/${ctx.emu().projectId}/volumes`,
      `${origin}/`,
      `${endpoint}/plans/a/b`,
      `${admin}/nothing`,
      `${endpoint}/toString`,
      `${admin}/constructor`,
    ]) {
      const reply = await call("GET", url, { token: token() });
      assert.equal(reply.status, 404, url);
      assert.equal(obj(reply.body).code, "not_found");
      assert.equal(typeof reply.headers["x-request-id"], "string");
    }
    const wrongMethod = await call("PUT", ctx.plans(), { token: token(), body: {} });
    assert.equal(wrongMethod.status, 405);
    assert.match(String(wrongMethod.headers.allow), /GET/);
  });

  it(
    "answers a JSON 400 for a request target that is not " + "a URL or a request that is not HTTP, and stays up",
    async () => {
      const raw = (target: string): Promise<string> =>
        new Promise((resolve, reject) => {
          const socket = connect(ctx.emu().port, "127.0.0.1", () => {
            socket.write(
              `GET ${target} HTTP/1.1\r\nHost: emulator\r\nX-Auth-Token: ${token()}\r\nConnection: close\r\n\r\n`,
            );
          });
          let answer = "";
          socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
          socket.on("close", () => resolve(answer));
          socket.on("error", reject);
        });
      const malformed = await raw("http://[broken");
      assert.match(malformed, /^HTTP\/1\.1 400 /);
      assert.match(malformed, /"error_key":"request\.malformed_url"/);
      assert.match(malformed, /x-request-id: req-/i);
      const garbage = await new Promise<string>((resolve, reject) => {
        const socket = connect(ctx.emu().port, "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
        let answer = "";
        socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
        socket.on("close", () => resolve(answer));
        socket.on("error", reject);
      });
      assert.match(garbage, /^HTTP\/1\.1 400 /);
      assert.match(garbage, /"error_key":"request\.malformed_http"/);
      const doubledAtStart = await raw(`//data-protect/v2//plans/`);
      assert.match(doubledAtStart, /^HTTP\/1\.1 200 /);
    },
  );

  it("seeds many checkpoints and pages through them with stable totals", async () => {
    const seeded = await call("POST", `${ctx.emu().admin}/seed/checkpoints`, {
      body: { count: 2500, planName: "bench" },
    });
    assert.equal(seeded.status, 201);
    assert.equal(obj(seeded.body).created, 2500);
    const ids = new Set<unknown>();
    let marker: string | undefined;
    let previous = "";
    for (;;) {
      const next = await page(
        `${ctx.checkpoints()}?plan_name=bench&limit=1000${marker === undefined ? "" : `&marker=${marker}`}`,
      );
      assert.equal(next.total, 2500);
      if (next.items.length === 0) break;
      for (const checkpoint of next.items) {
        assert.ok(String(checkpoint.created_at) > previous);
        previous = String(checkpoint.created_at);
        ids.add(checkpoint.id);
      }
      marker = String(next.items[next.items.length - 1]?.id);
    }
    assert.equal(ids.size, 2500);
    const seedInvalid = await call("POST", `${ctx.emu().admin}/seed/checkpoints`, { body: { count: 0 } });
    assert.equal(seedInvalid.status, 422);
  });
});
