// Warnings about the `scheduledbackup:` stack config, given once per program run from the program itself
// (where every config key is visible and diagnostics reach the user in preview as in up): keys that are not
// settings (a typo is otherwise ignored silently), and `insecure`.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, INSECURE_WARNING, insecureRequested, unknownConfigKeyWarnings } from "./config";

// On globalThis: two copies of this package in one program still warn once.
const WARNED = Symbol.for("pulumi-scheduled-backup.configWarned");

export function warnAboutConfigOnce(): void {
  const holder = globalThis as { [WARNED]?: boolean };
  if (holder[WARNED] === true) return;
  holder[WARNED] = true;
  const prefix = `${CONFIG_NAMESPACE}:`;
  const all = pulumi.runtime.allConfig();
  const bare = Object.keys(all)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
  for (const warning of unknownConfigKeyWarnings(bare)) void pulumi.log.warn(warning);
  if (insecureRequested(all[`${prefix}insecure`])) void pulumi.log.warn(INSECURE_WARNING);
}
