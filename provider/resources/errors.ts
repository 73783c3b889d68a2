// Errors at the Pulumi boundary: every failure of a provider method is translated once, here, into a message
// that names the resource, what failed and the fix, and that carries no credential.
import { ForbiddenError, UnauthorizedError, ValidationError, WaitTimeoutError } from "../api/errors";
import { redact } from "../api/redact";
import { envNamesOf } from "../api/settings";
import { CONFIG_NAMESPACE } from "../config";
import { camelizeText } from "../mapping";

/**
 * A resource that exists but did not finish initializing. The dynamic-provider host turns an error carrying
 * `id`, `properties` and `reasons` into Pulumi's partial-state answer (ErrorResourceInitFailed), so the
 * engine records the resource, with its id, instead of forgetting a live plan.
 */
export class ResourceInitError extends Error {
  override readonly name = "ResourceInitError";
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(id: string, properties: Record<string, unknown>, message: string) {
    super(message);
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

/** A failure already phrased for the user (names the resource and the fix). */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
}

export interface FailureContext {
  /** e.g. `BackupPlan "nightly-db"` */
  subject: string;
  /** e.g. `creating the plan` */
  action: string;
  /** The timeouts entry governing the action, for wait failures, e.g. `timeouts.create` (now 600 s). */
  timeoutHint?: string;
  /** Project the call addressed, when known, for 403 hints. */
  projectHint?: string;
  /** The refused credential was the stack config's static token (for destroy/refresh: stored at the last `up`). */
  storedToken?: boolean;
  /** ... and the environment's credentials, tried after it, were refused too. */
  environmentRefused?: boolean;
}

/** `subject: action failed: <what the service said>. <fix>` — without credentials. */
export function describeFailure(context: FailureContext, err: unknown, secrets: readonly string[]): string {
  const prefix = `${context.subject}: ${context.action} failed`;
  let text: string;
  if (err instanceof UnauthorizedError && context.storedToken === true) {
    text =
      `${prefix}: the service refused the static token of the stack config` +
      `${context.environmentRefused === true ? ", and then the credentials of the environment" : ""}` +
      ` (HTTP 401). \`pulumi destroy\` and ` +
      "`pulumi refresh` use the config stored at the last `pulumi up`, so a token changed since then is not seen. " +
      `Ways out: set a valid one (\`pulumi config set --secret ${CONFIG_NAMESPACE}:token <token>\`) ` +
      `and run \`pulumi up\` ` +
      "first (it stores the current config); `pulumi destroy --run-program` or " +
      "`pulumi refresh --run-program` (they use the current config); Keystone password auth (authUrl, username, " +
      `password, accountId), which renews its token itself; or export ${envNamesOf("token")[0]} with a valid token, ` +
      `used when the stored one is refused. [${err.method} ${err.path}]`;
  } else if (err instanceof UnauthorizedError && err.operation === "auth") {
    // Keystone's refusal already names the user, the domain and what to check: keep it word for word.
    text =
      `${prefix}: ${err.message}. Set them with ` +
      `\`pulumi config set ${CONFIG_NAMESPACE}:username|accountId <value>\` and ` +
      `\`pulumi config set --secret ${CONFIG_NAMESPACE}:password <password>\` ` +
      `(or ${(["username", "accountId", "password"] as const).map((k) => envNamesOf(k).at(-1)).join(", ")})`;
  } else if (err instanceof UnauthorizedError) {
    text =
      `${prefix}: the service refused the credentials (HTTP 401). Set a valid token with ` +
      `\`pulumi config set --secret ${CONFIG_NAMESPACE}:token <token>\` (or ${envNamesOf("token").join(" / ")}), ` +
      `or the Keystone settings authUrl, username, password and accountId. [${err.method} ${err.path}]`;
  } else if (err instanceof ForbiddenError) {
    const project = context.projectHint === undefined ? "" : ` ${context.projectHint}`;
    text =
      `${prefix}: the token may not act in project${project} (HTTP 403). Use a token scoped to that project, or ` +
      `set the resource's projectId (or ${CONFIG_NAMESPACE}:projectId) to the token's project. ` +
      `[${err.method} ${err.path}]`;
  } else if (err instanceof ValidationError) {
    const problems = err.problems.map((p) => `${camelizeText(p.field) || "(request)"}: ${camelizeText(p.msg)}`);
    text = `${prefix}: the service rejected the request (HTTP 422): ${problems.join("; ") || err.message}`;
  } else if (err instanceof WaitTimeoutError) {
    const hint = context.timeoutHint === undefined ? "" : `; raise ${context.timeoutHint} if the service is slow`;
    text = `${prefix}: ${err.message}${hint}`;
  } else if (err instanceof Error) {
    // Config, not-found and other API errors, and ProviderError, already say what is wrong and the fix.
    text = `${prefix}: ${err.message}`;
  } else {
    text = `${prefix}: ${String(err)}`;
  }
  return redact(text, secrets);
}
