import assert from "node:assert/strict";
import fc from "fast-check";
import { retryVerdict } from "../../../provider/api/http";

const NOW = 1_000_000;
function ctx(over: Partial<Parameters<typeof retryVerdict>[0]> = {}): Parameters<typeof retryVerdict>[0] {
  return {
    idempotent: true,
    maxRetries: 4,
    backoff: { baseMs: 100, capMs: 1000 },
    deadline: NOW + 60_000,
    now: () => NOW,
    random: () => 0.5,
    lastAttemptSent: true,
    mayHaveCommitted: false,
    ...over,
  };
}

describe("api/http retry rules", () => {
  it("retries idempotent calls on 429, 500, 502, 503, 504 and nothing else", () => {
    for (const status of [429, 500, 502, 503, 504])
      assert.ok(retryVerdict(ctx(), { status }, 1).retry, `status ${status}`);
    for (const status of [400, 401, 403, 404, 409, 422, 501])
      assert.ok(!retryVerdict(ctx(), { status }, 1).retry, `status ${status}`);
  });

  it("never retries a POST on any status: a 429 or 503 may come after the service saved it", () => {
    const post = ctx({ idempotent: false, lastAttemptSent: false });
    for (const status of [429, 500, 502, 503, 504]) {
      const v = retryVerdict(post, { status, retryAfter: "0" }, 1);
      assert.ok(!v.retry, `status ${status}`);
      assert.match(v.reason, /may still have been applied/);
    }
  });

  it("retries transient network errors of idempotent calls, never TLS failures", () => {
    for (const code of ["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "EPIPE", "UND_ERR_CONNECT_TIMEOUT"]) {
      assert.ok(retryVerdict(ctx(), { code }, 1).retry, code);
    }
    for (const code of ["CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "ERR_TLS_CERT_ALTNAME_INVALID", undefined]) {
      assert.ok(!retryVerdict(ctx(), { code }, 1).retry, String(code));
    }
  });

  it("retries a POST's network error only when the request never reached a socket", () => {
    assert.ok(retryVerdict(ctx({ idempotent: false, lastAttemptSent: false }), { code: "ECONNREFUSED" }, 1).retry);
    const sent = retryVerdict(ctx({ idempotent: false, lastAttemptSent: true }), { code: "ECONNRESET" }, 1);
    assert.ok(!sent.retry);
    assert.match(sent.reason, /already sent/);
    // An earlier attempt that may have been committed poisons every later one.
    assert.ok(
      !retryVerdict(
        ctx({ idempotent: false, lastAttemptSent: false, mayHaveCommitted: true }),
        { code: "ECONNREFUSED" },
        2,
      ).retry,
    );
  });

  it("stops after maxRetries retries", () => {
    assert.ok(retryVerdict(ctx({ maxRetries: 2 }), { status: 503 }, 2).retry);
    assert.ok(!retryVerdict(ctx({ maxRetries: 2 }), { status: 503 }, 3).retry);
    assert.ok(!retryVerdict(ctx({ maxRetries: 0 }), { status: 503 }, 1).retry);
  });

  it("backs off exponentially with full jitter, capped", () => {
    const at = (attempt: number, random: number): number =>
      retryVerdict(ctx({ random: () => random, maxRetries: 10 }), { status: 500 }, attempt).delayMs;
    assert.equal(at(1, 0.999), 99);
    assert.equal(at(2, 0.999), 199);
    assert.equal(at(3, 0.999), 399);
    assert.equal(at(5, 0.999), 999); // 1600 capped at 1000
    assert.equal(at(3, 0), 0);
  });

  it("honours Retry-After, beyond the backoff cap when the deadline allows; else fails fast naming the wait", () => {
    const v = retryVerdict(ctx(), { status: 429, retryAfter: "0.7" }, 1);
    assert.deepEqual([v.retry, v.delayMs], [true, 700]);
    const late = retryVerdict(ctx({ deadline: NOW + 500 }), { status: 429, retryAfter: "1" }, 1);
    assert.ok(!late.retry);
    assert.match(late.reason, /asked to wait 1 s \(Retry-After\), beyond the call's deadline \(500 ms left\)/);
    const beyondCap = retryVerdict(ctx({ backoff: { baseMs: 100, capMs: 500 } }), { status: 503, retryAfter: "2" }, 1);
    assert.deepEqual([beyondCap.retry, beyondCap.delayMs], [true, 2000]);
  });

  it("never sleeps past the call's deadline", () => {
    const v = retryVerdict(ctx({ deadline: NOW + 10, random: () => 0.9 }), { status: 500 }, 1);
    assert.ok(!v.retry);
    assert.match(v.reason, /deadline/);
  });

  it("holds its invariants for any failure, attempt and budget", () => {
    fc.assert(
      fc.property(
        fc.record({
          idempotent: fc.boolean(),
          lastAttemptSent: fc.boolean(),
          mayHaveCommitted: fc.boolean(),
          maxRetries: fc.integer({ min: 0, max: 10 }),
          baseMs: fc.integer({ min: 1, max: 2000 }),
          capMs: fc.integer({ min: 1, max: 60_000 }),
          remainingMs: fc.integer({ min: 0, max: 120_000 }),
          random: fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        }),
        fc.oneof(
          fc.record({
            status: fc.integer({ min: 400, max: 599 }),
            retryAfter: fc.option(fc.integer({ min: 0, max: 120 }).map(String), { nil: undefined }),
          }),
          fc.record({
            code: fc.constantFrom(
              "ECONNRESET",
              "ECONNREFUSED",
              "UND_ERR_SOCKET",
              "EPIPE",
              "CERT_HAS_EXPIRED",
              "EINVAL",
            ),
          }),
        ),
        fc.integer({ min: 1, max: 12 }),
        (c, failure, attempt) => {
          const v = retryVerdict(
            {
              idempotent: c.idempotent,
              lastAttemptSent: c.lastAttemptSent,
              mayHaveCommitted: c.mayHaveCommitted,
              maxRetries: c.maxRetries,
              backoff: { baseMs: c.baseMs, capMs: c.capMs },
              deadline: NOW + c.remainingMs,
              now: () => NOW,
              random: () => c.random,
            },
            failure,
            attempt,
          );
          if (!v.retry) return;
          // Never beyond the attempt budget, the deadline or the cap.
          assert.ok(attempt <= c.maxRetries);
          assert.ok(v.delayMs >= 0 && v.delayMs < c.remainingMs);
          // The cap binds the backoff; only the service's own Retry-After may exceed it.
          if (!("retryAfter" in failure) || failure.retryAfter === undefined) assert.ok(v.delayMs <= c.capMs);
          // A create is repeated only when it never left this process.
          if (!c.idempotent) {
            assert.ok(!("status" in failure));
            assert.ok(!c.lastAttemptSent && !c.mayHaveCommitted);
          }
          if ("code" in failure) assert.notEqual(failure.code, "CERT_HAS_EXPIRED");
        },
      ),
      { numRuns: 2000 },
    );
  });
});
