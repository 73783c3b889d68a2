import assert from "node:assert/strict";
import { errorFromResponse, parseRetryAfter, validationProblems } from "../../../provider/api/error-body";
import {
  ApiError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseSchemaError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
  isAmbiguousCreateFailure,
} from "../../../provider/api/errors";

const call = { operation: "createPlan", method: "POST", path: "/data-protect/v2/p/plans/", requestId: "req-1" };

describe("api/error-body", () => {
  it("maps each status to its error class", () => {
    const cases: [number, new (...args: never[]) => ApiError][] = [
      [400, BadRequestError],
      [401, UnauthorizedError],
      [403, ForbiddenError],
      [404, NotFoundError],
      [409, ConflictError],
      [422, ValidationError],
      [429, RateLimitedError],
      [500, ServerError],
      [502, ServerError],
      [503, ServerError],
      [504, ServerError],
    ];
    for (const [status, cls] of cases) {
      const err = errorFromResponse({ ...call, status }, JSON.stringify({ code: "c", title: "T", message: "M" }));
      assert.ok(err instanceof cls, `${status} -> ${err.name}`);
      assert.equal(err.status, status);
    }
    assert.equal(errorFromResponse({ ...call, status: 418 }, "").constructor, ApiError);
  });

  it("carries the API's code, title, message, error_key, method, path and request id", () => {
    const err = errorFromResponse(
      { ...call, status: 404 },
      JSON.stringify({
        code: "not_found",
        title: "Not Found",
        message: "plan x does not exist",
        error_key: "plan.not_found",
      }),
    );
    assert.equal(err.code, "not_found");
    assert.equal(err.title, "Not Found");
    assert.equal(err.apiMessage, "plan x does not exist");
    assert.equal(err.errorKey, "plan.not_found");
    assert.equal(err.method, "POST");
    assert.equal(err.path, call.path);
    assert.equal(err.requestId, "req-1");
    assert.match(
      err.message,
      /createPlan failed: HTTP 404 Not Found: plan x does not exist \(not_found, plan\.not_found\)/,
    );
    assert.match(err.message, /\[POST \/data-protect\/v2\/p\/plans\/, request id req-1\]/);
  });

  it("parses the API's 422 shape (details.errors) with readable fields", () => {
    const body = {
      code: "validation_error",
      title: "Unprocessable Entity",
      message: "2 problems",
      details: {
        errors: [
          { loc: ["body", "max_backups"], msg: "must be at most 90", type: "value_error.number.not_le" },
          { loc: ["body", "resources", 1, "id"], msg: "duplicate id", type: "value_error" },
        ],
      },
    };
    const err = errorFromResponse({ ...call, status: 422 }, JSON.stringify(body));
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(
      err.problems.map((p) => p.field),
      ["max_backups", "resources[1].id"],
    );
    assert.deepEqual(err.problems[1]!.loc, ["body", "resources", 1, "id"]);
    assert.equal(err.problems[0]!.type, "value_error.number.not_le");
    assert.match(err.message, /max_backups: must be at most 90; resources\[1\]\.id: duplicate id/);
  });

  it("parses FastAPI's 422 shape ({detail: [...]}) the same way", () => {
    const body = {
      detail: [
        { loc: ["query", "limit"], msg: "ensure this value is less than or equal to 1000", type: "value_error" },
      ],
    };
    const err = errorFromResponse({ ...call, status: 422 }, JSON.stringify(body));
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(err.problems, [
      {
        loc: ["query", "limit"],
        msg: "ensure this value is less than or equal to 1000",
        type: "value_error",
        field: "limit",
      },
    ]);
  });

  it("keeps a 422 without entries readable, and skips malformed entries", () => {
    assert.deepEqual(validationProblems({ detail: [42, { msg: "whole body wrong" }] }), [
      { loc: [], msg: "whole body wrong", type: "invalid", field: "" },
    ]);
    const err = errorFromResponse({ ...call, status: 422 }, JSON.stringify({ code: "x", title: "t", message: "bad" }));
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(err.problems, []);
    assert.match(err.message, /validation: bad/);
  });

  it("turns a non-JSON body (a proxy's HTML page) into a short message", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"x".repeat(500)}</body></html>`;
    const err = errorFromResponse({ ...call, status: 502 }, html);
    assert.ok(err instanceof ServerError);
    assert.match(err.apiMessage ?? "", /^502 Bad Gateway x+\.\.\.$/);
    assert.ok((err.apiMessage ?? "").length < 220);
  });

  it("reads Keystone's error shape", () => {
    const err = errorFromResponse(
      { ...call, status: 401 },
      JSON.stringify({
        error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
      }),
    );
    assert.ok(err instanceof UnauthorizedError);
    assert.deepEqual(
      [err.code, err.title, err.apiMessage],
      ["401", "Unauthorized", "The request you have made requires authentication."],
    );
  });

  it("reads FastAPI's string detail as the message", () => {
    const err = errorFromResponse({ ...call, status: 404 }, JSON.stringify({ detail: "Not Found" }));
    assert.equal(err.apiMessage, "Not Found");
  });

  it("exposes retryAfterMs on 429", () => {
    const err = errorFromResponse({ ...call, status: 429, retryAfterMs: 2000 }, "{}");
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.retryAfterMs, 2000);
  });

  it("parses Retry-After in both forms", () => {
    const now = Date.parse("2026-11-27T10:00:00Z");
    assert.equal(parseRetryAfter("3", now), 3000);
    assert.equal(parseRetryAfter("0.5", now), 500);
    assert.equal(parseRetryAfter("Fri, 27 Nov 2026 10:00:05 GMT", now), 5000);
    assert.equal(parseRetryAfter("Fri, 27 Nov 2026 09:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  describe("isAmbiguousCreateFailure", () => {
    const post = { operation: "createPlan", method: "POST", path: "/p/plans/" };
    it("is true when a POST may have been committed", () => {
      assert.ok(isAmbiguousCreateFailure(new NetworkError({ ...post, phase: "sent", detail: "ECONNRESET" })));
      assert.ok(isAmbiguousCreateFailure(new TimeoutError({ ...post, phase: "sent", timeoutMs: 1000, detail: "x" })));
      assert.ok(isAmbiguousCreateFailure(new ServerError({ ...post, status: 500 })));
      assert.ok(isAmbiguousCreateFailure(new ServerError({ ...post, status: 504 })));
      assert.ok(
        isAmbiguousCreateFailure(new ResponseSchemaError({ ...post, status: 201, field: "id", issues: ["x"] })),
      );
      // A gateway's 503 or 429 does not prove the service behind it did nothing.
      assert.ok(isAmbiguousCreateFailure(new ServerError({ ...post, status: 503 })));
      assert.ok(isAmbiguousCreateFailure(new RateLimitedError({ ...post, status: 429 })));
    });
    it("is false for clean refusals, for failures before sending and for other methods", () => {
      assert.ok(!isAmbiguousCreateFailure(new NetworkError({ ...post, phase: "connect", detail: "ECONNREFUSED" })));
      for (const status of [400, 401, 403, 404])
        assert.ok(!isAmbiguousCreateFailure(new ServerError({ ...post, status })), `status ${status}`);
      assert.ok(!isAmbiguousCreateFailure(new ValidationError({ ...post, status: 422, problems: [] })));
      assert.ok(!isAmbiguousCreateFailure(new NetworkError({ ...post, method: "PATCH", phase: "sent", detail: "x" })));
      assert.ok(!isAmbiguousCreateFailure(new Error("plain")));
    });
  });
});
