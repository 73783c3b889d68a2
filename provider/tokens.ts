// Pulumi type tokens of our dynamic resources. Kept free of imports so that policy packs, tests and the
// engine stand-in can match resources without loading the Pulumi SDK. They are part of users' state:
// changing one is a breaking change (every existing resource would be replaced).
export const PROVIDER_MODULE = "scheduledbackup";
/** The stack config namespace of the package's settings (`scheduledbackup:endpoint`, ...): the module's name. */
export const CONFIG_NAMESPACE = PROVIDER_MODULE;
export const BACKUP_PLAN_TYPE_NAME = "BackupPlan";
export const RESTORE_TYPE_NAME = "Restore";
export const BACKUP_PLAN_TYPE = `pulumi-nodejs:dynamic/${PROVIDER_MODULE}:${BACKUP_PLAN_TYPE_NAME}` as const;
export const RESTORE_TYPE = `pulumi-nodejs:dynamic/${PROVIDER_MODULE}:${RESTORE_TYPE_NAME}` as const;
