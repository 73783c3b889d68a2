// Step rules of the deployment core against an in-memory provider: no processes, so each engine
// rule is pinned in milliseconds, including the ones the fixture provider cannot provoke.
import assert from "node:assert/strict";
import type { AnalyzedResource, PolicyAnalyzer, PolicyViolation } from "../analyzers.js";
import { Deployment, type Goal, type ProviderSource } from "../deployment.js";
import { makeSecret, UNKNOWN, type PropertyMap } from "../properties.js";
import type { CheckResult, DiffResult, ReadResult, ResourceProvider, ResourceRef } from "../providers.js";
import type { ResourceRecord } from "../types.js";
import { defaultProviderUrn, makeUrn, stackUrn } from "../urn.js";

const STACK = "unit";
const PROJECT = "proj";
const ROOT = stackUrn(STACK, PROJECT);
const TYPE = "pulumi-nodejs:dynamic/proj:Thing";

/** Records every call; `diff` answers what the test scripted for the resource name. */
class ScriptedProvider implements ResourceProvider {
  readonly calls: string[] = [];
  diffs = new Map<string, Partial<DiffResult>>();
  /** Names whose create fails outright (no resource created). */
  failCreates = new Set<string>();
  private next = 1;
  async configure(): Promise<void> {
    this.calls.push("configure");
  }
  async check(ref: ResourceRef, _olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    this.calls.push(`check ${ref.name}`);
    return { inputs: news, failures: [] };
  }
  async diff(ref: ResourceRef): Promise<DiffResult> {
    this.calls.push(`diff ${ref.name}`);
    return { changes: "unknown", replaces: [], diffs: [], deleteBeforeReplace: false, ...this.diffs.get(ref.name) };
  }
  async create(ref: ResourceRef, news: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    this.calls.push(`create ${ref.name}`);
    if (this.failCreates.has(ref.name)) throw new Error(`create of ${ref.name} refused`);
    return { id: `id-${this.next++}`, properties: { ...news, derived: `d-${ref.name}` } };
  }
  async read(
    ref: ResourceRef,
    id: string,
    _inputs: PropertyMap | undefined,
    state: PropertyMap | undefined,
  ): Promise<ReadResult> {
    this.calls.push(`read ${ref.name}`);
    return { id, properties: state ?? {} };
  }
  async update(ref: ResourceRef, _id: string, _olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    this.calls.push(`update ${ref.name}`);
    return { ...news, derived: `d-${ref.name}` };
  }
  async delete(ref: ResourceRef, id: string): Promise<void> {
    this.calls.push(`delete ${ref.name} ${id}`);
  }
  close(): void {}
}

function goal(name: string, inputs: PropertyMap, extra: Partial<Goal> = {}): Goal {
  return {
    type: TYPE,
    name,
    parent: ROOT,
    custom: true,
    inputs,
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    additionalSecretOutputs: [],
    replaceOnChanges: [],
    importId: "",
    deletedWith: "",
    providerRef: "",
    aliases: [],
    ...extra,
  };
}

const urnOf = (name: string): string => makeUrn(STACK, PROJECT, ROOT, TYPE, name);

function deployment(
  provider: ScriptedProvider,
  olds: ResourceRecord[],
  opts: { preview?: boolean; packs?: PolicyAnalyzer[] } = {},
): Deployment {
  const source: ProviderSource = { load: async () => provider };
  return new Deployment({
    stack: STACK,
    project: PROJECT,
    preview: opts.preview ?? false,
    olds,
    config: {},
    providers: source,
    policyPacks: async () => opts.packs ?? [],
    parallel: 8,
    persist: () => undefined,
  });
}

/** Runs one "program": registers the goals in order (each awaited, like dependent resources). */
async function update(
  provider: ScriptedProvider,
  olds: ResourceRecord[],
  goals: Goal[],
  opts: { preview?: boolean; packs?: PolicyAnalyzer[] } = {},
): Promise<Deployment> {
  const d = deployment(provider, olds, opts);
  for (const g of goals) await d.register(g).catch(() => undefined);
  if (!d.failed && !opts.preview) await d.finishUpdate();
  return d;
}

function ops(d: Deployment): string[] {
  return d.steps.map((s) => `${s.op} ${s.name}${s.status === "ok" ? "" : ` ${s.status}`}`);
}

describe("engine stand-in: step rules (in-memory provider)", () => {
  it(
    "replaceOnChanges applies only to keys the diff reports: an engine-computed diff, " + "not a bare `changes: true`",
    async () => {
      const provider = new ScriptedProvider();
      const first = await update(provider, [], [goal("a", { value: 1 }, { replaceOnChanges: ["value"] })]);
      provider.diffs.set("a", { changes: "some" });
      const bare = await update(provider, first.snapshot(), [goal("a", { value: 2 }, { replaceOnChanges: ["value"] })]);
      assert.deepEqual(ops(bare), ["update a"]);
      assert.deepEqual(
        bare.steps[0]?.diffs,
        ["value"],
        "a bare `changes: true` still lists the keys whose inputs changed",
      );
      provider.diffs.delete("a");
      const computed = await update(provider, bare.snapshot(), [
        goal("a", { value: 3 }, { replaceOnChanges: ["value"] }),
      ]);
      assert.deepEqual(ops(computed), ["replace a"]);
    },
  );

  it("the deleteBeforeReplace option, set to false, overrides the provider's wish", async () => {
    const provider = new ScriptedProvider();
    const first = await update(provider, [], [goal("a", { kind: "x" })]);
    provider.diffs.set("a", { changes: "some", replaces: ["kind"], deleteBeforeReplace: true });
    provider.calls.length = 0;
    const d = await update(provider, first.snapshot(), [goal("a", { kind: "y" }, { deleteBeforeReplace: false })]);
    assert.deepEqual(
      provider.calls.filter((c) => /^(create|delete)/.test(c)),
      ["create a", "delete a id-1"],
    );
    assert.equal(d.steps[0]?.deleteBeforeReplace, false);
  });

  it("protect refuses a replace only while both old and new are protected", async () => {
    const provider = new ScriptedProvider();
    const first = await update(provider, [], [goal("a", { kind: "x" }, { protect: true })]);
    provider.diffs.set("a", { changes: "some", replaces: ["kind"] });
    const refused = await update(provider, first.snapshot(), [goal("a", { kind: "y" }, { protect: true })]);
    assert.equal(refused.failed, true);
    assert.match(
      refused.diagnostics[0]?.message ?? "",
      /unable to replace resource ".*::a"\nas it is currently marked for protection/,
    );
    const unprotected = await update(provider, first.snapshot(), [goal("a", { kind: "y" }, { protect: false })]);
    assert.deepEqual(ops(unprotected), ["replace a"]);
  });

  it("deletes go dependents before their dependencies", async () => {
    const provider = new ScriptedProvider();
    const first = await update(
      provider,
      [],
      [
        goal("base", {}),
        goal("mid", {}, { dependencies: [urnOf("base")] }),
        goal("leaf", {}, { propertyDependencies: { x: [urnOf("mid")] } }),
        goal("loner", {}),
      ],
    );
    provider.calls.length = 0;
    await update(provider, first.snapshot(), []);
    const deletes = provider.calls.filter((c) => c.startsWith("delete")).map((c) => c.split(" ")[1]);
    assert.deepEqual(deletes.slice(-2), ["mid", "base"]);
    assert.ok(deletes.indexOf("leaf") < deletes.indexOf("mid"));
  });

  it("a create-before-delete replacement whose create fails leaves the old resource live and untouched", async () => {
    const provider = new ScriptedProvider();
    const first = await update(provider, [], [goal("a", { kind: "x" })]);
    const [before] = first.snapshot().filter((r) => r.urn === urnOf("a"));
    provider.diffs.set("a", { changes: "some", replaces: ["kind"] });
    provider.failCreates.add("a");
    provider.calls.length = 0;
    const failed = await update(provider, first.snapshot(), [goal("a", { kind: "y" })]);
    assert.deepEqual([ops(failed), failed.failed], [["replace a failed"], true]);
    assert.deepEqual(
      failed.snapshot().filter((r) => r.urn === urnOf("a")),
      [before],
    );
    assert.equal(
      provider.calls.some((c) => c.startsWith("delete")),
      false,
    );
    // Once the replacement exists, the old one is condemned and deleted at the end.
    provider.failCreates.clear();
    provider.calls.length = 0;
    const replaced = await update(provider, failed.snapshot(), [goal("a", { kind: "y" })]);
    assert.deepEqual(ops(replaced), ["replace a"]);
    assert.deepEqual(
      provider.calls.filter((c) => /^(create|delete)/.test(c)),
      ["create a", `delete a ${before?.id}`],
    );
    assert.deepEqual(
      replaced
        .snapshot()
        .filter((r) => r.urn === urnOf("a"))
        .map((r) => [r.id, r.delete ?? false]),
      [["id-2", false]],
    );
  });

  it(
    "a delete-before-replace whose create fails keeps the old record flagged pendingReplacement; " +
      "the next up only creates",
    async () => {
      const provider = new ScriptedProvider();
      const first = await update(provider, [], [goal("a", { kind: "x" })]);
      const [before] = first.snapshot().filter((r) => r.urn === urnOf("a"));
      provider.diffs.set("a", { changes: "some", replaces: ["kind"], deleteBeforeReplace: true });
      provider.failCreates.add("a");
      provider.calls.length = 0;
      const failed = await update(provider, first.snapshot(), [goal("a", { kind: "y" })]);
      assert.deepEqual([ops(failed), failed.failed], [["replace a failed"], true]);
      assert.deepEqual(
        provider.calls.filter((c) => /^(create|delete)/.test(c)),
        [`delete a ${before?.id}`, "create a"],
      );
      assert.deepEqual(
        failed.snapshot().filter((r) => r.urn === urnOf("a")),
        [{ ...before, pendingReplacement: true }],
      );
      // Already deleted: neither refresh nor another replacement touches the old id again.
      provider.calls.length = 0;
      const refreshed = deployment(provider, failed.snapshot());
      await refreshed.refreshAll();
      assert.deepEqual([provider.calls, refreshed.steps], [[], []]);
      provider.failCreates.clear();
      const recreated = await update(provider, failed.snapshot(), [goal("a", { kind: "y" })]);
      assert.deepEqual(ops(recreated), ["replace a"]);
      assert.deepEqual(
        provider.calls.filter((c) => /^(create|delete)/.test(c)),
        ["create a"],
      );
      assert.deepEqual(
        recreated
          .snapshot()
          .filter((r) => r.urn === urnOf("a"))
          .map((r) => [r.id, r.pendingReplacement ?? false]),
        [["id-2", false]],
      );
      // Dropped from the program while pending: the record goes, without a provider call.
      const again = await update(provider, [], [goal("b", { kind: "x" })]);
      provider.diffs.set("b", { changes: "some", replaces: ["kind"], deleteBeforeReplace: true });
      provider.failCreates.add("b");
      const pending = await update(provider, again.snapshot(), [goal("b", { kind: "y" })]);
      provider.calls.length = 0;
      const dropped = await update(provider, pending.snapshot(), []);
      assert.deepEqual([ops(dropped), provider.calls.filter((c) => c.startsWith("delete"))], [["delete b"], []]);
      assert.deepEqual(
        dropped.snapshot().filter((r) => r.urn === urnOf("b")),
        [],
      );
    },
  );

  it(
    "destroy deletes pending deletes too: protect does not hold them (they are replacements), " + "retainOnDelete does",
    async () => {
      const provider = new ScriptedProvider();
      const providerUrn = defaultProviderUrn(STACK, PROJECT, "pulumi-nodejs");
      const record = (name: string, id: string, extra: Partial<ResourceRecord> = {}): ResourceRecord => ({
        urn: urnOf(name),
        custom: true,
        id,
        type: TYPE,
        inputs: {},
        outputs: {},
        provider: `${providerUrn}::p1`,
        ...extra,
      });
      const d = deployment(provider, [
        { urn: providerUrn, custom: true, id: "p1", type: "pulumi:providers:pulumi-nodejs", inputs: {}, outputs: {} },
        record("a", "live-a"),
        record("a", "old-a", { delete: true, protect: true }),
        record("b", "live-b"),
        record("b", "old-b", { delete: true, retainOnDelete: true }),
      ]);
      await d.destroyAll();
      assert.equal(d.failed, false);
      assert.deepEqual(provider.calls.filter((c) => c.startsWith("delete")).sort(), [
        "delete a live-a",
        "delete a old-a",
        "delete b live-b",
      ]);
      assert.deepEqual(ops(d).sort(), ["delete a", "delete a", "delete b", "delete b"]);
      assert.deepEqual(d.snapshot(), []);
    },
  );

  it("preview calls neither create nor update and hands back the inputs as outputs", async () => {
    const provider = new ScriptedProvider();
    const first = await update(provider, [], [goal("a", { v: 1 })]);
    provider.calls.length = 0;
    const d = deployment(provider, first.snapshot(), { preview: true });
    const updated = await d.register(goal("a", { v: 2 }));
    const created = await d.register(goal("b", { w: UNKNOWN }));
    assert.deepEqual(provider.calls, ["check a", "diff a", "check b"]);
    assert.deepEqual([updated.outputs, created.outputs, created.id], [{ v: 2 }, { w: UNKNOWN }, ""]);
  });

  it("secrets: same-named outputs and additionalSecretOutputs come back secret", async () => {
    const provider = new ScriptedProvider();
    const d = deployment(provider, []);
    const outcome = await d.register(
      goal("a", { token: makeSecret("t"), plain: 1 }, { additionalSecretOutputs: ["derived"] }),
    );
    assert.deepEqual(outcome.outputs, { token: makeSecret("t"), plain: 1, derived: makeSecret("d-a") });
  });

  it("a duplicate URN fails the run", async () => {
    const d = deployment(new ScriptedProvider(), []);
    await d.register(goal("a", {}));
    await assert.rejects(d.register(goal("a", {})), /Duplicate resource URN '.*::a'; try giving it a unique name/);
    assert.equal(d.failed, true);
  });

  it("an alias takes the old resource over: no create, no delete", async () => {
    const provider = new ScriptedProvider();
    const first = await update(provider, [], [goal("old", { v: 1 })]);
    provider.calls.length = 0;
    const d = await update(provider, first.snapshot(), [goal("new", { v: 1 }, { aliases: [urnOf("old")] })]);
    assert.deepEqual(ops(d), ["same new"]);
    assert.deepEqual(
      d
        .snapshot()
        .filter((r) => r.custom && r.type === TYPE)
        .map((r) => [r.urn, r.id]),
      [[urnOf("new"), "id-1"]],
    );
  });

  it("a mandatory violation blocks the step during up, but only fails a preview at the end", async () => {
    const violation = (urn: string): PolicyViolation => ({
      pack: "p",
      policy: "no",
      enforcementLevel: "mandatory",
      message: "m",
      urn,
    });
    const pack: PolicyAnalyzer = {
      remediate: async () => [],
      analyze: async (r: AnalyzedResource) => (r.name === "bad" ? [violation(r.urn)] : []),
      analyzeStack: async () => [],
    };
    const provider = new ScriptedProvider();
    const up = await update(provider, [], [goal("bad", {})], { packs: [pack] });
    assert.deepEqual([ops(up), up.failed, provider.calls.includes("create bad")], [["create bad failed"], true, false]);
    const preview = await update(provider, [], [goal("bad", {})], { packs: [pack], preview: true });
    assert.deepEqual([ops(preview), preview.failed, preview.sawPolicyError], [["create bad"], false, true]);
  });
});
