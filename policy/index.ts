// The ready policy pack: `pulumi preview --policy-pack policy`. Every policy of the guard at its
// production default; tune levels and limits per stack with `--policy-pack-config` (see README.md), or
// build your own pack from `backupGuard(...)` with options baked in.
import { PolicyPack } from "@pulumi/policy";
import { backupGuard } from "pulumi-scheduled-backup/policy";

new PolicyPack("scheduled-backup-guard", {
  description:
    "Backup governance for Scheduled Backup plans: valid schedules, recovery point objective, retention, " +
    "coverage of every volume.",
  displayName: "Scheduled Backup guard",
  tags: ["backup", "resilience"],
  policies: backupGuard(),
});
