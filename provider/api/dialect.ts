// Which path layout and which field names (dialect) a service speaks. The decisions are pure and live here;
// the client does the one probe they need (client.ts `#shapeFor`) and caches the answer per endpoint for the
// life of the process, so a provider plugin or a CLI run probes at most once per endpoint.
//
// Detection never writes:
// - A catalog URL (or endpoint) that already ends with the project id takes no extra segment (`token`).
// - Otherwise a cheap read of each layout in turn, `GET plans/?limit=1`, until one has the route. With a known
//   project id the project layout goes first: there the service itself checks the configured project
//   against the token (a 403 names the mismatch), whereas on the token layout a static token scoped to
//   another project would silently act there. The price is one extra GET per process on a vendor-layout
//   service. Without a project id only the token layout can be tried. A 404 counts only when it is a route
//   404 (isRouteNotFound): "no such project" on `/{project_id}/plans/` is an answer, and stops the detection.
// - The dialect comes from the data when it shows (a listed plan carrying one retention name), else from the
//   path shape: paths with the project segment are the seed's (`max_backups`), paths without it the vendor's
//   clients' (`full_backups_amount`). When that guess is wrong (an empty project on a service that pairs them
//   otherwise), the service refuses the retention name with a 422, which commits nothing; the client then
//   switches the dialect for the endpoint and sends the write once more under the other name.
import { ConfigError, NotFoundError, ValidationError } from "./errors";
import type { PathLayout } from "./routes";
import { type Dialect, dialectOfPlan, PLAN_DIALECT_FIELDS, retentionField } from "./schemas";

/** How the layout was settled, shown in errors. */
type LayoutSource = "pinned" | "detected" | "project id in the endpoint URL";

export interface ServiceShape {
  layout: PathLayout;
  /** Mutable: a write refused under one retention name switches it for every later call to the endpoint. */
  dialect: Dialect;
  source: LayoutSource;
}

export function describeShape(shape: ServiceShape): string {
  return `${shape.layout} layout (${shape.source}), ${shape.dialect} dialect`;
}

/** Pinned layouts keep their historical field names: `project` speaks the seed's, `token` the vendor's. */
export function dialectOfLayout(layout: PathLayout): Dialect {
  return layout === "project" ? "seed" : "vendor";
}

export function otherDialect(dialect: Dialect): Dialect {
  return dialect === "seed" ? "vendor" : "seed";
}

/** True when the base path's last segment is the project id: the catalog already scopes the URL. */
function endsWithProject(basePath: string, projectId: string | undefined): boolean {
  if (projectId === undefined) return false;
  const last = basePath.split("/").pop() ?? "";
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // a malformed escape is simply not the project id
  }
  return decoded.toLowerCase() === projectId.toLowerCase();
}

/** Words of an error key or message that name an API object: such a 404 is about the object, not the route. */
const OBJECT_WORD =
  /\b(plan|checkpoint|checkpoint_item|chain|restore|project|volume)s?\b|^(plan|checkpoint|checkpoint_item|chain|restore|project|volume)[._]/i;

/**
 * A 404 meaning "no such route" (wrong layout), as opposed to "no such plan/project" (the route exists).
 * Object 404s name their object: an `error_key` such as `plan.not_found`, or a message such as "plan x does
 * not exist". Route 404s are FastAPI's `{"detail": "Not Found"}`, a proxy's page, an empty body, or an API
 * error whose key is about the route (`route.not_found`).
 */
export function isRouteNotFound(err: unknown): boolean {
  if (!(err instanceof NotFoundError)) return false;
  const key = err.errorKey ?? "";
  if (key !== "") return /^route\b/i.test(key) || !OBJECT_WORD.test(key);
  const message = err.apiMessage?.trim() ?? "";
  return message === "" || /^not found\.?$/i.test(message) || !OBJECT_WORD.test(message);
}

function refuses(problem: { field: string; type: string; msg: string }, field: string): boolean {
  return (
    problem.field === field &&
    (problem.type === "extra_forbidden" || /extra|unknown|not (permitted|allowed)/i.test(problem.msg))
  );
}

/** A 422 refusing the retention count under the name `sent` speaks: the service speaks the other dialect. */
export function refusesRetentionName(err: unknown, sent: Dialect): boolean {
  if (!(err instanceof ValidationError)) return false;
  const sentName = retentionField(sent);
  const otherName = retentionField(otherDialect(sent));
  return err.problems.some((p) => refuses(p, sentName) || (p.field === otherName && p.type === "missing"));
}

/** The seed-named fields `dialect` does not know (sent only when non-empty) that a 422 refuses. */
function refusedUnknownFields(err: unknown, dialect: Dialect): string[] {
  if (!(err instanceof ValidationError)) return [];
  const unknown = Object.entries(PLAN_DIALECT_FIELDS)
    .filter(([, names]) => (names as Record<Dialect, string | undefined>)[dialect] === undefined)
    .map(([seedName]) => seedName);
  return unknown.filter((field) => err.problems.some((p) => p.field === field));
}

/**
 * A write refused for a field the dialect does not know (sent because it carried a value): the same 422, with a
 * message that names the field and the way out.
 */
export function unknownFieldError(
  err: unknown,
  valid: Record<string, unknown>,
  shape: ServiceShape,
  dialect: Dialect,
): unknown {
  const refused = refusedUnknownFields(err, dialect).filter((field) => valid[field] !== undefined);
  if (!(err instanceof ValidationError) || refused.length === 0) return err;
  const names = refused.map((f) => `\`${f}\``).join(", ");
  const where = `${describeShape(shape)}${err.requestId === undefined ? "" : `, request id ${err.requestId}`}`;
  return new ValidationError({
    operation: err.operation,
    method: err.method,
    path: err.path,
    status: err.status ?? 422,
    ...(err.code === undefined ? {} : { code: err.code }),
    ...(err.requestId === undefined ? {} : { requestId: err.requestId }),
    layout: describeShape(shape),
    problems: err.problems,
    message:
      `${err.operation} failed: this service speaks the ${dialect} dialect, which does not know ${names}, ` +
      `and it refused ` +
      `the value sent; leave ${names} empty (an empty value is not sent to this service) ` +
      `[${err.method} ${err.path}, ${where}]`,
  });
}

interface DetectInput {
  basePath: string;
  projectId: string | undefined;
  /** `GET plans/?limit=1` on `layout`: the parsed body, or the typed error. */
  probe: (layout: PathLayout) => Promise<unknown>;
}

function dialectOfPage(page: unknown, layout: PathLayout): Dialect {
  const plans = typeof page === "object" && page !== null ? (page as Record<string, unknown>)["plans"] : undefined;
  const first = Array.isArray(plans) ? (plans[0] as unknown) : undefined;
  return dialectOfPlan(first) ?? dialectOfLayout(layout);
}

/** Settles the layout (and a first dialect) of one endpoint; see the header for the order and why. */
export async function detectShape(input: DetectInput): Promise<ServiceShape> {
  if (endsWithProject(input.basePath, input.projectId)) {
    return { layout: "token", dialect: dialectOfLayout("token"), source: "project id in the endpoint URL" };
  }
  const order: PathLayout[] = input.projectId === undefined ? ["token"] : ["project", "token"];
  const misses: string[] = [];
  for (const layout of order) {
    try {
      return { layout, dialect: dialectOfPage(await input.probe(layout), layout), source: "detected" };
    } catch (err) {
      if (!isRouteNotFound(err)) throw err;
      misses.push(`${(err as NotFoundError).path} (${layout} layout)`);
    }
  }
  if (input.projectId === undefined) {
    throw new ConfigError(
      `the service has no route ${misses.join("")} (404), and the project layout needs a project id, ` +
        `which is unknown: ` +
        "set `projectId` (or use Keystone settings, whose token names the project)",
      ["projectId"],
    );
  }
  throw new ConfigError(
    `no path layout works at this endpoint: ${misses.join(" and ")} both answered 404 with no route; ` +
      `check \`endpoint\` ` +
      "(it should end in /data-protect/v2) or the catalog's region, or pin `pathLayout`",
    ["endpoint", "pathLayout"],
  );
}

/** Per endpoint (origin + base path), for the life of the process; concurrent callers share one probe. */
const detected = new Map<string, Promise<ServiceShape>>();

export function detectOnce(key: string, detect: () => Promise<ServiceShape>): Promise<ServiceShape> {
  let pending = detected.get(key);
  if (pending === undefined) {
    pending = detect();
    detected.set(key, pending);
    // A failed detection (network, 401...) must not stick: the next call probes again.
    pending.catch(() => {
      if (detected.get(key) === pending) detected.delete(key);
    });
  }
  return pending;
}

/** Forgets one endpoint's shape (after a route 404 on the layout in use) or all of them (tests). */
export function forgetDetectedShape(key?: string): void {
  if (key === undefined) detected.clear();
  else detected.delete(key);
}
