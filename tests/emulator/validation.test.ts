import assert from "node:assert/strict";
import { call, createPlan, list, obj, planBody, useEmulator, VOLUME_A, VOLUME_B } from "./helpers";

function errors(body: unknown): { loc: unknown[]; msg: string; type: string }[] {
  const details = obj(obj(body).details);
  return list(details.errors).map((e) => ({ loc: e.loc as unknown[], msg: String(e.msg), type: String(e.type) }));
}

describe("emulator: validation", () => {
  const ctx = useEmulator();
  const token = (): string => ctx.emu().token;

  it("reports every problem of a create body in one 422 with the API error shape", async () => {
    const reply = await call("POST", ctx.plans(), {
      token: token(),
      body: {
        name: "",
        backup_mode: "frequency",
        max_backups: 15,
        schedule_type: "crontab",
        schedule_pattern: "61 2 * * *",
        resources: [VOLUME_A, { ...VOLUME_A, type: "OS::Nova::Server" }],
        color: "blue",
      },
    });
    assert.equal(reply.status, 422);
    const body = obj(reply.body);
    assert.equal(body.code, "validation_error");
    assert.equal(typeof body.title, "string");
    assert.equal(typeof body.message, "string");
    assert.equal(body.error_key, "request.validation_failed");
    const locs = errors(reply.body).map((e) => e.loc.join("."));
    for (const expected of [
      "body.name",
      "body.description",
      "body.max_backups",
      "body.schedule_pattern",
      "body.resources.1.id",
      "body.resources.1.type",
      "body.color",
    ]) {
      assert.ok(locs.includes(expected), `missing ${expected} in ${locs.join(", ")}`);
    }
    const byLoc = new Map(errors(reply.body).map((e) => [e.loc.join("."), e]));
    assert.equal(byLoc.get("body.description")?.type, "missing");
    assert.equal(byLoc.get("body.color")?.type, "extra_forbidden");
    assert.equal(byLoc.get("body.name")?.type, "range");
    assert.equal(byLoc.get("body.max_backups")?.type, "range");
    assert.equal(byLoc.get("body.resources.1.id")?.type, "unique");
    assert.equal(byLoc.get("body.resources.1.type")?.type, "enum");
    assert.equal(byLoc.get("body.schedule_pattern")?.type, "schedule");
    assert.match(byLoc.get("body.max_backups")?.msg ?? "", /14/);
    for (const entry of list(obj(obj(reply.body).details).errors)) {
      assert.ok(Array.isArray(entry.loc) && entry.loc[0] === "body");
      assert.equal(typeof entry.msg, "string");
      assert.equal(typeof entry.type, "string");
    }
  });

  it("rejects server-owned fields and a status on create", async () => {
    const reply = await call("POST", ctx.plans(), { token: token(), body: planBody({ id: "x", status: "started" }) });
    assert.equal(reply.status, 422);
    assert.deepEqual(
      errors(reply.body)
        .map((e) => [e.loc.join("."), e.type])
        .sort(),
      [
        ["body.id", "read_only"],
        ["body.status", "read_only"],
      ],
    );
    const wrongTypes = await call("POST", ctx.plans(), {
      token: token(),
      body: planBody({ max_backups: "3", resources: [{ ...VOLUME_A, id: 7 }] }),
    });
    assert.deepEqual(
      errors(wrongTypes.body)
        .map((e) => [e.loc.join("."), e.type])
        .sort(),
      [
        ["body.max_backups", "type_error"],
        ["body.resources.0.id", "type_error"],
      ],
    );
  });

  it("answers 400 with the error shape for malformed JSON and 422 for a body that is not an object", async () => {
    const malformed = await call("POST", ctx.plans(), {
      token: token(),
      rawBody: '{"name": ',
      headers: { "content-type": "application/json" },
    });
    assert.equal(malformed.status, 400);
    assert.equal(obj(malformed.body).error_key, "request.malformed_json");
    assert.equal(typeof obj(malformed.body).message, "string");
    const array = await call("POST", ctx.plans(), { token: token(), body: [planBody()] });
    assert.equal(array.status, 422);
    assert.deepEqual(errors(array.body)[0]?.loc, ["body"]);
  });

  describe("the full_backups_amount alias", () => {
    it("is accepted on both layouts; plans carry both names on the compatibility layout only", async () => {
      const { max_backups: _omitted, ...withoutMax } = planBody();
      const viaProject = await call("POST", ctx.plans(), {
        token: token(),
        body: { ...withoutMax, full_backups_amount: 5 },
      });
      assert.equal(viaProject.status, 201);
      assert.equal(obj(viaProject.body).max_backups, 5);
      assert.equal("full_backups_amount" in obj(viaProject.body), false);

      const compat = `${ctx.emu().endpoint}/plans/`;
      const viaToken = await call("POST", compat, {
        token: token(),
        body: { ...withoutMax, name: "compat", full_backups_amount: 6 },
      });
      assert.equal(viaToken.status, 201);
      assert.equal(obj(viaToken.body).max_backups, 6);
      assert.equal(obj(viaToken.body).full_backups_amount, 6);

      const id = String(obj(viaToken.body).id);
      const read = obj((await call("GET", `${ctx.emu().endpoint}/plans/${id}`, { token: token() })).body);
      assert.equal(read.full_backups_amount, 6);
      const readProject = obj((await call("GET", ctx.plans(id), { token: token() })).body);
      assert.equal("full_backups_amount" in readProject, false);
      assert.equal(readProject.max_backups, 6);

      const patched = await call("PATCH", `${ctx.emu().endpoint}/plans/${id}`, {
        token: token(),
        body: { full_backups_amount: 9 },
      });
      assert.equal(patched.status, 200);
      assert.equal(obj(patched.body).max_backups, 9);
      assert.equal(obj(patched.body).full_backups_amount, 9);
    });

    it("takes the body the vendor's Go SDK and Terraform provider send on the compatibility layout", async () => {
      const goSdkBody = {
        name: "tf-backup-plan",
        backup_mode: "full",
        full_backups_amount: 4,
        schedule_type: "crontab",
        schedule_pattern: "0 4 * * 0",
        resources: [{ id: VOLUME_A.id, name: "volume_1", type: "OS::Cinder::Volume" }],
      };
      const created = await call("POST", `${ctx.emu().endpoint}//plans/`, { token: token(), body: goSdkBody });
      assert.equal(created.status, 201, created.text);
      assert.equal(obj(created.body).description, "");
      assert.equal(obj(created.body).full_backups_amount, 4);
      const { backup_mode: _immutable, ...updateBody } = goSdkBody;
      const updated = await call("PATCH", `${ctx.emu().endpoint}//plans/${String(obj(created.body).id)}`, {
        token: token(),
        body: { ...updateBody, full_backups_amount: 5 },
      });
      assert.equal(updated.status, 200, updated.text);
      // The seed's layout keeps the API reference's rule: description is required on create.
      const strict = await call("POST", ctx.plans(), {
        token: token(),
        body: { ...goSdkBody, max_backups: 4, full_backups_amount: undefined },
      });
      assert.equal(strict.status, 422);
      assert.deepEqual(
        errors(strict.body).map((e) => e.loc),
        [["body", "description"]],
      );
    });

    it("is a 422 when sent together with max_backups, and its problems are reported under its own name", async () => {
      const both = await call("POST", ctx.plans(), { token: token(), body: planBody({ full_backups_amount: 3 }) });
      assert.equal(both.status, 422);
      assert.deepEqual(
        errors(both.body).map((e) => e.loc),
        [["body", "full_backups_amount"]],
      );
      const { max_backups: _omitted, ...withoutMax } = planBody();
      const tooMany = await call("POST", ctx.plans(), {
        token: token(),
        body: { ...withoutMax, full_backups_amount: 91 },
      });
      assert.equal(tooMany.status, 422);
      assert.deepEqual(
        errors(tooMany.body).map((e) => e.loc),
        [["body", "full_backups_amount"]],
      );
    });
  });

  describe("PATCH", () => {
    it("changes only the fields sent, treats null as not sent, and answers the updatable fields", async () => {
      const plan = await createPlan(ctx.plans(), token(), { resources: [VOLUME_A, VOLUME_B] });
      const reply = await call("PATCH", ctx.plans(String(plan.id)), {
        token: token(),
        body: { description: "weekly", name: null, max_backups: 4 },
      });
      assert.equal(reply.status, 200);
      const body = obj(reply.body);
      assert.deepEqual(Object.keys(body).sort(), [
        "description",
        "max_backups",
        "name",
        "resources",
        "schedule_pattern",
        "schedule_type",
        "status",
      ]);
      assert.equal(body.name, "nightly");
      assert.equal(body.description, "weekly");
      assert.equal(body.max_backups, 4);
    });

    it(
      "refuses backup_mode, and re-validates a changed " + "schedule half and max_backups against the stored plan",
      async () => {
        const plan = await createPlan(ctx.plans(), token(), {
          schedule_type: "calendar",
          schedule_pattern: "30 2 * * 1,3,5",
          backup_mode: "frequency",
          max_backups: 2,
        });
        const reply = await call("PATCH", ctx.plans(String(plan.id)), {
          token: token(),
          body: { backup_mode: "full", schedule_pattern: "*/90 * * * *", max_backups: 20 },
        });
        assert.equal(reply.status, 422);
        const locs = errors(reply.body).map((e) => e.loc.join("."));
        assert.ok(locs.includes("body.backup_mode"), locs.join(","));
        assert.ok(locs.includes("body.max_backups"), locs.join(","));
        assert.ok(locs.includes("body.schedule_pattern"), locs.join(","));
        assert.equal(errors(reply.body).find((e) => e.loc[1] === "backup_mode")?.type, "immutable");
        const unchanged = obj((await call("GET", ctx.plans(String(plan.id)), { token: token() })).body);
        assert.equal(unchanged.max_backups, 2);
      },
    );

    it("answers 404 for an unknown plan", async () => {
      const reply = await call("PATCH", ctx.plans("00000000-0000-4000-8000-000000000000"), {
        token: token(),
        body: { name: "x" },
      });
      assert.equal(reply.status, 404);
      assert.equal(obj(reply.body).error_key, "plan.not_found");
    });
  });

  it("validates restore bodies with every problem at once", async () => {
    const reply = await call("POST", ctx.restores(), { token: token(), body: { restore_name: "", extra: 1 } });
    assert.equal(reply.status, 422);
    const locs = errors(reply.body).map((e) => e.loc.join("."));
    assert.deepEqual(locs.sort(), ["body.checkpoint_item_id", "body.extra", "body.restore_name"]);
  });
});
