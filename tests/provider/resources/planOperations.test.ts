// The I/O decisions of BackupPlan against a scripted in-memory API: which requests each operation makes,
// how an interrupted POST is settled without duplicates, when the id survives a failure (partial state).
import assert from "node:assert/strict";
import {
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  ValidationError,
  WaitTimeoutError,
} from "../../../provider/api/errors";
import type { Plan, PlanCreate, PlanPage, PlanUpdate } from "../../../provider/api/types";
import { ProviderError, ResourceInitError } from "../../../provider/resources/errors";
import {
  createBackupPlan,
  deleteBackupPlan,
  readBackupPlan,
  updateBackupPlan,
} from "../../../provider/resources/planOperations";
import type { PlanApi } from "../../../provider/resources/planOperations";
import type { BackupPlanInputs, BackupPlanOutputs } from "../../../provider/types";

const NOW = new Date("2026-03-02T00:00:00Z");
const VOLUME = { id: "7a1e0c52-3b4d-4f6a-8c9e-0d1f2a3b4c01", name: "db-data", type: "OS::Cinder::Volume" };

function inputs(overrides: Partial<BackupPlanInputs> = {}): BackupPlanInputs {
  return {
    name: "db-nightly",
    description: "",
    backupMode: "full",
    maxBackups: 7,
    scheduleType: "crontab",
    schedulePattern: "0 2 * * *",
    resources: [VOLUME],
    status: "started",
    ...overrides,
  };
}

type Fault = "reset-after-commit" | "reset-before-commit" | "server-500-before-commit" | "timeout-late-save";

/** A tiny plan store that records every call and fails POSTs as scripted. */
class ScriptedApi implements PlanApi {
  readonly plans_ = new Map<string, Plan>();
  readonly calls: string[] = [];
  createFaults: Fault[] = [];
  /** Status a new plan answers with (a held plan answers `suspended`). */
  initialStatus = "started";
  waitFails = false;
  private seq = 0;

  seed(body: PlanCreate, status = "started"): Plan {
    const plan: Plan = { ...body, id: `plan-${++this.seq}`, status, created_at: "2026-03-01T00:00:00Z" };
    this.plans_.set(plan.id, plan);
    return plan;
  }

  /** Plans saved this many lookups late (a save landing after the client gave up). */
  lateSaves: { body: PlanCreate; afterLookups: number }[] = [];

  async listPlans(q?: { name?: string }): Promise<PlanPage> {
    this.calls.push(`LIST name=${q?.name ?? ""}`);
    for (const late of this.lateSaves) if (--late.afterLookups === 0) this.seed(late.body, this.initialStatus);
    const plans = [...this.plans_.values()]
      .filter((p) => q?.name === undefined || p.name === q.name)
      .map((p) => ({ ...p }));
    return { plans, total: plans.length };
  }

  async createPlan(body: PlanCreate): Promise<Plan> {
    this.calls.push("POST");
    const fault = this.createFaults.shift();
    const path = "/p/plans/";
    if (fault === "reset-before-commit")
      throw new NetworkError({ operation: "createPlan", method: "POST", path, phase: "sent", detail: "ECONNRESET" });
    if (fault === "server-500-before-commit")
      throw new ServerError({ operation: "createPlan", method: "POST", path, status: 500 });
    if (fault === "timeout-late-save") {
      this.lateSaves.push({ body, afterLookups: 3 });
      throw new TimeoutError({
        operation: "createPlan",
        method: "POST",
        path,
        phase: "sent",
        timeoutMs: 1000,
        detail: "no answer",
      });
    }
    const plan = this.seed(body, this.initialStatus);
    if (fault === "reset-after-commit")
      throw new NetworkError({ operation: "createPlan", method: "POST", path, phase: "sent", detail: "ECONNRESET" });
    return { ...plan };
  }

  async getPlan(id: string): Promise<Plan> {
    this.calls.push(`GET ${id}`);
    const plan = this.plans_.get(id);
    if (plan === undefined)
      throw new NotFoundError({ operation: "getPlan", method: "GET", path: `/p/plans/${id}`, status: 404 });
    return { ...plan };
  }

  async updatePlan(id: string, patch: PlanUpdate): Promise<Partial<Plan>> {
    this.calls.push(`PATCH ${id} ${Object.keys(patch).sort().join(",")}`);
    const plan = this.plans_.get(id);
    if (plan === undefined)
      throw new NotFoundError({ operation: "updatePlan", method: "PATCH", path: `/p/plans/${id}`, status: 404 });
    Object.assign(plan, patch);
    const { id: _id, backup_mode: _mode, created_at: _created, ...rest } = plan;
    return rest;
  }

  async deletePlan(id: string): Promise<void> {
    this.calls.push(`DELETE ${id}`);
    if (!this.plans_.delete(id))
      throw new NotFoundError({ operation: "deletePlan", method: "DELETE", path: `/p/plans/${id}`, status: 404 });
  }

  async waitForPlanStatus(id: string, status: "started" | "suspended", _opts: { timeoutMs: number }): Promise<Plan> {
    this.calls.push(`WAIT ${id} ${status}`);
    const plan = this.plans_.get(id);
    if (plan === undefined)
      throw new NotFoundError({ operation: "getPlan", method: "GET", path: `/p/plans/${id}`, status: 404 });
    if (this.waitFails) {
      throw new WaitTimeoutError({
        operation: "waitForPlanStatus",
        method: "GET",
        path: `/p/plans/${id}`,
        lastStatus: plan.status,
        waitedMs: 1000,
        targetStatus: status,
      });
    }
    plan.status = status;
    return { ...plan };
  }

  async waitForPlanGone(id: string, _opts: { timeoutMs: number }): Promise<void> {
    this.calls.push(`WAIT-GONE ${id}`);
  }
}

// A short settle window: these tests script when a late save lands by lookup count, not by time.
const deps = (api: ScriptedApi) => ({ api, now: () => NOW, createSettleMs: 600 });

describe("BackupPlan operations", () => {
  describe("create", () => {
    it(
      "looks the name up once, " + "POSTs once and skips the wait when the answer already has the desired status",
      async () => {
        const api = new ScriptedApi();
        const { id, outs } = await createBackupPlan(deps(api), inputs());
        assert.deepEqual(api.calls, ["LIST name=db-nightly", "POST"]);
        assert.equal(outs.status, "started");
        assert.equal(outs.maxIntervalHours, 24);
        assert.deepEqual(outs.nextRunTimes.slice(0, 2), ["2026-03-02T02:00:00.000Z", "2026-03-03T02:00:00.000Z"]);
        assert.ok(api.plans_.has(id));
      },
    );

    it("waits for activation when the new plan is still held", async () => {
      const api = new ScriptedApi();
      api.initialStatus = "suspended";
      const { id } = await createBackupPlan(deps(api), inputs());
      assert.deepEqual(api.calls, ["LIST name=db-nightly", "POST", `WAIT ${id} started`]);
    });

    it("suspends a plan declared `suspended` right after creating it", async () => {
      const api = new ScriptedApi();
      const { id, outs } = await createBackupPlan(deps(api), inputs({ status: "suspended" }));
      assert.deepEqual(api.calls, ["LIST name=db-nightly", "POST", `PATCH ${id} status`]);
      assert.equal(outs.status, "suspended");
    });

    it(
      "a plan of that name that exists before the POST is never adopted: " + "fails with its id and the ways out",
      async () => {
        const api = new ScriptedApi();
        const other = api.seed(toBody(inputs()));
        await assert.rejects(createBackupPlan(deps(api), inputs()), (err: unknown) => {
          assert.ok(err instanceof ProviderError);
          assert.match(
            err.message,
            new RegExp(`already exists.*${other.id}.*adoptExistingId: "${other.id}".*another name`, "s"),
          );
          return true;
        });
        assert.deepEqual(api.calls, ["LIST name=db-nightly"]);
        assert.equal(api.plans_.size, 1);
      },
    );

    it("after a reset that committed, adopts the plan it finds by name instead of creating a duplicate", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["reset-after-commit"];
      const { id } = await createBackupPlan(deps(api), inputs());
      assert.deepEqual(api.calls, ["LIST name=db-nightly", "POST", "LIST name=db-nightly"]);
      assert.equal(api.plans_.size, 1);
      assert.ok(api.plans_.has(id));
    });

    it("after a timeout, keeps looking until the late save lands, and adopts it", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["timeout-late-save"];
      const { id } = await createBackupPlan(deps(api), inputs());
      assert.deepEqual(api.calls, [
        "LIST name=db-nightly",
        "POST",
        "LIST name=db-nightly",
        "LIST name=db-nightly",
        "LIST name=db-nightly",
      ]);
      assert.equal(api.plans_.size, 1);
      assert.ok(api.plans_.has(id));
    });

    it("after an ambiguous failure that committed nothing, POSTs once more only after the settle window", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["server-500-before-commit"];
      const started = Date.now();
      await createBackupPlan(deps(api), inputs());
      assert.ok(Date.now() - started >= 600, "the window was waited out");
      assert.equal(api.calls.filter((c) => c === "POST").length, 2);
      assert.deepEqual(api.calls.slice(-2), ["POST", "LIST name=db-nightly"], "a last lookup for a late twin");
      assert.equal(api.plans_.size, 1);
    });

    it("when the first save lands after the second POST, deletes the extra copy: never two", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["server-500-before-commit"];
      // The first POST's save lands at the 6th lookup: after the window, after the second POST.
      const original = api.createPlan.bind(api);
      let posts = 0;
      api.createPlan = async (body) => {
        posts += 1;
        if (posts === 1) api.lateSaves.push({ body, afterLookups: 99 });
        const plan = await original(body);
        for (const late of api.lateSaves) late.afterLookups = 1;
        return plan;
      };
      const { id } = await createBackupPlan(deps(api), inputs());
      assert.equal(api.plans_.size, 1);
      assert.ok(api.plans_.has(id));
      assert.equal(api.calls.filter((c) => c.startsWith("DELETE")).length, 1);
    });

    it("gives up after the second ambiguous POST, saying the plan may exist and what to do", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["reset-before-commit", "reset-before-commit"];
      await assert.rejects(createBackupPlan(deps(api), inputs()), (err: unknown) => {
        assert.ok(err instanceof ProviderError);
        assert.match(err.message, /ECONNRESET.*may exist anyway.*adoptExistingId/s);
        return true;
      });
      assert.equal(api.calls.filter((c) => c === "POST").length, 2);
      assert.equal(api.plans_.size, 0);
    });

    it("an ambiguous create whose lookups keep failing says the plan may exist", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["reset-after-commit"];
      let lookups = 0;
      api.listPlans = async () => {
        api.calls.push("LIST");
        if (++lookups === 1) return { plans: [], total: 0 };
        throw new ServerError({ operation: "listPlans", method: "GET", path: "/p/plans/", status: 500 });
      };
      await assert.rejects(createBackupPlan(deps(api), inputs({ timeouts: { create: 1 } })), (err: unknown) => {
        assert.ok(err instanceof ProviderError);
        assert.match(
          err.message,
          /ambiguous.*looking it up failed.*HTTP 500.*may exist anyway.*pulumi up.*adoptExistingId/s,
        );
        return true;
      });
      assert.equal(api.calls.filter((c) => c === "POST").length, 1, "never re-sent without proof");
    });

    it("refuses to guess when a plan of that name appears but differs, listing it", async () => {
      const api = new ScriptedApi();
      api.createFaults = ["reset-before-commit"];
      api.lateSaves.push({ body: { ...toBody(inputs()), max_backups: 30 }, afterLookups: 2 });
      await assert.rejects(createBackupPlan(deps(api), inputs()), (err: unknown) => {
        assert.ok(err instanceof ProviderError);
        assert.match(err.message, /do not match this resource: plan-1 \(backupMode full, maxBackups 30/);
        assert.match(err.message, /adoptExistingId/);
        return true;
      });
    });

    it("does not look anything up after a clean rejection (422)", async () => {
      const api = new ScriptedApi();
      api.createPlan = async () => {
        api.calls.push("POST");
        throw new ValidationError({
          operation: "createPlan",
          method: "POST",
          path: "/p/plans/",
          status: 422,
          problems: [],
        });
      };
      await assert.rejects(createBackupPlan(deps(api), inputs()), ValidationError);
      assert.deepEqual(api.calls, ["LIST name=db-nightly", "POST"]);
    });

    it("keeps the id when the plan exists but the wait fails (partial state)", async () => {
      const api = new ScriptedApi();
      api.initialStatus = "suspended";
      api.waitFails = true;
      await assert.rejects(createBackupPlan(deps(api), inputs({ timeouts: { create: 30 } })), (err: unknown) => {
        assert.ok(err instanceof ResourceInitError);
        assert.ok(api.plans_.has(err.id));
        assert.equal(err.properties["name"], "db-nightly");
        assert.equal(err.properties["status"], "suspended");
        assert.match(err.message, /did not become started.*timeouts\.create \(now 30 s\)/s);
        assert.deepEqual(err.reasons, [err.message]);
        return true;
      });
    });
  });

  describe("adoption (adoptExistingId)", () => {
    it("reads the plan and PATCHes only what differs; no POST", async () => {
      const api = new ScriptedApi();
      const existing = api.seed({ ...toBody(inputs()), max_backups: 3, description: "old" });
      const { id, outs } = await createBackupPlan(deps(api), inputs({ adoptExistingId: existing.id }));
      assert.equal(id, existing.id);
      assert.deepEqual(api.calls, [`GET ${existing.id}`, `PATCH ${existing.id} description,max_backups`]);
      assert.equal(outs.maxBackups, 7);
      assert.equal(outs.adoptExistingId, existing.id);
    });

    it("adopts an identical plan without writing anything", async () => {
      const api = new ScriptedApi();
      const existing = api.seed(toBody(inputs()));
      await createBackupPlan(deps(api), inputs({ adoptExistingId: existing.id }));
      assert.deepEqual(api.calls, [`GET ${existing.id}`]);
    });

    it("refuses a plan with another backupMode, saying what to do", async () => {
      const api = new ScriptedApi();
      const existing = api.seed({ ...toBody(inputs()), backup_mode: "frequency", max_backups: 4 });
      await assert.rejects(
        createBackupPlan(deps(api), inputs({ adoptExistingId: existing.id })),
        /backupMode `frequency`.*declares `full`.*Set backupMode to `frequency`/,
      );
      assert.deepEqual(api.calls, [`GET ${existing.id}`]);
    });

    it("says clearly when there is no such plan", async () => {
      await assert.rejects(
        createBackupPlan(deps(new ScriptedApi()), inputs({ adoptExistingId: "nope" })),
        /no plan with id nope/,
      );
    });
  });

  describe("read, update, delete", () => {
    it("read of a plan that is gone answers an empty id (the engine drops it)", async () => {
      assert.deepEqual(await readBackupPlan(deps(new ScriptedApi()), "gone", {}), { id: "" });
    });

    it("read returns the live plan as outputs and as inputs, keeping the resource's own settings", async () => {
      const api = new ScriptedApi();
      const plan = api.seed(toBody(inputs()));
      const result = await readBackupPlan(deps(api), plan.id, { projectId: "p1", timeouts: { delete: 5 } });
      assert.equal(result.id, plan.id);
      assert.equal(result.props?.projectId, "p1");
      assert.deepEqual(result.inputs, { ...inputs(), projectId: "p1", timeouts: { delete: 5 } });
    });

    it("update PATCHes only the changed fields", async () => {
      const api = new ScriptedApi();
      const plan = api.seed(toBody(inputs()));
      const olds = (await readBackupPlan(deps(api), plan.id, {})).props as BackupPlanOutputs;
      api.calls.length = 0;
      const { outs } = await updateBackupPlan(
        deps(api),
        plan.id,
        olds,
        inputs({ schedulePattern: "0 3 * * *", status: "suspended" }),
      );
      assert.deepEqual(api.calls, [`PATCH ${plan.id} schedule_pattern,status`]);
      assert.equal(outs.schedulePattern, "0 3 * * *");
      assert.equal(outs.createdAt, plan.created_at);
    });

    it("update of a plan deleted outside Pulumi says how to recover", async () => {
      const api = new ScriptedApi();
      const plan = api.seed(toBody(inputs()));
      const olds = (await readBackupPlan(deps(api), plan.id, {})).props as BackupPlanOutputs;
      api.plans_.clear();
      await assert.rejects(updateBackupPlan(deps(api), plan.id, olds, inputs({ maxBackups: 9 })), /pulumi refresh/);
    });

    it("update with only resource settings changed sends nothing", async () => {
      const api = new ScriptedApi();
      const plan = api.seed(toBody(inputs()));
      const olds = (await readBackupPlan(deps(api), plan.id, {})).props as BackupPlanOutputs;
      api.calls.length = 0;
      const { outs } = await updateBackupPlan(deps(api), plan.id, olds, inputs({ timeouts: { update: 5 } }));
      assert.deepEqual(api.calls, []);
      assert.deepEqual(outs.timeouts, { update: 5 });
    });

    it("delete waits until the plan is gone; a plan already gone is fine", async () => {
      const api = new ScriptedApi();
      const plan = api.seed(toBody(inputs()));
      await deleteBackupPlan(deps(api), plan.id, {});
      assert.deepEqual(api.calls, [`DELETE ${plan.id}`, `WAIT-GONE ${plan.id}`]);
      api.calls.length = 0;
      await deleteBackupPlan(deps(api), plan.id, {});
      assert.deepEqual(api.calls, [`DELETE ${plan.id}`]);
    });
  });
});

function toBody(i: BackupPlanInputs): PlanCreate {
  return {
    name: i.name,
    description: i.description,
    backup_mode: i.backupMode,
    max_backups: i.maxBackups,
    schedule_type: i.scheduleType,
    schedule_pattern: i.schedulePattern,
    resources: i.resources.map((r) => ({ ...r })),
  };
}
