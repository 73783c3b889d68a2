// `pulumi-scheduled-backup/runtime`: the stable entry point the serialized providers (provider/shim.ts) load
// by name inside the Pulumi plugin. Its shape is part of the state format of every stack that uses this
// package: old state will `require` it, so it only ever grows. Each operation takes the raw stack config
// captured by `configure` first, then the arguments the dynamic-provider host passes.
//
//   bindProvider(kind, config)          -> the provider methods, bound to the captured config (what the shim installs)
//   captureConfig(config)               -> the raw `scheduledbackup:*` values of the stack config
//   backupPlan.{check,diff,create,read,update,delete}(config, ...args)
//   restore.{check,diff,create,read,update,delete}(config, ...args)
//
// Every failure leaves here translated once: it names the resource, what failed and the fix, and carries
// no credential.
//
// Loading this module loads what `check` of a plan needs, and no HTTP client or zod: the plugin loads it
// inside its first Check. The rest loads on first use: diff and the plan's I/O operations on their first
// call, the API client (undici, zod) on the first connection, the restore operations with the first
// Restore. Not preloaded by a timer: the plugin serves every call on one event loop, so a preload only
// moves the same CPU, and measured (npm run bench -- provider) it landed before the first Check's answer
// went out.
import { UnauthorizedError } from "./api/errors";
import type { dynamic } from "@pulumi/pulumi";
import { captureConfig, connectResource, defaultPlacement, placementOf } from "./resources/connection";
import type { Connection, RawConfig } from "./resources/connection";
import { redact } from "./api/redact";
import { describeFailure, ResourceInitError } from "./resources/errors";
import type { FailureContext } from "./resources/errors";
import { checkBackupPlan } from "./resources/planCheck";
import type { CheckFailure } from "./resources/planCheck";
import { asRecord } from "./values";
import type { BackupPlanInputs, BackupPlanOutputs, Placement, RestoreInputs } from "./types";

export { captureConfig };
export type { RawConfig };

// The SDK's result types, with the fields this provider always answers made required.
type PropertyRecord = Record<string, unknown>;
export type CheckResult<I = PropertyRecord> = Required<dynamic.CheckResult<I>> & { readonly failures: CheckFailure[] };
export type DiffResult = Required<Pick<dynamic.DiffResult, "changes" | "replaces" | "deleteBeforeReplace">>;
export type CreateResult = Required<dynamic.CreateResult<PropertyRecord>>;
export type ReadResult = dynamic.ReadResult<PropertyRecord> & { readonly id: string };
export type UpdateResult = Required<dynamic.UpdateResult<PropertyRecord>>;

/**
 * The six methods of a dynamic provider, each taking the captured config first. `I` is what `check` answers:
 * the engine hands exactly those inputs to create, update and diff. Recorded state (`olds` of update, the
 * props of read and delete) is what an earlier create or read answered, possibly from an older release, and
 * is read defensively.
 */
export interface ResourceOperations<I> {
  check(config: RawConfig | undefined, olds: unknown, news: unknown): Promise<CheckResult<I>>;
  diff(config: RawConfig | undefined, id: string, olds: unknown, news: I): Promise<DiffResult>;
  create(config: RawConfig | undefined, inputs: I): Promise<CreateResult>;
  read(config: RawConfig | undefined, id: string, props: unknown): Promise<ReadResult>;
  update(config: RawConfig | undefined, id: string, olds: unknown, news: I): Promise<UpdateResult>;
  delete(config: RawConfig | undefined, id: string, props: unknown): Promise<void>;
}

/**
 * Runs `work` with a connection for the resource, translating any failure at this boundary. A refused
 * stored static token is retried once with the environment's credentials (a 401 means nothing was
 * applied). A ResourceInitError keeps its id and properties (partial state) with a scrubbed message.
 */
async function withConnection<T>(
  config: RawConfig | undefined,
  source: Readonly<Partial<Record<keyof Placement, unknown>>>,
  context: FailureContext,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  let connection: Connection | undefined;
  let storedToken = false;
  let environmentRefused = false;
  try {
    const resource = connectResource(config, placementOf(source));
    connection = resource.connection;
    storedToken = resource.storedToken;
    try {
      return await work(connection);
    } catch (err) {
      const fallback = err instanceof UnauthorizedError ? resource.fallBack() : undefined;
      if (fallback === undefined) throw err;
      connection = fallback;
      environmentRefused = true;
      return await work(fallback);
    }
  } catch (err) {
    const secrets = connection?.secrets ?? [];
    if (err instanceof ResourceInitError) {
      throw new ResourceInitError(err.id, err.properties, redact(err.message, secrets));
    }
    const projectHint = connection?.projectId;
    const described = {
      ...context,
      storedToken,
      environmentRefused,
      ...(projectHint === undefined ? {} : { projectHint }),
    };
    // No `cause`: the original error's text may hold the credentials that describeFailure redacts.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(describeFailure(described, err, secrets));
  }
}

const now = (): Date => new Date();

/** Recorded outputs, as the last create, update or read wrote them (read field by field: they may be partial). */
function recordedOutputs(recorded: Record<string, unknown>): Partial<BackupPlanOutputs> {
  return recorded;
}

/**
 * The partial state of a resource that exists but failed to initialize keeps the serialized provider. The
 * dynamic-provider host adds `__provider` to a successful answer only (sdk/nodejs/cmd/dynamic-provider
 * `resultIncludingProvider`); its error answer carries just the error's `properties`, which the engine
 * stores as the outputs that refresh and delete are served from: without `__provider` the host could not
 * load a provider for them.
 */
async function keepingProvider<T>(args: unknown, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const provider = asRecord(args)["__provider"];
    if (err instanceof ResourceInitError && typeof provider === "string") {
      throw new ResourceInitError(err.id, { ...err.properties, __provider: provider }, err.message);
    }
    throw err;
  }
}

/**
 * The resource's settings with the project and region it actually addresses filled in, so outputs record
 * where the plan lives: later reads and deletes go there even if the stack's defaults change.
 */
function withPlacement<T extends Placement>(source: T, connection: Connection): T {
  const filled: T = { ...source };
  if (filled.projectId === undefined && connection.projectId !== undefined) filled.projectId = connection.projectId;
  if (filled.region === undefined && connection.region !== undefined) filled.region = connection.region;
  return filled;
}

/**
 * The plan operations past `check` (diff, and the I/O half with the create/lookup logic); `require` caches
 * them. Loaded on first use so the plugin's first Check, which waits for this module, does not pay for them.
 */
function planOperations(): typeof import("./resources/planOperations") {
  // Loaded on first use, so the first Check does not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./resources/planOperations") as typeof import("./resources/planOperations");
}

function planDiff(): typeof import("./resources/planDiff") {
  // Loaded on first use, so the first Check does not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./resources/planDiff") as typeof import("./resources/planDiff");
}

export const backupPlan: ResourceOperations<BackupPlanInputs> = {
  async check(_config, _olds, news) {
    return checkBackupPlan(news);
  },

  async diff(config, _id, olds, news) {
    const { diffBackupPlan, toDiffResult } = planDiff();
    return toDiffResult(diffBackupPlan(asRecord(olds), news, defaultPlacement(config)));
  },

  async create(config, plan) {
    const { createBackupPlan, subject, timeoutHint } = planOperations();
    const action = plan.adoptExistingId === undefined ? "creating the plan" : `adopting plan ${plan.adoptExistingId}`;
    const context = { subject: subject(plan.name), action, timeoutHint: timeoutHint(plan.timeouts, "create") };
    return keepingProvider(
      plan,
      withConnection(config, plan, context, async (c) => {
        const deps =
          c.createSettleMs === undefined
            ? { api: c.client, now }
            : { api: c.client, now, createSettleMs: c.createSettleMs };
        const created = await createBackupPlan(deps, withPlacement(plan, c));
        return { id: created.id, outs: { ...created.outs } };
      }),
    );
  },

  async read(config, id, props) {
    const { readBackupPlan, subject } = planOperations();
    const state = asRecord(props);
    return withConnection(
      config,
      state,
      { subject: subject(state["name"], id), action: "reading the plan" },
      async (c) => {
        const result = await readBackupPlan({ api: c.client, now }, id, withPlacement(state, c));
        return result.props === undefined
          ? { id: result.id }
          : { id: result.id, props: { ...result.props }, inputs: result.inputs ?? {} };
      },
    );
  },

  async update(config, id, olds, next) {
    const { subject, timeoutHint, updateBackupPlan } = planOperations();
    const recorded = asRecord(olds);
    const context = {
      subject: subject(next.name, id),
      action: "updating the plan",
      timeoutHint: timeoutHint(next.timeouts, "update"),
    };
    // The plan lives where it was recorded: the new inputs may leave projectId/region to the defaults.
    const placement = {
      endpoint: next.endpoint,
      projectId: next.projectId ?? recorded["projectId"],
      region: next.region ?? recorded["region"],
    };
    return keepingProvider(
      next,
      withConnection(config, placement, context, async (c) => {
        const updated = await updateBackupPlan(
          { api: c.client, now },
          id,
          recordedOutputs(recorded),
          withPlacement(next, c),
        );
        return { outs: { ...updated.outs } };
      }),
    );
  },

  async delete(config, id, props) {
    const { deleteBackupPlan, subject, timeoutHint } = planOperations();
    const state = asRecord(props);
    const timeouts = state["timeouts"] as BackupPlanInputs["timeouts"];
    const context = {
      subject: subject(state["name"], id),
      action: "deleting the plan",
      timeoutHint: timeoutHint(timeouts, "delete"),
    };
    return withConnection(config, state, context, (c) => deleteBackupPlan({ api: c.client, now }, id, state));
  },
};

/** The restore operations (zod for their check); `require` caches them. */
function restoreOperations(): typeof import("./resources/restoreOperations") {
  // Loaded on first use, so programs and the first Check do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./resources/restoreOperations") as typeof import("./resources/restoreOperations");
}

export const restore: ResourceOperations<RestoreInputs> = {
  async check(_config, _olds, news) {
    return restoreOperations().checkRestore(news);
  },

  async diff(_config, _id, olds, news) {
    return restoreOperations().diffRestore(asRecord(olds), news);
  },

  async create(config, args) {
    const { createRestore, describeVolume, restoreSubject } = restoreOperations();
    const action =
      args.checkpointItemId !== undefined
        ? `restoring checkpoint item ${args.checkpointItemId}`
        : `restoring the newest backup of ${describeVolume(args)}` +
          `${args.notAfter === undefined ? "" : ` not after ${args.notAfter}`}`;
    const context = { subject: restoreSubject(args), action };
    return withConnection(config, args, context, async (c) => {
      const created = await createRestore(c.client, args);
      return { id: created.id, outs: { ...created.outs } };
    });
  },

  async read(_config, id, props) {
    return restoreOperations().readRestore(id, asRecord(props));
  },

  async update(_config, _id, olds, news) {
    // Unreachable in practice (every input change replaces); keep the record, refreshed with the new inputs.
    return { outs: { ...asRecord(olds), ...news } };
  },

  async delete(_config, id, props) {
    console.log(restoreOperations().forgetRestoreMessage(id, asRecord(props)));
  },
};

export type ProviderKind = "backupPlan" | "restore";

/** What the shim installs on itself in `configure`: the operations of `kind`, bound to this run's config. */
export function bindProvider(kind: ProviderKind, stackConfig: { get(key: string): string | undefined }) {
  const config = captureConfig(stackConfig);
  return kind === "backupPlan" ? bind(backupPlan, config) : bind(restore, config);
}

/**
 * The host's side of the protocol is untyped; the engine passes create, update and diff the inputs this
 * provider's own `check` answered (sdk/nodejs/cmd/dynamic-provider: the checked `news`), so they are `I`.
 */
function bind<I>(ops: ResourceOperations<I>, config: RawConfig | undefined) {
  return {
    check: (olds: unknown, news: unknown) => ops.check(config, olds, news),
    diff: (id: string, olds: unknown, news: unknown) => ops.diff(config, id, olds, news as I),
    create: (inputs: unknown) => ops.create(config, inputs as I),
    read: (id: string, props?: unknown) => ops.read(config, id, props),
    update: (id: string, olds: unknown, news: unknown) => ops.update(config, id, olds, news as I),
    delete: (id: string, props: unknown) => ops.delete(config, id, props),
  };
}
