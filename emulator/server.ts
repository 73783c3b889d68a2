// HTTP front: routing (both path layouts, trailing and doubled slashes), auth, faults, logging. The state
// changes themselves live in api.ts and admin.ts.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import { type AdminDeps, ADMIN_ROUTES, handleAdmin } from "./admin";
import { handleApi } from "./api";
import type { EmulatorApp } from "./app";
import { ApiFailure, badRequest, forbidden, injectedFailure, notFound, unauthorized } from "./errors";
import { MUTATING, type Operation } from "./faults";
import { parseJsonBody, readBody, sendEmpty, sendJson, sleep } from "./http";
import { type CatalogConfig, KeystoneError, authenticate, tokenBody } from "./keystone";
import { type EmulatorDialect, type Layout, wireOf } from "./model";
import { openApiDocument } from "../provider/api/openapi";
import { OPERATION_NAMES, ROUTES } from "../provider/api/routes";

export const API_BASE = "/data-protect/v2";
/** Where the emulator serves the API's OpenAPI document. */
const OPENAPI_PATH = "/openapi.json";
export const IDENTITY_BASE = "/identity/v3";
/** Version discovery (gophercloud and keystoneauth probe it). */
const IDENTITY_ROOT = "/identity";
export const ADMIN_BASE = "/_emulator";

type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

type Operations = Partial<Record<Method, Operation>>;

/** The client's route table served back: by resource, its collection's and its items' operations per method. */
const RESOURCES: Record<string, { collection: Operations; item: Operations }> = {};
for (const operation of OPERATION_NAMES) {
  const { method, template } = ROUTES[operation];
  // "/plans/" is the collection, "/plans/{id}" an item.
  const [, resource = "", id] = template.split("/");
  const entry = (RESOURCES[resource] ??= { collection: {}, item: {} });
  entry[id === "" ? "collection" : "item"][method] = operation;
}

type KeystoneAction = "issue" | "validate" | "version" | "versions";

type Route =
  | { kind: "api"; operation: Operation; projectInPath: string | null; id?: string }
  | { kind: "keystone"; action: KeystoneAction }
  | { kind: "admin"; route: string }
  | { kind: "methodNotAllowed"; allow: string[] }
  | { kind: "notFound" };

/** Collapses doubled slashes and drops a trailing one: `/v2//plans/` and `/v2/plans` are the same route. */
function normalizePath(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 && collapsed.endsWith("/") ? collapsed.slice(0, -1) : collapsed;
}

function decodeSegments(path: string): string[] {
  return path
    .split("/")
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

function pick(table: Partial<Record<Method, Operation>>, method: string): Operation | string[] {
  // Own keys only: a path segment or method such as `constructor` must not reach Object.prototype.
  const operation = Object.hasOwn(table, method) ? table[method as Method] : undefined;
  return operation ?? Object.keys(table);
}

function resolveRoute(method: string, rawPath: string): Route {
  const path = normalizePath(rawPath);
  if (path === API_BASE || path.startsWith(`${API_BASE}/`)) {
    const segments = decodeSegments(path.slice(API_BASE.length));
    let projectInPath: string | null = null;
    let rest = segments;
    if (segments.length > 0 && !Object.hasOwn(RESOURCES, segments[0] as string)) {
      projectInPath = segments[0] as string;
      rest = segments.slice(1);
    }
    const resource = rest[0] === undefined || !Object.hasOwn(RESOURCES, rest[0]) ? undefined : RESOURCES[rest[0]];
    if (resource === undefined || rest.length > 2) return { kind: "notFound" };
    const table = rest.length === 1 ? resource.collection : resource.item;
    if (Object.keys(table).length === 0) return { kind: "notFound" };
    const chosen = pick(table, method);
    if (Array.isArray(chosen)) return { kind: "methodNotAllowed", allow: chosen };
    const route: Route = { kind: "api", operation: chosen, projectInPath };
    if (rest.length === 2) route.id = rest[1];
    return route;
  }
  if (path === `${IDENTITY_BASE}/auth/tokens`) {
    if (method === "POST") return { kind: "keystone", action: "issue" };
    if (method === "GET") return { kind: "keystone", action: "validate" };
    return { kind: "methodNotAllowed", allow: ["GET", "POST"] };
  }
  if (path === IDENTITY_BASE)
    return method === "GET" ? { kind: "keystone", action: "version" } : { kind: "methodNotAllowed", allow: ["GET"] };
  if (path === IDENTITY_ROOT)
    return method === "GET" ? { kind: "keystone", action: "versions" } : { kind: "methodNotAllowed", allow: ["GET"] };
  if (path.startsWith(`${ADMIN_BASE}/`)) {
    const route = path.slice(ADMIN_BASE.length + 1);
    const methods = Object.hasOwn(ADMIN_ROUTES, route) ? ADMIN_ROUTES[route] : undefined;
    if (methods === undefined) return { kind: "notFound" };
    return methods.includes(method) ? { kind: "admin", route } : { kind: "methodNotAllowed", allow: [...methods] };
  }
  return { kind: "notFound" };
}

interface ServerDeps extends AdminDeps {
  app: EmulatorApp;
  catalog: CatalogConfig;
  dialect: EmulatorDialect;
  log: (line: string) => void;
}

/** Query values that could be secrets never reach the log (none of the API's parameters are, by design). */
function loggablePath(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const key of [...params.keys()]) if (/token|password|secret|key/i.test(key)) params.set(key, "***");
  const query = params.toString();
  return query.length > 0 ? `${url.pathname}?${query}` : url.pathname;
}

/**
 * The request target as a URL. Origin-form targets are appended to a base rather than resolved against it:
 * a target starting with `//` (a doubled slash, as clients with a trailing-slash base URL send) must stay a
 * path, not become a host.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return target.startsWith("/") ? new URL(`http://emulator.local${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const requestId = `req-${randomUUID()}`;
    res.setHeader("X-Request-Id", requestId);
    const url = requestUrl(req.url ?? "/");
    const method = (req.method ?? "GET").toUpperCase();
    const served =
      url === undefined
        ? Promise.reject(
            badRequest(
              `the request target ${JSON.stringify(req.url)} is not a valid URL path`,
              "request.malformed_url",
            ),
          )
        : serve(deps, req, res, url, method);
    void served
      .catch((error: unknown) => answerError(deps, res, error))
      .finally(() => {
        const status = res.headersSent ? String(res.statusCode) : "reset";
        const ms = (performance.now() - started).toFixed(1);
        deps.log(
          `${method} ${url === undefined ? "(malformed URL)" : loggablePath(url)} ${status} ${ms}ms ${requestId}`,
        );
      });
  };
}

function answerError(deps: ServerDeps, res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  if (error instanceof ApiFailure) {
    sendJson(res, error.status, error.body(), error.headers);
  } else if (error instanceof KeystoneError) {
    sendJson(res, error.status, error.body());
  } else {
    const message = error instanceof Error ? error.message : String(error);
    deps.log(`internal error: ${error instanceof Error && error.stack !== undefined ? error.stack : message}`);
    const failure = new ApiFailure(
      500,
      "internal_error",
      "Internal Server Error",
      `emulator bug: ${message}`,
      "emulator.internal",
    );
    sendJson(res, 500, failure.body());
  }
}

async function serve(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const { app } = deps;
  // Drain the body first, whatever the route, so that keep-alive connections stay in sync.
  const text = await readBody(req);
  if (app.store.sweep(app.realNow())) app.changed();
  if (method === "GET" && normalizePath(url.pathname) === OPENAPI_PATH) {
    // The contract, generated from the client's route table and zod schemas (provider/api/openapi.ts).
    sendJson(res, 200, openApiDocument(`http://${header(req, "host") ?? "127.0.0.1"}${API_BASE}`));
    return;
  }
  const route = resolveRoute(method, url.pathname);
  switch (route.kind) {
    case "notFound":
      throw notFound(
        `no route ${method} ${url.pathname}: the API lives under ${API_BASE}` +
          `/{project_id}/(plans|checkpoints|restores)/ ` +
          `or ${API_BASE}/(plans|checkpoints|restores)/`,
        "route.not_found",
      );
    case "methodNotAllowed": {
      const allow = route.allow.join(", ");
      const message = `${method} is not allowed on ${url.pathname}; use ${allow}`;
      throw new ApiFailure(405, "method_not_allowed", "Method Not Allowed", message, "route.method_not_allowed", null, {
        Allow: allow,
      });
    }
    case "admin": {
      const body = text.trim().length > 0 ? parseJsonBody(text) : {};
      const result = handleAdmin(app, deps, method, route.route, body);
      if (method !== "GET") await app.durable();
      sendJson(res, result.status, result.body);
      return;
    }
    case "keystone":
      await serveKeystone(deps, req, res, route.action, text);
      return;
    case "api":
      // Routing comes first, as in the service's web framework: a path the dialect does not serve is a route
      // 404 whatever the token.
      if (!servesPath(deps, route.projectInPath))
        throw notFound(`no route ${method} ${url.pathname}: ${dialectRoutes(deps)}`, "route.not_found");
      await serveApi(deps, req, res, url, route, text);
      return;
  }
}

/**
 * The path shapes a dialect serves: the seed's `{base}/{project_id}/plans/...`; the vendor's `{catalog url}/plans/...`,
 * whose catalog URL ends with the project id when the catalog is configured so; `both`: every shape.
 */
function servesPath(deps: ServerDeps, projectInPath: string | null): boolean {
  if (deps.dialect === "both") return true;
  const wantsProject = deps.dialect === "seed" || deps.catalog.projectInUrl === true;
  return (projectInPath !== null) === wantsProject;
}

function dialectRoutes(deps: ServerDeps): string {
  const wantsProject = deps.dialect === "seed" || deps.catalog.projectInUrl === true;
  const shape = wantsProject
    ? `${API_BASE}/{project_id}/(plans|checkpoints|restores)/`
    : `${API_BASE}/(plans|checkpoints|restores)/`;
  return `this service (${deps.dialect} dialect) serves the API under ${shape} only`;
}

async function serveApi(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: Extract<Route, { kind: "api" }>,
  text: string,
): Promise<void> {
  const { app } = deps;
  const decision = app.faults.decide(route.operation);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  if (decision.reset === "before-commit") {
    req.socket.destroy();
    return;
  }
  if (decision.status !== undefined && decision.lateCommit === undefined) {
    throw injectedFailure(decision.status, route.operation, decision.retryAfterSeconds);
  }

  const token = header(req, "x-auth-token");
  if (token === undefined || token.length === 0) {
    throw unauthorized("X-Auth-Token header is missing; send a project-scoped Keystone token", "auth.token_missing");
  }
  const lookup = app.tokens.lookup(token, app.realNow());
  if (lookup.kind === "unknown")
    throw unauthorized("the X-Auth-Token is not a valid token; get a new one from Keystone", "auth.token_invalid");
  if (lookup.kind === "expired") {
    throw unauthorized(
      `the X-Auth-Token expired at ${new Date(lookup.record.expiresAtMs ?? 0).toISOString()}; ` +
        `get a new one from Keystone`,
      "auth.token_expired",
    );
  }
  const tokenProject = lookup.record.projectId;
  if (route.projectInPath !== null && route.projectInPath !== tokenProject) {
    throw forbidden(
      `the token is scoped to project ${tokenProject}, ` +
        `not to project ${route.projectInPath} named in the path; use a token scoped to that project`,
      "auth.project_mismatch",
    );
  }
  const layout: Layout = route.projectInPath === null ? "token" : "project";
  const wire = wireOf(deps.dialect, layout);
  const needsBody = ["POST", "PATCH"].includes(ROUTES[route.operation].method);
  const apply = (): ReturnType<typeof handleApi> => {
    const answer = handleApi(app, {
      operation: route.operation,
      projectId: tokenProject,
      wire,
      ...(route.id !== undefined ? { id: route.id } : {}),
      query: url.searchParams,
      body: needsBody ? parseJsonBody(text) : undefined,
    });
    if (MUTATING.has(route.operation)) app.changed();
    return answer;
  };
  if (decision.lateCommit !== undefined && decision.status !== undefined) {
    commitLate(deps, apply, decision.lateCommit.delayMs);
    throw injectedFailure(decision.status, route.operation, decision.retryAfterSeconds);
  }
  const result = apply();
  // An acknowledged write survives a crash: the answer leaves only once the change is on disk.
  if (MUTATING.has(route.operation)) await app.durable();
  if (decision.reset === "after-commit") {
    req.socket.destroy();
    return;
  }
  if (result.body === undefined) sendEmpty(res, result.status);
  else sendJson(res, result.status, result.body);
}

/**
 * A fault that answers an error although the change is applied: at once (a service that saves, then fails
 * answering), or `delayMs` later (a backend that finishes after the gateway gave up). A request the service
 * would refuse (422, 404) is answered with its real error in the first case, and applies nothing in the second.
 */
function commitLate(deps: ServerDeps, apply: () => unknown, delayMs: number): void {
  if (delayMs <= 0) {
    apply();
    return;
  }
  deps.app.faults.scheduleLateCommit(() => {
    try {
      apply();
    } catch (error) {
      deps.log(`late commit refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, delayMs);
}

async function serveKeystone(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  action: KeystoneAction,
  text: string,
): Promise<void> {
  const { app, catalog } = deps;
  const ttlMs = app.config.tokenTtlSeconds * 1000;
  const version = {
    id: "v3.14",
    status: "stable",
    updated: "2020-04-07T00:00:00Z",
    links: [{ rel: "self", href: `${catalog.authUrl}/` }],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
  };
  if (action === "version") {
    sendJson(res, 200, { version });
    return;
  }
  if (action === "versions") {
    // Keystone answers its root with 300 Multiple Choices, listing the one version it serves.
    sendJson(res, 300, { versions: { values: [version] } });
    return;
  }
  if (action === "issue") {
    const decision = app.faults.decide("auth");
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.reset === "before-commit") {
      req.socket.destroy();
      return;
    }
    if (decision.status !== undefined) throw injectedFailure(decision.status, "auth", decision.retryAfterSeconds);
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new KeystoneError(400, "the request body is not valid JSON");
    }
    const projectId = authenticate(body, app.config.credentials);
    const record = app.tokens.issue(projectId, app.config.tokenTtlSeconds, app.realNow());
    app.changed();
    await app.durable();
    if (decision.reset === "after-commit") {
      req.socket.destroy();
      return;
    }
    sendJson(res, 201, tokenBody(record, app.config.credentials, catalog, app.realNow(), ttlMs), {
      "X-Subject-Token": record.token,
    });
    return;
  }
  const caller = header(req, "x-auth-token");
  if (caller === undefined || app.tokens.lookup(caller, app.realNow()).kind !== "valid") {
    throw new KeystoneError(401, "The request you have made requires authentication.");
  }
  const subject = header(req, "x-subject-token");
  const lookup = subject === undefined ? { kind: "unknown" as const } : app.tokens.lookup(subject, app.realNow());
  if (lookup.kind !== "valid")
    throw new KeystoneError(404, "Could not find token (missing, unknown or expired X-Subject-Token).");
  sendJson(res, 200, tokenBody(lookup.record, app.config.credentials, catalog, app.realNow(), ttlMs), {
    "X-Subject-Token": lookup.record.token,
  });
}

/** Requests node:http cannot parse still get the API's JSON error body (where the socket can take one). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const title = status === 431 ? "Request Header Fields Too Large" : "Bad Request";
  const body = JSON.stringify({
    code: "bad_request",
    title,
    message: `the request is not valid HTTP (${error.code ?? "parse error"})`,
    error_key: "request.malformed_http",
    details: null,
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: req-${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
  );
}
