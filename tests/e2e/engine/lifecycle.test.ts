import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as engine from "../../engine/index.js";
import { SIG_KEY, UNKNOWN, isSecret } from "../../engine/properties.js";
import type { ResourceRecord, RunOptions } from "../../engine/types.js";
import { useItemsStack } from "./items-api.js";
import { assertOk, digest, stepOf, waitForNoChildren } from "../fixture.js";

const TOKEN = "tok-lifecycle-7c1e";
const SECRET = "hunter2-never-in-state";

describe("engine stand-in: lifecycle of dynamic resources", function () {
  const items = useItemsStack("life", { token: TOKEN, delayMs: 40, createDelayMs: 400 });
  const { cwd, stack } = items;
  const options = (spec: unknown[], extra: Partial<RunOptions> = {}): RunOptions =>
    items.options(spec, { secrets: { "itemsfixture:apiToken": TOKEN, secretValue: SECRET }, ...extra });
  const resources = (): ResourceRecord[] => engine.readState(cwd, stack).deployment.resources;
  const byName = (name: string): ResourceRecord => {
    const found = resources().find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(found, `no ${name} in state`);
    return found;
  };
  const idOf = (name: string): string => byName(name).id ?? assert.fail(`${name} has no id`);
  const writeIndex = (method: string, id: string | undefined, from: number): number =>
    items.api.calls.findIndex(
      (c, i) =>
        i >= from && c.method === method && (id === undefined ? c.path === "/items" : c.path === `/items/${id}`),
    );

  // a <- b (b.value = a.etag, b under a component); c plain; d replaces on `value` changes.
  const base = [
    { name: "a", secret: true },
    { name: "b", valueFrom: "a", parent: "grp" },
    { name: "c", value: "c1", additionalSecretOutputs: ["etag"] },
    { name: "d", value: "d1", replaceOnChanges: ["value"] },
  ];

  it("preview plans the creates, leaves provider outputs unknown and writes nothing", async () => {
    const result = await engine.preview(options(base));
    assertOk(result);
    assert.deepEqual(digest(result), [
      "create:a:ok",
      "create:b:ok",
      "create:c:ok",
      "create:d:ok",
      "create:grp:ok",
      `create:itemsfixture-${stack}:ok`,
    ]);
    assert.equal(result.outputs.etags, UNKNOWN);
    assert.equal(items.api.calls.length, 0, "preview must not call the API");
    assert.equal(existsSync(result.statePath), false, "preview must not write state");
  });

  it(
    "up creates everything in parallel, " + "keeps secrets out of the state file and records the default provider",
    async () => {
      const result = await engine.up(options(base));
      assertOk(result);
      assert.equal(items.api.items.size, 4);
      assert.ok(
        items.api.maxConcurrent >= 2,
        `independent creates should overlap (max concurrent ${items.api.maxConcurrent})`,
      );
      assert.ok(
        items.api.calls.every((c) => c.authorization === `Bearer ${TOKEN}`),
        "the secret token reaches configure() unwrapped",
      );
      assert.ok(
        [...items.api.items.values()].some((item) => item.secretValue === SECRET),
        "the provider gets the secret in plaintext",
      );

      const text = readFileSync(result.statePath, "utf8");
      assert.ok(!text.includes(SECRET), "secret input leaked into the state file");
      assert.ok(!text.includes(TOKEN), "secret config leaked into the state file");
      const a = byName("a");
      for (const value of [a.inputs?.secretValue, a.outputs?.secretValue]) {
        assert.ok(
          typeof value === "object" && value !== null && SIG_KEY in value && "ciphertext" in value,
          "secret kept with its signature",
        );
      }
      assert.ok(isSecret(result.outputs.secretConfig), "a stack output from secret config stays secret");
      const cEtag = byName("c").outputs?.etag;
      assert.ok(
        typeof cEtag === "object" && cEtag !== null && "ciphertext" in cEtag,
        "additionalSecretOutputs marks a derived output",
      );
      assert.equal(typeof byName("d").outputs?.etag, "string", "other outputs stay plain");

      const providerUrn = `urn:pulumi:${stack}::itemsfixture::pulumi:providers:pulumi-nodejs::default`;
      const provider = byName("default");
      assert.equal(provider.urn, providerUrn);
      assert.equal(a.provider, `${providerUrn}::${provider.id}`);
      const b = byName("b");
      assert.equal(
        b.urn,
        `urn:pulumi:${stack}::itemsfixture::itemsfixture:index:Group$pulumi-nodejs:dynamic/itemsfixture:Item::b`,
      );
      assert.equal(b.parent, byName("grp").urn);
      assert.deepEqual(b.propertyDependencies?.value, [a.urn]);
      assert.ok(b.dependencies?.includes(a.urn));
      assert.equal(items.api.items.get(b.id ?? "")?.value, a.outputs?.etag, "b follows a's output");
    },
  );

  it("up without changes is all `same` and makes no API writes", async () => {
    const writes = items.api.writes().length;
    const result = await engine.up(options(base));
    assertOk(result);
    assert.ok(
      result.steps.every((s) => s.op === "same"),
      digest(result).join(", "),
    );
    assert.equal(items.api.writes().length, writes);
  });

  it("preview of a change plans updates and hands the dependent input to the provider as unknown", async () => {
    const writes = items.api.writes().length;
    const result = await engine.preview(options([{ ...base[0], value: "a2" }, ...base.slice(1)]));
    assertOk(result);
    assert.deepEqual(stepOf(result, "a").diffs, ["value"]);
    assert.equal(stepOf(result, "b").op, "update", "b's value depends on a's unknown etag");
    assert.equal(stepOf(result, "c").op, "same");
    assert.equal(items.api.writes().length, writes);
  });

  it("up updates in place and the dependent follows the new output", async () => {
    const result = await engine.up(options([{ ...base[0], value: "a2" }, ...base.slice(1)]));
    assertOk(result);
    assert.equal(stepOf(result, "a").op, "update");
    assert.equal(stepOf(result, "b").op, "update");
    assert.equal(items.api.items.get(idOf("b"))?.value, byName("a").outputs?.etag);
  });

  it(
    "replaces: create-before-delete by default, delete-before-replace from the provider or the option, " +
      "replaceOnChanges",
    async () => {
      const [oldA, oldC, oldD] = [idOf("a"), idOf("c"), idOf("d")];
      const from = items.api.calls.length;
      const result = await engine.up(
        options([
          { ...base[0], value: "a2", kind: "special" },
          base[1],
          { ...base[2], kind: "special", providerDeleteBeforeReplace: true },
          { ...base[3], value: "d2", deleteBeforeReplace: true },
        ]),
      );
      assertOk(result);
      const a = stepOf(result, "a");
      assert.deepEqual([a.op, a.diffs?.[0], a.deleteBeforeReplace], ["replace", "kind", false]);
      assert.deepEqual([stepOf(result, "c").op, stepOf(result, "c").deleteBeforeReplace], ["replace", true]);
      assert.deepEqual(
        [stepOf(result, "d").op, stepOf(result, "d").diffs],
        ["replace", ["value"]],
        "replaceOnChanges on an engine-computed diff",
      );
      assert.notEqual(idOf("a"), oldA);
      // create-before-delete: the old a goes only after its replacement (and b's update) exist.
      assert.ok(
        writeIndex("DELETE", oldA, from) >
          items.api.calls.findIndex((c, i) => i >= from && c.method === "PUT" && c.path === `/items/${idOf("b")}`),
      );
      assert.ok(!items.api.items.has(oldA) && !items.api.items.has(oldC) && !items.api.items.has(oldD));
      const postOf = (value: string): number =>
        items.api.calls.findIndex(
          (c, i) => i >= from && c.method === "POST" && (c.body as { value?: string }).value === value,
        );
      assert.ok(writeIndex("DELETE", oldC, from) < postOf("c1"), "provider asked for delete-before-replace");
      assert.ok(writeIndex("DELETE", oldD, from) < postOf("d2"), "the deleteBeforeReplace option");
      assert.ok(!resources().some((r) => r.delete), "no pending deletes left behind");
    },
  );

  it("refresh takes drift and returned inputs, and drops what no longer exists", async () => {
    const cId = idOf("c");
    const dId = idOf("d");
    const c = items.api.items.get(cId);
    assert.ok(c);
    items.api.items.set(cId, { ...c, value: "drifted" });
    items.api.items.delete(dId);
    const result = await engine.refresh({ cwd, stack });
    assertOk(result);
    assert.ok(stepOf(result, "c", "refresh").diffs?.includes("value"));
    assert.equal(stepOf(result, "d").op, "delete");
    assert.equal(byName("c").inputs?.value, "drifted", "read() inputs replace the stored inputs");
    assert.equal(
      resources().some((r) => r.urn.endsWith("::d")),
      false,
    );
  });

  it("the next up converges: drift is updated away and the vanished resource is created again", async () => {
    const spec = [
      { ...base[0], value: "a2", kind: "special" },
      base[1],
      { ...base[2], kind: "special" },
      { ...base[3], value: "d2" },
    ];
    const result = await engine.up(options(spec));
    assertOk(result);
    assert.deepEqual([stepOf(result, "c").op, stepOf(result, "c").diffs], ["update", ["value"]]);
    assert.equal(stepOf(result, "d").op, "create");
    assert.equal(items.api.items.get(idOf("c"))?.value, "c1");
  });

  it("a resource dropped from the program is deleted, dependents before their dependencies", async () => {
    const [aId, bId] = [idOf("a"), idOf("b")];
    const from = items.api.calls.length;
    const result = await engine.up(
      options([
        { ...base[2], kind: "special" },
        { ...base[3], value: "d2" },
      ]),
    );
    assertOk(result);
    assert.equal(stepOf(result, "a").op, "delete");
    assert.equal(stepOf(result, "b").op, "delete");
    assert.ok(writeIndex("DELETE", bId, from) < writeIndex("DELETE", aId, from), "b depends on a");
    assert.deepEqual([...items.api.items.values()].map((i) => i.name).sort(), ["c", "d"]);
  });

  it(
    "destroy deletes everything with the provider and config stored in state, " + "one step at a time when asked",
    async () => {
      items.api.maxConcurrent = 0;
      const result = await engine.destroy({ cwd, stack, parallel: 1 });
      assertOk(result);
      assert.deepEqual(digest(result), ["delete:c:ok", "delete:d:ok", `delete:itemsfixture-${stack}:ok`]);
      assert.equal(items.api.items.size, 0);
      assert.equal(items.api.maxConcurrent, 1);
      assert.deepEqual(resources(), []);
      await waitForNoChildren();
    },
  );
});
