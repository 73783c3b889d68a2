import * as pulumi from "@pulumi/pulumi";
import { RestoreProvider } from "./shim";
import { warnAboutConfigOnce } from "./configWarnings";
import { PROVIDER_MODULE, RESTORE_TYPE, RESTORE_TYPE_NAME } from "./tokens";

// One provider object for every Restore (serialized once; identical `__provider` for all).
const provider = new RestoreProvider();

/** The arguments of a {@link Restore}. Changing any of them makes another restore (a replacement). */
export interface RestoreArgs {
  /** The checkpoint item (one volume's backup) to restore, e.g. `getLatestRestorePointOutput(...).checkpointItemId`. */
  checkpointItemId: pulumi.Input<string>;
  /** Name of the new volume the restore creates. */
  restoreName: pulumi.Input<string>;
  /** Project (tenant) id; default `scheduledbackup:projectId` or the token's project. */
  projectId?: pulumi.Input<string>;
  /** Region (pool); default `scheduledbackup:region`. */
  region?: pulumi.Input<string>;
  /** Base URL including `/data-protect/v2`; default `scheduledbackup:endpoint` or the catalog. */
  endpoint?: pulumi.Input<string>;
}

/**
 * Restores one checkpoint item into a new volume. The API offers no way to read a restore afterwards, so the
 * resource records what the create answered (refresh keeps it). Deleting the resource only forgets that
 * record: the restored volume is yours, and stays.
 */
export class Restore extends pulumi.dynamic.Resource {
  /** The Pulumi type token (what policy packs match on). */
  static readonly __pulumiType = RESTORE_TYPE;

  /** True when `obj` is a Restore, even one built by another copy of this package. */
  static override isInstance(obj: unknown): obj is Restore {
    if (obj === undefined || obj === null || typeof obj !== "object") return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === Restore.__pulumiType;
  }

  declare readonly checkpointItemId: pulumi.Output<string>;
  declare readonly restoreName: pulumi.Output<string>;
  declare readonly projectId: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  /** The checkpoint the restored item belongs to. */
  declare readonly checkpointId: pulumi.Output<string>;
  /** Id of the volume the restore created. */
  declare readonly resourceId: pulumi.Output<string>;
  declare readonly resourceType: pulumi.Output<string>;
  /** `in_progress`, `success` or `error`, as the create answered. */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: RestoreArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output key must be present (seeded `undefined`) or the engine's value never reaches the object.
    const props: Record<string, unknown> = {
      projectId: undefined,
      region: undefined,
      endpoint: undefined,
      checkpointId: undefined,
      resourceId: undefined,
      resourceType: undefined,
      status: undefined,
      ...args,
    };
    warnAboutConfigOnce();
    super(provider, name, props, opts, PROVIDER_MODULE, RESTORE_TYPE_NAME);
  }
}
