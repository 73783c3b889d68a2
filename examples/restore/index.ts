// Restore the newest available backup of a volume into a new volume.
//
//   pulumi config set restore:volumeName db-data
//   pulumi config set restore:restoreName db-data-restored
//   pulumi up
//
// Deleting the Restore resource later (`pulumi destroy`) only forgets the record: the restored volume is
// yours, and stays.
import * as pulumi from "@pulumi/pulumi";
import { getLatestRestorePointOutput, Restore } from "pulumi-scheduled-backup";

const config = new pulumi.Config("restore");
const volumeName = config.require("volumeName");
const restoreName = config.get("restoreName") ?? `${volumeName}-restored`;
const planName = config.get("planName");

const latest = getLatestRestorePointOutput(planName === undefined ? { volumeName } : { volumeName, planName });

const restored = new Restore("restored", {
  checkpointItemId: latest.checkpointItemId,
  restoreName,
});

export const restoredFrom = { checkpointId: latest.checkpointId, itemId: latest.checkpointItemId, backupTakenAt: latest.createdAt };
export const newVolumeId = restored.resourceId;
export const restoreStatus = restored.status;
