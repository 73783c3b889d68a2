// Client behaviour against undici's MockAgent: response parsing edge cases, errors and request shapes.
import assert from "node:assert/strict";
import { NotFoundError, RequestSchemaError, ResponseSchemaError, ValidationError } from "../../../provider/api";
import {
  BASE,
  checkpointBody,
  mockAgent,
  mockClient,
  NEW_PLAN,
  ORIGIN,
  planBody,
  PROJECT,
  recordingReply,
  rejection,
  TOKEN,
  type SeenRequest,
  PLAN_ID,
  planPath,
  plansPath,
} from "./helpers";

describe("api/client with MockAgent", () => {
  describe("responses", () => {
    it("reads full_backups_amount as max_backups, keeps unknown fields and unknown statuses", async () => {
      const agent = mockAgent();
      const body = planBody({
        max_backups: undefined,
        full_backups_amount: 12,
        status: "activating",
        region_hint: { zone: "a" },
      });
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, body);
      const plan = await mockClient(agent).getPlan(PLAN_ID);
      assert.equal(plan.max_backups, 12);
      assert.equal(plan.status, "activating");
      assert.deepEqual(plan["region_hint"], { zone: "a" });
      assert.equal(plan["full_backups_amount"], 12);
    });

    it("prefers max_backups when both names are present", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(200, planBody({ max_backups: 5, full_backups_amount: 9 }));
      assert.equal((await mockClient(agent).getPlan(PLAN_ID)).max_backups, 5);
    });

    it("reads a plan without description as an empty description", async () => {
      const agent = mockAgent();
      const body = planBody();
      delete body["description"];
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, body);
      assert.equal((await mockClient(agent).getPlan(PLAN_ID)).description, "");
    });

    it("reports a response that breaks the contract with the operation and the field", async () => {
      const agent = mockAgent();
      const body = planBody({ resources: [{ id: 42, name: "db-1", type: "OS::Cinder::Volume" }] });
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(200, body, { headers: { "x-request-id": "rq-7" } });
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.operation, "getPlan");
      assert.equal(err.field, "resources[0].id");
      assert.equal(err.requestId, "rq-7");
      assert.match(
        err.message,
        /^getPlan: the API's answer does not match the contract at `resources\[0\]\.id`: .*expected string/,
      );
    });

    it("names the missing field of a list page", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: (p) => p.startsWith(`${BASE}/${PROJECT}/checkpoints/`), method: "GET" })
        .reply(200, { checkpoints: [checkpointBody("a"), { ...checkpointBody("b"), plan_id: undefined }], total: 2 });
      const err = await rejection(mockClient(agent).listCheckpoints());
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.operation, "listCheckpoints");
      assert.equal(err.field, "checkpoints[1].plan_id");
    });

    it("keeps unknown checkpoint fields at every level, and names a wrong type deep in an item", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const listing = (p: string): boolean => p.startsWith(`${BASE}/${PROJECT}/checkpoints/`);
      const item = (checkpointBody("a")["checkpoint_items"] as Record<string, unknown>[])[0]!;
      const resource = { ...(item["resource"] as object), size_gb: 10 };
      const body = checkpointBody("a", { checkpoint_items: [{ ...item, resource, encrypted: true }], tier: "cold" });
      pool.intercept({ path: listing, method: "GET" }).reply(200, { checkpoints: [body], total: 1, next: null });
      const page = await mockClient(agent).listCheckpoints();
      assert.deepEqual(page, { checkpoints: [body], total: 1, next: null });
      const broken = checkpointBody("b", { checkpoint_items: [{ ...item, is_incremental: "no" }] });
      pool.intercept({ path: listing, method: "GET" }).reply(200, { checkpoints: [body, broken], total: 2 });
      const err = await rejection(mockClient(agent).listCheckpoints());
      assert.ok(err instanceof ResponseSchemaError);
      assert.equal(err.field, "checkpoints[1].checkpoint_items[0].is_incremental");
    });

    it("treats a success body that is not JSON as a schema error", async () => {
      const agent = mockAgent();
      agent.get(ORIGIN).intercept({ path: planPath, method: "GET" }).reply(200, "<html>maintenance</html>");
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof ResponseSchemaError);
      assert.match(err.message, /not JSON/);
    });

    it("takes the request id from X-Openstack-Request-Id when X-Request-Id is absent", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "GET" })
        .reply(
          404,
          { code: "not_found", title: "Not Found", message: "no plan", error_key: "plan.not_found" },
          {
            headers: { "x-openstack-request-id": "req-os-1" },
          },
        );
      const err = await rejection(mockClient(agent).getPlan(PLAN_ID));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.requestId, "req-os-1");
      assert.equal(err.errorKey, "plan.not_found");
      assert.equal(err.path, planPath);
    });

    it("parses both 422 shapes through the client", async () => {
      for (const body of [
        {
          code: "validation_error",
          title: "Unprocessable",
          message: "invalid",
          details: { errors: [{ loc: ["body", "name"], msg: "too long", type: "string_too_long" }] },
        },
        { detail: [{ loc: ["body", "name"], msg: "too long", type: "string_too_long" }] },
      ]) {
        const agent = mockAgent();
        agent.get(ORIGIN).intercept({ path: plansPath, method: "POST" }).reply(422, body);
        const err = await rejection(mockClient(agent).createPlan(NEW_PLAN));
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(
          err.problems.map((p) => [p.field, p.msg]),
          [["name", "too long"]],
        );
      }
    });
  });

  describe("requests", () => {
    it("sends max_backups on the project layout, with token, user agent and content type", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: plansPath, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      await mockClient(agent, { userAgent: "ci-job/7" }).createPlan(NEW_PLAN);
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0]!.body, NEW_PLAN);
      const headers = seen[0]!.headers;
      assert.equal(headers["x-auth-token"], TOKEN);
      assert.equal(headers["content-type"], "application/json");
      assert.match(headers["user-agent"] ?? "", /^pulumi-scheduled-backup\/\d+\.\d+\.\d+ ci-job\/7$/);
    });

    it("uses /plans/ without the project and full_backups_amount on the token layout", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/`, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/${PLAN_ID}`, method: "PATCH" })
        .reply(recordingReply(seen, 200, { max_backups: 3 }));
      const client = mockClient(agent, { pathLayout: "token", projectId: undefined });
      await client.createPlan(NEW_PLAN);
      await client.updatePlan(PLAN_ID, { max_backups: 3, name: "x" });
      const { max_backups: _dropped, ...rest } = NEW_PLAN;
      assert.deepEqual(
        seen.map((r) => r.body),
        [
          { ...rest, full_backups_amount: 7 },
          { full_backups_amount: 3, name: "x" },
        ],
      );
    });

    it("sends only the fields of a patch", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: planPath, method: "PATCH" })
        .reply(recordingReply(seen, 200, { status: "suspended", name: "nightly" }));
      const answer = await mockClient(agent).updatePlan(PLAN_ID, { status: "suspended" });
      assert.deepEqual(seen[0]!.body, { status: "suspended" });
      assert.equal(answer.status, "suspended");
    });

    it("refuses unknown keys and wrong types before any I/O, naming the field", async () => {
      const client = mockClient(mockAgent()); // no interceptor: any request would fail differently
      const unknownKey = await rejection(client.createPlan({ ...NEW_PLAN, full_backups_amount: 3 } as never));
      assert.ok(unknownKey instanceof RequestSchemaError);
      assert.equal(unknownKey.field, "full_backups_amount");
      const immutable = await rejection(client.updatePlan(PLAN_ID, { backup_mode: "full" } as never));
      assert.ok(immutable instanceof RequestSchemaError);
      assert.equal(immutable.field, "backup_mode");
      const wrongType = await rejection(client.createRestore({ checkpoint_item_id: "i", restore_name: 5 } as never));
      assert.ok(wrongType instanceof RequestSchemaError);
      assert.equal(wrongType.field, "restore_name");
      const emptyId = await rejection(client.getPlan(""));
      assert.ok(emptyId instanceof RequestSchemaError);
      assert.equal(emptyId.field, "id");
      const badLimit = await rejection(client.listPlans({ limit: 5000 }));
      assert.ok(badLimit instanceof RequestSchemaError);
      assert.equal(badLimit.field, "limit");
    });

    it("deletes a chain with DELETE /checkpoints/?chain_id=", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/checkpoints/?chain_id=ch-1`, method: "DELETE" })
        .reply(200, { deleted: [checkpointBody("a", { status: "deleting" })] });
      const answer = await mockClient(agent).deleteCheckpointsByChain("ch-1");
      assert.equal(answer.deleted[0]!.status, "deleting");
    });
  });
});
