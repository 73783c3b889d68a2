// Path layout and dialect detection (dialect.ts, client.ts): the probe order, route versus object 404s, the
// per-endpoint cache, the field names writes use, the refusal fallback and the errors that name the layout.
import assert from "node:assert/strict";
import { NotFoundError, ValidationError } from "../../../provider/api/errors";
import { forgetDetectedShape, isRouteNotFound } from "../../../provider/api/dialect";
import { dialectOfPlan, toWireBody } from "../../../provider/api/schemas";
import {
  BASE,
  mockAgent,
  mockClient,
  NEW_PLAN,
  ORIGIN,
  PROJECT,
  planBody,
  recordingReply,
  rejection,
  type SeenRequest,
} from "./helpers";

const notFound = (init: { errorKey?: string; apiMessage?: string }): NotFoundError =>
  new NotFoundError({ operation: "listPlans", method: "GET", path: "/x", status: 404, ...init });

const ROUTE_404 = { detail: "Not Found" };
const PLAN_ID = "0b6a8f0e-1111-4222-8333-444455556666";

describe("api/dialect", () => {
  beforeEach(() => forgetDetectedShape());
  after(() => forgetDetectedShape());

  describe("pure parts", () => {
    it("tells a route 404 from an object 404", () => {
      assert.equal(isRouteNotFound(notFound({})), true, "empty body (a proxy)");
      assert.equal(isRouteNotFound(notFound({ apiMessage: "Not Found" })), true, "FastAPI's route 404");
      assert.equal(
        isRouteNotFound(
          notFound({ errorKey: "route.not_found", apiMessage: "no route GET /v2/plans (plans|checkpoints)" }),
        ),
        true,
      );
      assert.equal(isRouteNotFound(notFound({ errorKey: "plan.not_found" })), false);
      assert.equal(isRouteNotFound(notFound({ errorKey: "project.not_found" })), false);
      assert.equal(isRouteNotFound(notFound({ apiMessage: "Project 5c1f does not exist" })), false);
      assert.equal(isRouteNotFound(notFound({ apiMessage: "plan x not found" })), false);
      assert.equal(isRouteNotFound(new Error("404")), false);
    });

    it("spells a body in one dialect: exactly one retention name, description only where known or non-empty", () => {
      const body = { name: "a", description: "", max_backups: 3 };
      assert.deepEqual(toWireBody(body, "seed"), { name: "a", description: "", max_backups: 3 });
      assert.deepEqual(toWireBody(body, "vendor"), { name: "a", full_backups_amount: 3 });
      assert.deepEqual(toWireBody({ ...body, description: "db" }, "vendor"), {
        name: "a",
        description: "db",
        full_backups_amount: 3,
      });
      assert.deepEqual(toWireBody({ status: "suspended" }, "vendor"), { status: "suspended" });
    });

    it("reads a plan's dialect only when it carries one retention name", () => {
      assert.equal(dialectOfPlan({ max_backups: 1 }), "seed");
      assert.equal(dialectOfPlan({ full_backups_amount: 1 }), "vendor");
      assert.equal(dialectOfPlan({ max_backups: 1, full_backups_amount: 1 }), undefined);
      assert.equal(dialectOfPlan(undefined), undefined);
    });
  });

  describe("detection through the client (MockAgent)", () => {
    it(
      "with a project id, probes the project layout first, falls back to /plans/ on a route 404, " +
        "once per endpoint",
      async () => {
        const agent = mockAgent();
        const seen: SeenRequest[] = [];
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
          .reply(recordingReply(seen, 404, ROUTE_404));
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
          .reply(
            recordingReply(seen, 200, {
              plans: [planBody({ max_backups: undefined, full_backups_amount: 3 })],
              total: 1,
            }),
          );
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/plans/`, method: "POST" })
          .reply(recordingReply(seen, 201, planBody()))
          .times(2);
        const client = mockClient(agent, { pathLayout: "auto" });
        await client.createPlan(NEW_PLAN);
        // A second client of the same endpoint (another resource in the same plugin) does not probe again.
        await mockClient(agent, { pathLayout: "auto" }).createPlan(NEW_PLAN);
        assert.deepEqual(
          seen.map((r) => r.path),
          [`${BASE}/${PROJECT}/plans/?limit=1`, `${BASE}/plans/?limit=1`, `${BASE}/plans/`, `${BASE}/plans/`],
        );
        const { max_backups: _m, ...rest } = NEW_PLAN;
        assert.deepEqual(seen[2]!.body, { ...rest, full_backups_amount: 7 }, "the vendor dialect: full_backups_amount");
        assert.deepEqual(await client.serviceShape(), { layout: "token", dialect: "vendor", source: "detected" });
      },
    );

    it("settles on the project layout with one probe when the service serves it, and writes max_backups", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
        .reply(recordingReply(seen, 200, { plans: [], total: 0 }));
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/plans/`, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      const client = mockClient(agent, { pathLayout: "auto" });
      await client.createPlan(NEW_PLAN);
      assert.deepEqual(
        seen.map((r) => r.path),
        [`${BASE}/${PROJECT}/plans/?limit=1`, `${BASE}/${PROJECT}/plans/`],
      );
      assert.deepEqual(seen[1]!.body, NEW_PLAN, "the seed dialect: max_backups and description");
    });

    it("stops on an object 404 (the project does not exist) instead of switching layouts", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
        .reply(404, { code: "not_found", message: "project 1111 does not exist", error_key: "project.not_found" });
      const err = await rejection(mockClient(agent, { pathLayout: "auto" }).getPlan(PLAN_ID));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.errorKey, "project.not_found");
    });

    it("takes no extra segment and sends no probe when the endpoint already ends with the project id", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/plans/${PLAN_ID}`, method: "GET" })
        .reply(recordingReply(seen, 200, planBody({ max_backups: undefined, full_backups_amount: 4 })));
      const client = mockClient(agent, { pathLayout: "auto", endpoint: `${ORIGIN}${BASE}/${PROJECT}/` });
      const plan = await client.getPlan(PLAN_ID);
      assert.equal(plan.max_backups, 4, "full_backups_amount is read as max_backups");
      assert.deepEqual(
        seen.map((r) => r.path),
        [`${BASE}/${PROJECT}/plans/${PLAN_ID}`],
      );
      assert.equal((await client.serviceShape()).source, "project id in the endpoint URL");
    });

    it("writes the name a listed plan shows, and leaves out an empty description on the vendor dialect", async () => {
      const agent = mockAgent();
      const seen: SeenRequest[] = [];
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
        .reply(200, { plans: [planBody({ max_backups: undefined, full_backups_amount: 2 })], total: 1 });
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/`, method: "POST" })
        .reply(recordingReply(seen, 201, planBody()));
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/${PLAN_ID}`, method: "PATCH" })
        .reply(recordingReply(seen, 200, {}));
      const client = mockClient(agent, { pathLayout: "auto", projectId: undefined });
      await client.createPlan({ ...NEW_PLAN, description: "" });
      await client.updatePlan(PLAN_ID, { max_backups: 3, description: "" });
      const { max_backups: _m, description: _d, ...rest } = NEW_PLAN;
      assert.deepEqual(
        seen.map((r) => r.body),
        [{ ...rest, full_backups_amount: 7 }, { full_backups_amount: 3 }],
      );
    });

    it(
      "after a 422 refusing the retention name, " + "sends the write once more under the other dialect's name",
      async () => {
        const agent = mockAgent();
        const seen: SeenRequest[] = [];
        const refusal = {
          code: "validation_error",
          message: "1 problem",
          details: {
            errors: [
              { loc: ["body", "full_backups_amount"], msg: "extra fields not permitted", type: "extra_forbidden" },
            ],
          },
        };
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/`, method: "POST" })
          .reply(recordingReply(seen, 422, refusal));
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/`, method: "POST" })
          .reply(recordingReply(seen, 201, planBody()));
        const client = mockClient(agent, { pathLayout: "auto", endpoint: `${ORIGIN}${BASE}/${PROJECT}` });
        await client.createPlan(NEW_PLAN);
        const { max_backups: _m, description: _d, ...rest } = NEW_PLAN;
        assert.deepEqual(
          seen.map((r) => r.body),
          [{ ...rest, description: NEW_PLAN.description, full_backups_amount: 7 }, NEW_PLAN],
        );
        assert.equal((await client.serviceShape()).dialect, "seed", "the switch is remembered for the endpoint");
      },
    );

    it("a description the vendor dialect refuses fails with an error naming the field and the layout", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
        .reply(200, { plans: [], total: 0 });
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/`, method: "POST" })
        .reply(422, {
          detail: [{ loc: ["body", "description"], msg: "Extra inputs are not permitted", type: "extra_forbidden" }],
        });
      const err = await rejection(mockClient(agent, { pathLayout: "auto", projectId: undefined }).createPlan(NEW_PLAN));
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, /vendor dialect, which does not know `description`/);
      assert.match(err.message, /leave `description` empty/);
      assert.match(err.message, /token layout \(detected\)/);
    });

    it("names the detected layout in errors, and says so when no layout has the route", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
        .reply(200, { plans: [], total: 0 });
      agent
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/${PLAN_ID}`, method: "GET" })
        .reply(404, { code: "not_found", message: "no such plan", error_key: "plan.not_found" });
      const gone = await rejection(mockClient(agent, { pathLayout: "auto", projectId: undefined }).getPlan(PLAN_ID));
      assert.ok(gone instanceof NotFoundError);
      assert.match(gone.message, /\[GET \/data-protect\/v2\/plans\/\S+, token layout \(detected\), vendor dialect\]/);

      forgetDetectedShape();
      const lost = mockAgent();
      lost
        .get(ORIGIN)
        .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
        .reply(404, "");
      lost
        .get(ORIGIN)
        .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
        .reply(404, ROUTE_404);
      const err = await rejection(mockClient(lost, { pathLayout: "auto" }).listPlans());
      assert.ok(err instanceof Error);
      assert.match(err.message, /no path layout works at this endpoint/);
    });

    it(
      "re-detects once after a route 404 on the layout in " + "use (the endpoint changed), then repeats the call",
      async () => {
        const agent = mockAgent();
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
          .reply(200, { plans: [], total: 0 });
        const client = mockClient(agent, { pathLayout: "auto" });
        assert.equal((await client.serviceShape()).layout, "project");
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/${PLAN_ID}`, method: "GET" })
          .reply(404, ROUTE_404);
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/${PROJECT}/plans/?limit=1`, method: "GET" })
          .reply(404, ROUTE_404);
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/plans/?limit=1`, method: "GET" })
          .reply(200, { plans: [], total: 0 });
        agent
          .get(ORIGIN)
          .intercept({ path: `${BASE}/plans/${PLAN_ID}`, method: "GET" })
          .reply(200, planBody());
        assert.equal((await client.getPlan(PLAN_ID)).id, PLAN_ID);
        assert.equal((await client.serviceShape()).layout, "token");
      },
    );
  });
});
