// known.ts reads behind @pulumi/policy's unknown-checking proxy; these hold its answers to the proxy's own:
// the same values, and for an unknown value the same UnknownValueError (class, message, path), which the
// analyzer turns into its "can't run during preview" advisory.
import assert from "node:assert/strict";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";
import { asRecord } from "../../../provider/values";
import { behindProxy, forEachEntryMember, knownMember, knownProperty } from "../../../policy/core/known";

const SENTINELS = [
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
];

type Outcome = { value: unknown } | { error: string; path: readonly PropertyKey[] };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (err) {
    assert.ok(err instanceof UnknownValueError, `not an UnknownValueError: ${String(err)}`);
    return { error: err.message, path: err.props };
  }
}

function props(sentinel: string): Record<string, unknown> {
  return {
    name: "db-nightly",
    maxBackups: 30,
    missing: null,
    status: sentinel,
    metadata: { "backup:tier": "gold", "backup:exempt": sentinel, nested: { deep: sentinel } },
    notAnObject: "text",
    resources: [sentinel, { id: sentinel }, { id: "3f0c7a4e" }, null, "loose", { id: { deep: sentinel } }, {}],
  };
}

describe("known reads (behind the analyzer's proxy)", () => {
  for (const sentinel of SENTINELS) {
    describe(`with the unknown ${sentinel}`, () => {
      const raw = props(sentinel);
      const proxied = unknownCheckingProxy<Record<string, unknown>>(raw);

      it("reads a property as the proxy does", () => {
        for (const key of ["name", "maxBackups", "missing", "status", "absent", "notAnObject"])
          assert.deepEqual(
            outcome(() => knownProperty(proxied, key)),
            outcome(() => proxied[key]),
            key,
          );
      });

      it("hands out an object still behind the proxy", () => {
        const metadata = knownProperty(proxied, "metadata") as Record<string, unknown>;
        assert.deepEqual(
          outcome(() => metadata["backup:exempt"]),
          outcome(() => (proxied["metadata"] as Record<string, unknown>)["backup:exempt"]),
        );
        assert.ok("error" in outcome(() => metadata["backup:exempt"]));
      });

      it("reads a member of an object property as the proxy does", () => {
        for (const [key, member] of [
          ["metadata", "backup:tier"],
          ["metadata", "backup:exempt"],
          ["metadata", "absent"],
          ["metadata", "nested"],
          ["status", "anything"],
          ["notAnObject", "length"],
          ["absent", "anything"],
        ] as const) {
          const known = outcome(() => knownMember(proxied, key, member));
          const viaProxy = outcome(() => asRecord(proxied[key])[member]);
          if ("value" in known && known.value instanceof Object) {
            // Objects come wrapped: compare what reading into them answers.
            const inner = known.value as Record<string, unknown>;
            const innerViaProxy = (viaProxy as { value: Record<string, unknown> }).value;
            assert.deepEqual(
              outcome(() => inner["deep"]),
              outcome(() => innerViaProxy["deep"]),
            );
          } else assert.deepEqual(known, viaProxy, `${key}.${member}`);
        }
      });

      it("reads each entry's member as the proxy does, an unknown one as its error", () => {
        const seen: Outcome[] = [];
        forEachEntryMember(proxied, "resources", "id", (value, unknown) =>
          seen.push(unknown === undefined ? { value } : { error: unknown.message, path: unknown.props }),
        );
        const list = proxied["resources"] as unknown[];
        const expected: Outcome[] = [];
        for (let i = 0; i < list.length; i++) {
          const read = outcome(() => (list[i] as Record<string, unknown> | null | undefined)?.["id"]);
          if ("value" in read && read.value === undefined && (list[i] === null || list[i] === undefined)) continue;
          expected.push(read);
        }
        assert.equal(seen.length, expected.length);
        seen.forEach((got, i) => {
          const want = expected[i]!;
          if ("value" in got && got.value instanceof Object)
            assert.deepEqual(
              outcome(() => (got.value as Record<string, unknown>)["deep"]),
              outcome(() => (want as { value: Record<string, unknown> }).value["deep"]),
            );
          else assert.deepEqual(got, want, `entry ${i}`);
        });
        assert.ok(seen.some((got) => "error" in got && got.path.join(".") === "resources.0"));
        assert.ok(seen.some((got) => "error" in got && got.path.join(".") === "resources.1.id"));
      });

      it("an unknown list throws before any entry", () => {
        const list = unknownCheckingProxy<Record<string, unknown>>({ resources: sentinel });
        assert.deepEqual(
          outcome(() => forEachEntryMember(list, "resources", "id", () => assert.fail("no entry"))),
          outcome(() => list["resources"]),
        );
      });
    });
  }

  it("reads plain objects as they are, unknowns included (nothing is behind a proxy to check)", () => {
    const raw = props(proxy.unknownStringValue);
    assert.equal(behindProxy(raw), undefined);
    assert.equal(knownProperty(raw, "status"), proxy.unknownStringValue);
    assert.equal(knownMember(raw, "metadata", "backup:exempt"), proxy.unknownStringValue);
    const ids: unknown[] = [];
    forEachEntryMember(raw, "resources", "id", (value, unknown) => ids.push(unknown ?? value));
    assert.deepEqual(ids, [
      undefined,
      proxy.unknownStringValue,
      "3f0c7a4e",
      undefined,
      { deep: raw["status"] },
      undefined,
    ]);
  });
});
