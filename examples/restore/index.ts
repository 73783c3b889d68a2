// Restore the newest available backup of a volume into a new volume, pinned at the first `up`.
//
//   pulumi config set restore:volumeName db-data
//   pulumi config set restore:restoreName db-data-restored
//   pulumi config set restore:notAfter 2026-01-31T23:59:59Z   # optional: the newest backup up to this time
//   pulumi up
//
// The backup is chosen once, at create, and recorded in the outputs: later `up`s change nothing even after
// newer backups appear. Changing volumeName, planName, notAfter or restoreName makes another restore (a
// replacement): the volume the first one created is left in place, no longer tracked by the stack. Deleting
// the Restore resource (`pulumi destroy`) likewise only forgets the record: the restored volume is yours.
import * as pulumi from "@pulumi/pulumi";
import { Restore } from "pulumi-scheduled-backup";

const config = new pulumi.Config("restore");
const volumeName = config.require("volumeName");
const restoreName = config.get("restoreName") ?? `${volumeName}-restored`;
const planName = config.get("planName");
const notAfter = config.get("notAfter");

const restored = new Restore("restored", {
  volumeName,
  restoreName,
  ...(planName === undefined ? {} : { planName }),
  ...(notAfter === undefined ? {} : { notAfter }),
});

export const restoredFrom = {
  checkpointId: restored.checkpointId,
  itemId: restored.checkpointItemId,
  backupTakenAt: restored.backupCreatedAt,
};
export const newVolumeId = restored.resourceId;
export const restoreStatus = restored.status;
