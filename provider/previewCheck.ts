// The credential and endpoint check of `pulumi preview` (issue 10): a preview whose plans are all known
// sends nothing to the API otherwise, so a CI preview would pass with a wrong token or endpoint.
//
// Where it runs, and why not in the provider plugin: the plugin cannot tell a preview from an update.
// `pulumi.runtime.isDryRun()` reads PULUMI_NODEJS_DRY_RUN, which the Node language host sets for the
// program's process only; the plugin is started by the engine with the CLI's environment. Neither the
// ConfigureRequest nor the CheckRequest/DiffRequest carry a preview flag (and Create/Update, which would,
// are never called in preview: the plugin does not advertise `supportsPreview`,
// sdk/nodejs/cmd/dynamic-provider/index.js `configure`). The unknown sentinel shows only where an input is
// computed, never for a program of plain values. So the check runs in the program, where `isDryRun()` is
// authoritative, before the resources register: once per program run and endpoint, i.e. once per preview.
// The update of an `up` never runs it (its creates and updates reach the service anyway), so an update with
// nothing to change still sends nothing; the preview that `pulumi up` shows first does run it.
//
// Its cost is the path-layout detection probe (`GET plans/?limit=1`, provider/api/dialect.ts), which the
// client caches per endpoint: the check is that probe. Only when the layout needs no detection (pinned, or
// the project id in the endpoint URL) is it one `GET plans/?limit=1` of its own. Reads only, never a write.
import * as pulumi from "@pulumi/pulumi";
import { NetworkError, TimeoutError } from "./api/errors";
import { envNamesOf } from "./api/settings";
import { CONFIG_NAMESPACE } from "./tokens";
import { programConfig } from "./programConfig";
import { connect, placementOf } from "./resources/connection";
import type { Connection } from "./resources/connection";
import { describeFailure } from "./resources/errors";
import type { Placement } from "./types";

/** Per client (one per resolved configuration), for the program run; every resource waits on the same one. */
const checks = new Map<Connection["client"], Promise<void>>();

async function probe(connection: Connection): Promise<void> {
  const shape = await connection.client.serviceShape();
  if (shape.source !== "detected") await connection.client.listPlans({ limit: 1 });
}

/**
 * During a preview, the check for the settings a resource uses (its plain placement values over the stack
 * config). Rejects with a RunError (shown without a stack, once however many resources share it) that
 * names the failing setting and the fix; resolves at once outside a preview.
 */
function checkSettingsInPreview(
  kind: string,
  args: Readonly<Partial<Record<keyof Placement, unknown>>>,
): Promise<void> {
  if (!pulumi.runtime.isDryRun()) return Promise.resolve();
  let connection: Connection | undefined;
  try {
    connection = connect(programConfig(), placementOf(args));
  } catch (err) {
    return Promise.reject(failure(kind, err, undefined));
  }
  let pending = checks.get(connection.client);
  if (pending === undefined) {
    const used = connection;
    pending = probe(used).catch((err: unknown) => {
      throw failure(kind, err, used);
    });
    // Each resource attaches its own handler; this one keeps a failure from also surfacing unhandled here.
    pending.catch(() => undefined);
    checks.set(connection.client, pending);
  }
  return pending;
}

/**
 * Credential, project and config failures name their setting already (describeFailure); a service not reached does not.
 */
function endpointHint(err: unknown): string {
  if (!(err instanceof NetworkError || err instanceof TimeoutError)) return "";
  return (
    `. Check \`${CONFIG_NAMESPACE}:endpoint\` (or ${envNamesOf("endpoint").join(" / ")}), ` +
    `the base URL of the API ending in /data-protect/v2, or the Keystone catalog's \`region\``
  );
}

function failure(kind: string, err: unknown, connection: Connection | undefined): pulumi.RunError {
  const context = {
    subject: `preview of ${kind}`,
    action: `checking the credentials and endpoint (\`${CONFIG_NAMESPACE}:*\` config or the environment)`,
    ...(connection?.projectId === undefined ? {} : { projectHint: connection.projectId }),
  };
  return new pulumi.RunError(`${describeFailure(context, err, connection?.secrets ?? [])}${endpointHint(err)}`);
}

/**
 * `opts` with the resource's registration waiting on the preview check: the same dependencies, so the engine
 * sees nothing new; a failed check fails the registration, and with it the preview. Unchanged outside a preview.
 */
export function afterPreviewCheck<T extends pulumi.CustomResourceOptions>(
  kind: string,
  args: Readonly<Partial<Record<keyof Placement, unknown>>>,
  opts: T | undefined,
): T | undefined {
  if (!pulumi.runtime.isDryRun()) return opts;
  const dependsOn = checkSettingsInPreview(kind, args).then(() => opts?.dependsOn ?? []);
  // The SDK awaits a promise given as `dependsOn` and gathers what it resolves to (runtime/dependsOn.ts).
  return { ...opts, dependsOn: dependsOn as pulumi.Input<pulumi.Input<pulumi.Resource>[]> } as T;
}
