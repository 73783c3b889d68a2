// @ts-check
// A deliberately bad backup setup for stage 6 of `npm run demo`: each plan breaks one mandatory
// policy of the default `scheduled-backup-guard` pack, so `pulumi preview --policy-pack policy`
// must stop the run before any request reaches the API. Plain JavaScript so the repo's TypeScript
// build (which compiles demo/**/*.ts) never needs the package's own build to exist; the types still
// apply through the `@ts-check` line above.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { BackupPlan } = require("pulumi-scheduled-backup");

const config = new pulumi.Config();
const volume = { id: config.require("volumeId"), name: config.require("volumeName") };

// Weekdays only: Friday's backup is the last one until Monday, a 72 h gap.
// Breaks `max-rpo` (the longest gap must stay within 24 h).
new BackupPlan("weekday-only", {
  name: "demo-weekday-only",
  description: "Database volume, business days only",
  scheduleType: "crontab",
  schedulePattern: "0 2 * * 1-5",
  backupMode: "full",
  maxBackups: 14,
  resources: [volume],
});

// Twice a day (a fine 12 h RPO), but keeps only two backups: restores reach back 12 h, with two
// restore points. Breaks `min-retention` (at least 7 days and 3 restore points).
new BackupPlan("short-memory", {
  name: "demo-short-memory",
  description: "Database volume, twice a day, two backups kept",
  scheduleType: "crontab",
  schedulePattern: "0 3,15 * * *",
  backupMode: "full",
  maxBackups: 2,
  resources: [volume],
});
