// The typed client: one method per API operation, plus iterators and waiters; the plumbing is in core.ts.
import { z } from "zod";
import { RequestSchemaError } from "./errors";
import { paginate } from "./pagination";
import type { PathLayout, PathLayoutSetting } from "./routes";
import {
  checkpointChecks,
  checkpointDeletedSchema,
  checkpointListQuerySchema,
  describeZodError,
  planCreateSchema,
  planListQuerySchema,
  planPageSchema,
  planSchema,
  planUpdatedSchema,
  planUpdateSchema,
  restoreCreateSchema,
  restoreSchema,
  type Dialect,
} from "./schemas";
import type {
  ChainDeleted,
  Checkpoint,
  CheckpointDeleted,
  CheckpointListQuery,
  CheckpointPage,
  Plan,
  PlanCreate,
  PlanListQuery,
  PlanPage,
  PlanUpdate,
  Restore,
  RestoreCreate,
} from "./types";
import { waitForPlanGone, waitForPlanStatus } from "./waiters";
import { ApiCore } from "./core";
import type { ClientConfig } from "./client-config";

export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, type ClientConfig } from "./client-config";

function validateRequest<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { field, issues } = describeZodError(parsed.error);
    throw new RequestSchemaError(operation, field, issues);
  }
  return parsed.data;
}

export class ScheduledBackupClient {
  // A private field: `util.inspect(client)` and JSON.stringify never show the credentials the core holds.
  readonly #core: ApiCore;

  constructor(config: ClientConfig) {
    this.#core = new ApiCore(config);
  }

  /** How many Keystone authentications this client made (0 with a static token). */
  get authentications(): number {
    return this.#core.authentications;
  }

  /** The setting: "auto" unless pinned. */
  get pathLayout(): PathLayoutSetting {
    return this.#core.pathLayout;
  }

  /** The layout and dialect calls use (detecting them first with "auto"; one GET at most per endpoint). */
  serviceShape(): Promise<{ layout: PathLayout; dialect: Dialect; source: string }> {
    return this.#core.serviceShape();
  }

  /** The project calls are made for: `projectId` from the config, else the one the token is scoped to. */
  projectId(): Promise<string> {
    return this.#core.projectId();
  }

  // ---------- plans ----------

  async listPlans(q: PlanListQuery = {}): Promise<PlanPage> {
    const query = validateRequest("listPlans", planListQuerySchema, q);
    return this.#core.call("listPlans", { query, schema: planPageSchema });
  }

  /** Every plan matching the filters, fetched page by page (`pageSize` items per request, at most 1000). */
  plans(f: { name?: string; volumeName?: string; pageSize?: number } = {}): AsyncGenerator<Plan, void, undefined> {
    return paginate<Plan>(
      async (limit, marker) => {
        const page = await this.listPlans({ name: f.name, volume_name: f.volumeName, limit, marker });
        return { items: page.plans, total: page.total };
      },
      f.pageSize,
      "plans",
    );
  }

  async createPlan(body: PlanCreate): Promise<Plan> {
    const valid = validateRequest("createPlan", planCreateSchema, body);
    return this.#core.write("createPlan", undefined, valid, planSchema);
  }

  async getPlan(id: string): Promise<Plan> {
    return this.#core.call("getPlan", { id, schema: planSchema });
  }

  /** Sends only the given fields; answers the plan's updatable fields. */
  async updatePlan(id: string, patch: PlanUpdate): Promise<Partial<Plan>> {
    const valid = validateRequest("updatePlan", planUpdateSchema, patch);
    return this.#core.write("updatePlan", id, valid, planUpdatedSchema);
  }

  /** Deletion is asynchronous: the plan stays readable for a moment (see `waitForPlanGone`). */
  async deletePlan(id: string): Promise<void> {
    await this.#core.call<undefined>("deletePlan", { id });
  }

  // ---------- checkpoints ----------

  async listCheckpoints(q: CheckpointListQuery = {}): Promise<CheckpointPage> {
    const query = validateRequest("listCheckpoints", checkpointListQuerySchema, q);
    return this.#core.call("listCheckpoints", { query, check: checkpointChecks.page });
  }

  checkpoints(
    f: { planName?: string; volumeName?: string; pageSize?: number } = {},
  ): AsyncGenerator<Checkpoint, void, undefined> {
    return paginate<Checkpoint>(
      async (limit, marker) => {
        const page = await this.listCheckpoints({ plan_name: f.planName, volume_name: f.volumeName, limit, marker });
        return { items: page.checkpoints, total: page.total };
      },
      f.pageSize,
      "checkpoints",
    );
  }

  async getCheckpoint(id: string): Promise<Checkpoint> {
    return this.#core.call("getCheckpoint", { id, check: checkpointChecks.checkpoint });
  }

  async deleteCheckpoint(id: string): Promise<CheckpointDeleted> {
    return this.#core.call("deleteCheckpoint", { id, schema: checkpointDeletedSchema });
  }

  async deleteCheckpointsByChain(chainId: string): Promise<ChainDeleted> {
    if (typeof chainId !== "string" || chainId === "") {
      throw new RequestSchemaError("deleteCheckpointsByChain", "chain_id", ["must be a non-empty string"]);
    }
    return this.#core.call("deleteCheckpointsByChain", {
      query: { chain_id: chainId },
      check: checkpointChecks.chainDeleted,
    });
  }

  // ---------- restores ----------

  async createRestore(body: RestoreCreate): Promise<Restore> {
    const valid = validateRequest("createRestore", restoreCreateSchema, body);
    return this.#core.call("createRestore", { body: () => valid, schema: restoreSchema });
  }

  // ---------- waiters ----------

  waitForPlanStatus(id: string, status: "started" | "suspended", opts: { timeoutMs: number }): Promise<Plan> {
    return waitForPlanStatus(this.#core.waitContext(), id, status, opts);
  }

  waitForPlanGone(id: string, opts: { timeoutMs: number }): Promise<void> {
    return waitForPlanGone(this.#core.waitContext(), id, opts);
  }
}
