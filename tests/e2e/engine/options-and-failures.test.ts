import assert from "node:assert/strict";
import * as engine from "../../engine/index.js";
import type { ResourceRecord, RunOptions, TraceEvent } from "../../engine/types.js";
import { useItemsStack } from "./items-api.js";
import {
  assertOk,
  digest,
  errorsOf,
  fixtureDir,
  freshStack,
  stepOf,
  uniqueStack,
  waitForNoChildren,
} from "../fixture.js";

describe("engine stand-in: failures, resource options, import and get", function () {
  const items = useItemsStack("opts");
  const { cwd, stack, options } = items;
  const resources = (): ResourceRecord[] => engine.readState(cwd, stack).deployment.resources;
  const byName = items.record;

  it("a failure in the middle fails the run with the provider's message and keeps what succeeded", async () => {
    const result = await engine.up(
      options([
        { name: "first" },
        { name: "boom", value: "explode", dependsOn: ["first"] },
        { name: "last", dependsOn: ["boom"] },
      ]),
    );
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /provider refused to create: value 'explode'/);
    assert.equal(stepOf(result, "boom").status, "failed");
    assert.equal(stepOf(result, "first").status, "ok");
    assert.equal(
      result.steps.some((s) => s.name === "last"),
      false,
      "no step is issued after the failure",
    );
    assert.ok(byName("first")?.id, "the created resource stays in state");
    assert.equal(byName("boom"), undefined);
    assert.deepEqual(
      [...items.api.items.values()].map((i) => i.name),
      ["first"],
    );
    await waitForNoChildren();
  });

  it("the next up converges from the partial state", async () => {
    const result = await engine.up(
      options([
        { name: "first", protect: true },
        { name: "boom", value: "fine", dependsOn: ["first"], retainOnDelete: true },
        { name: "last", dependsOn: ["boom"], ignoreChanges: ["value"] },
      ]),
    );
    assertOk(result);
    assert.deepEqual(
      digest(result).filter((d) => !d.startsWith("same:itemsfixture")),
      ["create:boom:ok", "create:last:ok", "same:first:ok"],
    );
    assert.equal(byName("first")?.protect, true);
    assert.equal(byName("boom")?.retainOnDelete, true);
    assert.deepEqual(byName("last")?.dependencies, [byName("boom")?.urn]);
  });

  it("check failures are reported per property and stop the step before any API call", async () => {
    const writes = items.api.writes().length;
    const result = await engine.up(
      options([
        { name: "first", protect: true },
        { name: "boom", value: "invalid", dependsOn: ["first"], retainOnDelete: true },
      ]),
    );
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /property value value \{"invalid"\} has a problem: value must not be 'invalid'/);
    assert.equal(items.api.writes().length, writes);
    assert.ok(byName("last"), "resources the failed run did not reach stay in state");
  });

  it("ignoreChanges keeps the old values and an alias renames: no diff, no API write", async () => {
    const writes = items.api.writes().length;
    const lastId = byName("last")?.id;
    const result = await engine.up(
      options([
        { name: "first", protect: true },
        { name: "boom", value: "fine", dependsOn: ["first"], retainOnDelete: true },
        { name: "final", aliasOf: "last", value: "changed", dependsOn: ["boom"], ignoreChanges: ["value", "name"] },
      ]),
    );
    assertOk(result);
    assert.equal(stepOf(result, "final").op, "same");
    assert.equal(
      result.steps.some((s) => s.name === "last"),
      false,
      "renamed, not deleted",
    );
    assert.equal(byName("final")?.id, lastId);
    assert.equal(byName("final")?.inputs?.value, "v1");
    assert.equal(byName("last"), undefined);
    assert.equal(items.api.writes().length, writes);
  });

  it("removing resources: retainOnDelete forgets without deleting, protect refuses the delete", async () => {
    const boomId = byName("boom")?.id ?? "";
    const result = await engine.up(options([]));
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /unable to delete resource ".*::first"\nas it is currently marked for protection/);
    assert.equal(stepOf(result, "final").op, "delete");
    assert.equal(stepOf(result, "boom").status, "ok");
    assert.ok(items.api.items.has(boomId), "a retained resource is left in the cloud");
    assert.equal(byName("boom"), undefined, "... and dropped from state");
    assert.ok(byName("first"), "a protected resource stays");
  });

  it(
    "`import:` fails exactly like the real engine (Read " + "with the id only cannot serve dynamic providers)",
    async () => {
      const firstId = byName("first")?.id ?? "";
      const writes = items.api.writes().length;
      const result = await engine.up(
        options([
          { name: "first", protect: true },
          { name: "adopted", importId: firstId },
        ]),
      );
      assert.equal(result.ok, false);
      assert.equal(stepOf(result, "adopted").op, "import");
      assert.match(errorsOf(result), /code must be a string, not undefined/);
      assert.equal(items.api.writes().length, writes);
    },
  );

  it(
    "`.get(name, id)` reads an existing resource into state as external, " + "and unprotecting is an ordinary update",
    async () => {
      const first = byName("first");
      const result = await engine.up(
        options([{ name: "first" }, { name: "seen", getId: first?.id }, { name: "child", deletedWith: "first" }]),
      );
      assertOk(result);
      assert.equal(stepOf(result, "seen").op, "read");
      const etags = result.outputs.etags as Record<string, string>;
      assert.deepEqual([etags.first, etags.seen], [first?.outputs?.etag, first?.outputs?.etag]);
      assert.equal(byName("child")?.deletedWith, byName("first")?.urn);
      assert.equal(byName("seen")?.external, true);
      assert.equal(byName("first")?.protect, undefined);
    },
  );

  it(
    "destroy deletes owned resources, skips the delete of one deleted with another, " + "and only forgets read ones",
    async () => {
      const firstId = byName("first")?.id ?? "";
      const childId = byName("child")?.id ?? "";
      const result = await engine.destroy({ cwd, stack });
      assertOk(result);
      const deletes = items.api.calls.filter((c) => c.method === "DELETE").map((c) => c.path);
      assert.equal(deletes.filter((p) => p === `/items/${firstId}`).length, 1);
      assert.equal(deletes.includes(`/items/${childId}`), false, "deletedWith: no delete call of its own");
      assert.equal(stepOf(result, "child").op, "delete");
      assert.equal(
        result.steps.some((s) => s.name === "seen"),
        false,
      );
      assert.deepEqual(resources(), []);
    },
  );
});

describe("engine stand-in: delete-before-replace and its dependents", function () {
  const items = useItemsStack("dbr");
  const { cwd, stack } = items;
  // q's value comes from p and q's provider replaces on `value`; r takes p's value too but updates in place.
  const spec = (pKind: string): unknown[] => [
    { name: "p", kind: pKind, deleteBeforeReplace: true },
    { name: "q", valueFrom: "p", replaceKeys: ["value"] },
    { name: "r", valueFrom: "p" },
  ];
  const options = (pKind: string): RunOptions => items.options(spec(pKind));
  const idOf = (name: string): string => items.record(name)?.id ?? "";

  it("takes down the dependents that would be replaced before the resource, and brings them back after", async () => {
    assertOk(await engine.up(options("one")));
    const [oldP, oldQ, oldR] = [idOf("p"), idOf("q"), idOf("r")];
    const from = items.api.calls.length;
    const result = await engine.up(options("two"));
    assertOk(result);
    assert.deepEqual(
      [stepOf(result, "p").op, stepOf(result, "q").op, stepOf(result, "r").op],
      ["replace", "replace", "update"],
    );
    assert.deepEqual(stepOf(result, "q").diffs, ["value"]);
    const writes = items.api.calls
      .slice(from)
      .filter((c) => c.method !== "GET")
      .map((c) => `${c.method} ${c.method === "POST" ? (c.body as { name: string }).name : c.path}`);
    assert.deepEqual(
      [...writes].sort(),
      [`DELETE /items/${oldQ}`, `DELETE /items/${oldP}`, "POST p", "POST q", `PUT /items/${oldR}`].sort(),
    );
    // dependents first, then the resource, then the replacements in registration order
    assert.ok(writes.indexOf(`DELETE /items/${oldQ}`) < writes.indexOf(`DELETE /items/${oldP}`));
    assert.ok(writes.indexOf(`DELETE /items/${oldP}`) < writes.indexOf("POST p"));
    assert.ok(writes.indexOf("POST p") < writes.indexOf("POST q"));
    assert.equal(writes.filter((w) => w === `DELETE /items/${oldR}`).length, 0, "r only needed an update");
    assert.equal(items.api.items.get(idOf("q"))?.value, items.api.items.get(idOf("p"))?.etag);
    assertOk(await engine.destroy({ cwd, stack }));
  });
});

describe("engine stand-in: a replacement whose old generation could not be deleted", function () {
  const items = useItemsStack("pending");
  const { cwd, stack } = items;
  const options = (kind: string): RunOptions => items.options([{ name: "z", kind }]);
  const records = (): ResourceRecord[] =>
    engine.readState(cwd, stack).deployment.resources.filter((r) => r.urn.endsWith("::z"));

  it("keeps the old generation in state as `delete: true` when its delete fails", async () => {
    assertOk(await engine.up(options("one")));
    const oldId = records()[0]?.id;
    items.api.rejectDeletes = true;
    const result = await engine.up(options("two"));
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /cannot be deleted right now/);
    assert.deepEqual(
      records().map((r) => [r.id === oldId, r.delete ?? false]),
      [
        [false, false],
        [true, true],
      ],
    );
  });

  it("the next up deletes the pending old generation and leaves the live one alone", async () => {
    items.api.rejectDeletes = false;
    const [live, pending] = records();
    const result = await engine.up(options("two"));
    assertOk(result);
    assert.equal(stepOf(result, "z").op, "same");
    assert.deepEqual(
      records().map((r) => r.id),
      [live?.id],
    );
    assert.deepEqual([...items.api.items.keys()], [live?.id]);
    assert.equal(items.api.calls.filter((c) => c.method === "DELETE" && c.path === `/items/${pending?.id}`).length, 2);
    assertOk(await engine.destroy({ cwd, stack }));
  });
});

describe("engine stand-in: a create-before-delete replacement whose create fails", function () {
  const items = useItemsStack("failedreplace");
  const { cwd, stack } = items;
  const options = (kind: string, value: string): RunOptions => items.options([{ name: "z", kind, value }]);
  const records = (): ResourceRecord[] =>
    engine.readState(cwd, stack).deployment.resources.filter((r) => r.urn.endsWith("::z"));

  it("leaves the old resource live and untouched in state (only a created replacement condemns it)", async () => {
    assertOk(await engine.up(options("one", "v1")));
    const [before] = records();
    const result = await engine.up(options("two", "explode"));
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /provider refused to create: value 'explode'/);
    assert.deepEqual([stepOf(result, "z").op, stepOf(result, "z").status], ["replace", "failed"]);
    assert.deepEqual(records(), [before], "the old record is kept as it was: no `delete: true`");
    assert.deepEqual([...items.api.items.keys()], [before?.id]);
    assert.equal(items.api.calls.filter((c) => c.method === "DELETE").length, 0);
  });

  it("the next up replaces it again, and destroy then deletes the survivor with the provider", async () => {
    const [old] = records();
    const result = await engine.up(options("two", "v2"));
    assertOk(result);
    assert.equal(stepOf(result, "z").op, "replace");
    const [live] = records();
    assert.notEqual(live?.id, old?.id);
    assert.equal(items.api.calls.filter((c) => c.method === "DELETE" && c.path === `/items/${old?.id}`).length, 1);
    const destroyed = await engine.destroy({ cwd, stack });
    assertOk(destroyed);
    assert.deepEqual(records(), []);
    assert.deepEqual([...items.api.items.keys()], []);
    assert.equal(items.api.calls.filter((c) => c.method === "DELETE" && c.path === `/items/${live?.id}`).length, 1);
  });

  it("destroy right after a failed replacement deletes the old resource instead of only forgetting it", async () => {
    assertOk(await engine.up(options("one", "v1")));
    const [old] = records();
    assert.equal((await engine.up(options("two", "explode"))).ok, false);
    const destroyed = await engine.destroy({ cwd, stack });
    assertOk(destroyed);
    assert.deepEqual(
      digest(destroyed).filter((d) => d.includes(":z:")),
      ["delete:z:ok"],
    );
    assert.deepEqual(records(), []);
    assert.deepEqual([...items.api.items.keys()], []);
    assert.equal(items.api.calls.filter((c) => c.method === "DELETE" && c.path === `/items/${old?.id}`).length, 1);
  });
});

describe("engine stand-in: program errors", function () {
  const cwd = fixtureDir("items");
  const stack = uniqueStack("throw");
  after(() => freshStack(cwd, stack));

  it("an unhandled exception in the program fails the run with its message", async () => {
    const result = await engine.up({ cwd, stack, config: { throwError: "the program gave up" } });
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /the program gave up/);
  });

  it("a run that exceeds timeoutMs is aborted with every child killed", async () => {
    const result = await engine.preview({ cwd, stack, config: { spec: "[]" }, timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /the run exceeded 300 ms and was aborted/);
    await waitForNoChildren();
  });
});

describe("engine stand-in: partially created resources", function () {
  const items = useItemsStack("init");
  const { cwd, stack } = items;
  const options = (): RunOptions => items.options([{ name: "half", value: "half" }]);
  const half = (): ResourceRecord | undefined => items.record("half");

  it("a create rejected with {id, properties, reasons} keeps the resource in state with its init errors", async () => {
    const result = await engine.up(options());
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /was created but did not become healthy/);
    assert.deepEqual(half()?.initErrors, ["health check failed"]);
    assert.equal(half()?.id, [...items.api.items.keys()][0]);
  });

  it("the next up retries with an empty update even though nothing changed, and clears the init errors", async () => {
    const result = await engine.up(options());
    assertOk(result);
    assert.deepEqual([stepOf(result, "half").op, stepOf(result, "half").diffs], ["update", []]);
    assert.equal(items.api.calls.filter((c) => c.method === "PUT").length, 1);
    assert.equal(half()?.initErrors, undefined);
    assertOk(await engine.destroy({ cwd, stack }));
  });
});

describe("engine stand-in: fake packages", function () {
  const cwd = fixtureDir("items");
  const stack = uniqueStack("fake");
  const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
    cwd,
    stack,
    config: { "itemsfixture:apiUrl": "http://127.0.0.1:9", spec: JSON.stringify([{ name: "vol", volume: true }]) },
    ...extra,
  });
  after(() => freshStack(cwd, stack));

  it("a package without a plugin fails like the engine and names the --fake-package way out", async () => {
    const result = await engine.up(options());
    assert.equal(result.ok, false);
    assert.match(errorsOf(result), /no resource plugin 'pulumi-resource-openstack' found.*--fake-package openstack/s);
  });

  it(
    "--fake-package serves its resources with the echo provider (id generated, outputs = inputs), " +
      "traced on request",
    async () => {
      const events: TraceEvent[] = [];
      const result = await engine.up(options({ fakePackages: ["openstack"], trace: (event) => events.push(event) }));
      assertOk(result);
      // The trace: program start, the volume's registration around its provider calls, program exit.
      const volumeUrn = result.steps.find((s) => s.name === "vol")?.urn;
      const trail = events
        .filter((e) => e.urn === undefined || e.urn === volumeUrn)
        .map((e) => `${e.kind}${e.method ? ` ${e.method}` : ""}`);
      assert.deepEqual(trail, [
        "program-started",
        "register",
        "provider-call check",
        "provider-answered check",
        "provider-call create",
        "provider-answered create",
        "registered",
        "program-exited",
      ]);
      assert.ok(
        events.every((e, i) => i === 0 || e.atMs >= (events[i - 1] as TraceEvent).atMs),
        "timestamps never go back",
      );
      assert.ok((events.at(-1)?.atMs ?? Infinity) <= result.durationMs);
      const volume = engine
        .readState(cwd, stack)
        .deployment.resources.find((r) => r.type === "openstack:blockstorage/volume:Volume");
      assert.match(volume?.id ?? "", /^vol-[0-9a-f]{8}$/);
      assert.deepEqual(volume?.outputs, { name: "vol", size: 1 });
      assert.match(volume?.provider ?? "", /::pulumi:providers:openstack::default::/);
      assertOk(await engine.destroy({ cwd, stack, fakePackages: ["openstack"] }));
    },
  );
});

describe("engine stand-in: a plain JavaScript project", function () {
  const cwd = fixtureDir("plain-js");
  const stack = uniqueStack("plainjs");
  after(() => freshStack(cwd, stack));

  it(
    "`runtime.options.typescript: false` runs the program without a TypeScript loader, " + "as the language host does",
    async () => {
      const result = await engine.up({ cwd, stack, config: { greeting: "hi" } });
      assertOk(result);
      assert.deepEqual(result.outputs, { greeting: "hi", typescriptLoader: false });
    },
  );
});
