// Take plans that already exist (made in the console, by a script, by another tool) under management.
//
// Pulumi's `import` resource option cannot work with dynamic providers (pulumi/pulumi#16175), so a
// BackupPlan adopts instead: with `adoptExistingId`, its create reads that plan, refuses a different
// backupMode, and updates the plan to match the arguments below. From then on it is managed like any
// other: `pulumi destroy` deletes it. `npx scheduled-backup import-plans --out index.ts` writes such
// declarations for every plan of a project.
//
// `BackupPlan.get` is the read-only alternative: the plan's live properties as outputs, never changed or
// deleted by Pulumi.
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "pulumi-scheduled-backup";

const config = new pulumi.Config("adopt");
const existingPlanId = config.require("existingPlanId");
const volume = config.requireObject<{ id: string; name: string }>("volume");
const referencePlanId = config.get("referencePlanId");

const adopted = new BackupPlan("adopted", {
  adoptExistingId: existingPlanId,
  name: `${volume.name}-nightly`,
  description: `Nightly full backups of ${volume.name} (managed by Pulumi since adoption)`,
  backupMode: "full",
  maxBackups: 30,
  schedulePattern: "0 1 * * *",
  resources: [{ id: volume.id, name: volume.name }],
});

export const adoptedPlan = {
  id: adopted.id,
  name: adopted.name,
  maxBackups: adopted.maxBackups,
  status: adopted.status,
};

const reference = referencePlanId === undefined ? undefined : BackupPlan.get("reference", referencePlanId);
export const referencePlan = reference && {
  id: reference.id,
  name: reference.name,
  schedulePattern: reference.schedulePattern,
  rpoHours: reference.maxIntervalHours,
};
