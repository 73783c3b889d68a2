// Quickstart: protect two volumes with two plans and list what they produced.
//
//   pulumi config set scheduledbackup:endpoint https://ru-1.cloud.api.selcloud.ru/data-protect/v2
//   pulumi config set scheduledbackup:projectId <project uuid>
//   pulumi config set --secret scheduledbackup:token <keystone token>
//   pulumi config set --path 'quickstart:volumes[0].id' <uuid>   # ... or the whole list as JSON:
//   pulumi config set quickstart:volumes '[{"id":"<uuid>","name":"db-data"},{"id":"<uuid>","name":"web-data"}]'
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan, getCheckpointsOutput } from "pulumi-scheduled-backup";

interface Volume {
  id: string;
  name: string;
}

const config = new pulumi.Config("quickstart");
const volumes = config.requireObject<Volume[]>("volumes");
const [db, web] = volumes;
if (db === undefined || web === undefined) {
  throw new Error("quickstart:volumes must list two volumes: [{id, name}, {id, name}]");
}

// The database volume: a full backup every night at 02:00 UTC, two weeks of them kept.
const nightly = new BackupPlan("db-nightly", {
  name: `${db.name}-nightly`,
  description: `Nightly full backups of ${db.name}`,
  backupMode: "full",
  maxBackups: 14,
  scheduleType: "crontab",
  schedulePattern: "0 2 * * *",
  resources: [{ id: db.id, name: db.name }],
});

// The web volume: frequency mode (a weekly full backup, daily incrementals), 4 weekly chains kept.
// `calendar` is the console's weekly picker form: one time of day and the weekdays ticked (here all seven).
const daily = new BackupPlan("web-daily", {
  name: `${web.name}-daily`,
  description: `Daily incremental backups of ${web.name}`,
  backupMode: "frequency",
  maxBackups: 4,
  scheduleType: "calendar",
  schedulePattern: "30 3 * * 0,1,2,3,4,5,6",
  resources: [{ id: web.id, name: web.name }],
});

function facts(plan: BackupPlan) {
  return {
    id: plan.id,
    status: plan.status,
    nextRuns: plan.nextRunTimes,
    rpoHours: plan.maxIntervalHours,
    restoresReachDays: plan.retentionDays,
  };
}

export const plans = { [db.name]: facts(nightly), [web.name]: facts(daily) };

// What each plan has produced so far (empty right after the first `up`; the plans run on their schedule).
// By the plan's id, not its name: backups of an older, deleted plan of the same name are not this plan's.
function checkpointsOf(plan: BackupPlan) {
  return getCheckpointsOutput({ planName: plan.name, planId: plan.id }).apply(({ checkpoints }) =>
    checkpoints.map((c) => ({
      id: c.id,
      createdAt: c.createdAt,
      status: c.status,
      volumes: c.items.map((i) => i.resource.name),
    })),
  );
}
export const checkpoints = { [db.name]: checkpointsOf(nightly), [web.name]: checkpointsOf(daily) };
