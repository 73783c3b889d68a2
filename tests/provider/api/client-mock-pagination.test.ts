// Client pagination against undici's MockAgent: following the marker, short pages, limits and page sizes.
import assert from "node:assert/strict";
import { collect } from "../../../provider/api";
import {
  BASE,
  checkpointBody,
  mockAgent,
  mockClient,
  ORIGIN,
  planBody,
  PROJECT,
  recordingReply,
  rejection,
  type SeenRequest,
} from "./helpers";

describe("api/client with MockAgent", () => {
  describe("pagination", () => {
    it("follows the marker page by page and stops at the short last page", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const seen: SeenRequest[] = [];
      const page = (ids: string[]) => ({ checkpoints: ids.map((id) => checkpointBody(id)), total: 5 });
      const at =
        (marker: string | null) =>
        (p: string): boolean => {
          const url = new URL(p, ORIGIN);
          return url.pathname === `${BASE}/${PROJECT}/checkpoints/` && url.searchParams.get("marker") === marker;
        };
      pool.intercept({ path: at(null), method: "GET" }).reply(recordingReply(seen, 200, page(["a", "b"])));
      pool.intercept({ path: at("b"), method: "GET" }).reply(recordingReply(seen, 200, page(["c", "d"])));
      pool.intercept({ path: at("d"), method: "GET" }).reply(recordingReply(seen, 200, page(["e"])));
      const ids = (await collect(mockClient(agent).checkpoints({ planName: "p", pageSize: 2 }))).map((c) => c.id);
      assert.deepEqual(ids, ["a", "b", "c", "d", "e"]);
      assert.deepEqual(
        seen.map((r) => new URL(r.path, ORIGIN).search),
        ["?plan_name=p&limit=2", "?plan_name=p&limit=2&marker=b", "?plan_name=p&limit=2&marker=d"],
      );
      agent.assertNoPendingInterceptors();
    });

    it("keeps going after a short page when total says more exist (a server capping limit)", async () => {
      const agent = mockAgent();
      const pool = agent.get(ORIGIN);
      const at = (marker: string | null) => (p: string) => new URL(p, ORIGIN).searchParams.get("marker") === marker;
      pool.intercept({ path: at(null), method: "GET" }).reply(200, { plans: [planBody({ id: "a" })], total: 2 });
      pool.intercept({ path: at("a"), method: "GET" }).reply(200, { plans: [planBody({ id: "b" })], total: 2 });
      const ids = (await collect(mockClient(agent).plans({ pageSize: 5 }))).map((p) => p.id);
      assert.deepEqual(ids, ["a", "b"]);
    });

    it("detects a server that ignores the marker instead of looping forever", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: () => true, method: "GET" })
        .reply(200, { plans: [planBody({ id: "a" })], total: 9 })
        .persist();
      const err = await rejection(collect(mockClient(agent).plans({ pageSize: 1 })));
      assert.match(String(err), /does not honour `marker`/);
    });

    it("collect stops at its limit without fetching further pages", async () => {
      const agent = mockAgent();
      agent
        .get(ORIGIN)
        .intercept({ path: () => true, method: "GET" })
        .reply(200, { plans: [planBody({ id: "a" }), planBody({ id: "b" })], total: 9 });
      const plans = await collect(mockClient(agent).plans({ pageSize: 2 }), 1);
      assert.deepEqual(
        plans.map((p) => p.id),
        ["a"],
      );
    });

    it("rejects a page size out of 1..1000", async () => {
      const err = await rejection(collect(mockClient(mockAgent()).plans({ pageSize: 0 })));
      assert.match(String(err), /pageSize must be an integer between 1 and 1000/);
    });
  });
});
