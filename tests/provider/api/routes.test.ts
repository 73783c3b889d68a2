import assert from "node:assert/strict";
import { buildPath, buildQuery, OPERATION_NAMES, parseBaseUrl, ROUTES } from "../../../provider/api/routes";

describe("api/routes", () => {
  it("has one route per operation of the API, ten in all", () => {
    assert.deepEqual(OPERATION_NAMES.sort(), [
      "createPlan",
      "createRestore",
      "deleteCheckpoint",
      "deleteCheckpointsByChain",
      "deletePlan",
      "getCheckpoint",
      "getPlan",
      "listCheckpoints",
      "listPlans",
      "updatePlan",
    ]);
    assert.equal(ROUTES.createPlan.idempotent, false);
    assert.equal(ROUTES.createRestore.idempotent, false);
    assert.ok(OPERATION_NAMES.filter((op) => ROUTES[op].method !== "POST").every((op) => ROUTES[op].idempotent));
  });

  it("builds project-layout paths with the project segment; list/create paths end in /", () => {
    const b = "/data-protect/v2";
    assert.equal(buildPath("listPlans", "project", b, "p1"), "/data-protect/v2/p1/plans/");
    assert.equal(buildPath("createPlan", "project", b, "p1"), "/data-protect/v2/p1/plans/");
    assert.equal(buildPath("getPlan", "project", b, "p1", "x"), "/data-protect/v2/p1/plans/x");
    assert.equal(buildPath("updatePlan", "project", b, "p1", "x"), "/data-protect/v2/p1/plans/x");
    assert.equal(buildPath("deletePlan", "project", b, "p1", "x"), "/data-protect/v2/p1/plans/x");
    assert.equal(buildPath("listCheckpoints", "project", b, "p1"), "/data-protect/v2/p1/checkpoints/");
    assert.equal(buildPath("getCheckpoint", "project", b, "p1", "c"), "/data-protect/v2/p1/checkpoints/c");
    assert.equal(buildPath("deleteCheckpoint", "project", b, "p1", "c"), "/data-protect/v2/p1/checkpoints/c");
    assert.equal(buildPath("deleteCheckpointsByChain", "project", b, "p1"), "/data-protect/v2/p1/checkpoints/");
    assert.equal(buildPath("createRestore", "project", b, "p1"), "/data-protect/v2/p1/restores/");
  });

  it("builds token-layout paths without the project segment", () => {
    assert.equal(buildPath("listPlans", "token", "/v2", undefined), "/v2/plans/");
    assert.equal(buildPath("getPlan", "token", "/v2", "ignored", "x"), "/v2/plans/x");
    assert.equal(buildPath("createRestore", "token", "", undefined), "/restores/");
  });

  it("encodes ids so that they cannot escape their path segment", () => {
    assert.equal(buildPath("getPlan", "project", "", "p 1", "../x?y"), "/p%201/plans/..%2Fx%3Fy");
    assert.throws(() => buildPath("getPlan", "project", "", "p", ""), /id must not be empty/);
    assert.throws(() => buildPath("listPlans", "project", "", undefined), /needs a project id/);
    // "." and ".." survive percent-encoding and would climb out of the route: refused.
    assert.throws(() => buildPath("getPlan", "project", "", "p", ".."), /id must not be "\.\."/);
    assert.throws(() => buildPath("getPlan", "project", "", "p", "."), /id must not be "\."/);
    assert.throws(() => buildPath("listPlans", "project", "", ".."), /projectId must not be "\.\."/);
  });

  it("normalises the base URL: trailing slashes stripped, origin split off", () => {
    assert.deepEqual(parseBaseUrl("https://ru-3.cloud.api.selcloud.ru/data-protect/v2/"), {
      origin: "https://ru-3.cloud.api.selcloud.ru",
      basePath: "/data-protect/v2",
    });
    assert.deepEqual(parseBaseUrl("http://127.0.0.1:8080//"), { origin: "http://127.0.0.1:8080", basePath: "" });
    assert.throws(() => parseBaseUrl("not a url"), /not a valid URL/);
    assert.throws(() => parseBaseUrl("ftp://x/"), /http\(s\)/);
    assert.throws(() => parseBaseUrl("https://u:p@x/"), /credentials/);
    assert.throws(() => parseBaseUrl("https://x/v2?token=1"), /query/);
  });

  it("builds queries from defined values only", () => {
    assert.equal(buildQuery({ name: "a b", volume_name: undefined, limit: 10 }), "?name=a+b&limit=10");
    assert.equal(buildQuery({ marker: undefined }), "");
  });
});
