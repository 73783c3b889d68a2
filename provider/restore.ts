import * as pulumi from "@pulumi/pulumi";
import { RestoreProvider } from "./shim";
import { assertRuntimeReachableFromProgram } from "./programDirectory";
import { warnAboutConfigOnce } from "./configWarnings";
import { afterPreviewCheck } from "./previewCheck";
import { PROVIDER_MODULE, RESTORE_TYPE, RESTORE_TYPE_NAME } from "./tokens";
import { keysMatch } from "./fields/keys";
import type { SameKeys } from "./fields/keys";
import { RESTORE_PROPERTIES } from "./fields/restore";
import type { RestoreInputProperty, RestoreProperty } from "./fields/restore";
import type { RestoreOutputs } from "./types";

// Every output key must be present (seeded `undefined`) or the engine's value never reaches the object: the
// keys are the field table's (provider/fields/restore.ts), once.
const SEEDED: Readonly<Record<string, undefined>> = Object.fromEntries(RESTORE_PROPERTIES.map((p) => [p, undefined]));

// The hand-written interfaces carry the docs users read in their IDE; their keys are the table's, checked here.
keysMatch<SameKeys<RestoreArgs, RestoreInputProperty>>();
keysMatch<SameKeys<RestoreOutputs, RestoreProperty>>();

/** A Restore has an output for every property of the table. */
type RestoreOutputMembers = { readonly [K in RestoreProperty]: pulumi.Output<RestoreOutputs[K]> };

// One provider object for every Restore (serialized once; identical `__provider` for all).
const provider = new RestoreProvider();

/**
 * The arguments of a {@link Restore}: what to restore (`volumeName` or `volumeId`, pinned at create, or an
 * explicit `checkpointItemId`) and the new volume's name. Changing any of them makes another restore (a
 * replacement); the volume the old one created is left in place.
 */
export interface RestoreArgs {
  /**
   * Restore the newest available backup of the volume with this name. Resolved once, at create, and recorded
   * in `checkpointItemId`: newer backups later change nothing.
   */
  volumeName?: pulumi.Input<string>;
  /** Like `volumeName`, by the volume's id. */
  volumeId?: pulumi.Input<string>;
  /** With `volumeName`/`volumeId`: only backups made by the plan with this exact name. */
  planName?: pulumi.Input<string>;
  /** With `volumeName`/`volumeId`: only backups taken at or before this RFC 3339 time, e.g. `2026-01-31T23:59:59Z`. */
  notAfter?: pulumi.Input<string>;
  /** Restore exactly this checkpoint item (one volume's backup), instead of a volume's newest backup. */
  checkpointItemId?: pulumi.Input<string>;
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
export class Restore extends pulumi.dynamic.Resource implements RestoreOutputMembers {
  /** The Pulumi type token (what policy packs match on). */
  static readonly __pulumiType = RESTORE_TYPE;

  /** True when `obj` is a Restore, even one built by another copy of this package. */
  static override isInstance(obj: unknown): obj is Restore {
    if (obj === undefined || obj === null || typeof obj !== "object") return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === Restore.__pulumiType;
  }

  /** The item restored: the input, or the backup the volume was pinned to at create. */
  declare readonly checkpointItemId: pulumi.Output<string>;
  declare readonly volumeId: pulumi.Output<string | undefined>;
  declare readonly volumeName: pulumi.Output<string | undefined>;
  declare readonly planName: pulumi.Output<string | undefined>;
  declare readonly notAfter: pulumi.Output<string | undefined>;
  /** When the restored backup was taken (RFC 3339); recorded when pinned by volume. */
  declare readonly backupCreatedAt: pulumi.Output<string | undefined>;
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
    const props: Record<string, unknown> = { ...SEEDED, ...args };
    assertRuntimeReachableFromProgram();
    warnAboutConfigOnce();
    super(provider, name, props, afterPreviewCheck("Restore", args, opts), PROVIDER_MODULE, RESTORE_TYPE_NAME);
  }
}
