// One authenticated request per provider process and connection, made at check time, so a preview with a
// wrong token or endpoint fails with a clear message instead of passing (creates are not run in preview, and
// a program without data sources would otherwise make no request at all). The answer is cached, success or
// failure: hundreds of resources of one run share it.
import { ConfigError } from "../api/errors";
import type { ScheduledBackupClient } from "../api";

const verified = new WeakMap<ScheduledBackupClient, Promise<void>>();

/** Lists at most one plan: the cheapest call that proves the token, the project and the endpoint. */
export function verifyAccessOnce(client: ScheduledBackupClient): Promise<void> {
  let check = verified.get(client);
  if (check === undefined) {
    check = client.listPlans({ limit: 1 }).then(() => undefined);
    verified.set(client, check);
  }
  return check;
}

/** Missing settings are reported where they are needed (at create, read...), as before; only a wrong value fails here. */
export function isMissingSetting(err: unknown): boolean {
  return err instanceof ConfigError;
}
