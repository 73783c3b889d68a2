// The one route table. Each operation knows its method and its path below the project segment; the layout
// decides whether that segment is present: `project` (the seed's `/{project_id}/plans/...`) or `token`
// (the vendor's Go SDK and Terraform provider: `/plans/...`, the project implied by the token). If the live
// service proves to use another shape, this table is the place to change.

export type PathLayout = "project" | "token";
export const PATH_LAYOUTS: readonly PathLayout[] = ["project", "token"];
/** The setting: a layout pinned, or `auto` (the default): detected once per endpoint (see dialect.ts). */
export type PathLayoutSetting = PathLayout | "auto";
export const PATH_LAYOUT_SETTINGS: readonly PathLayoutSetting[] = ["auto", ...PATH_LAYOUTS];

export type OperationName =
  | "listPlans"
  | "createPlan"
  | "getPlan"
  | "updatePlan"
  | "deletePlan"
  | "listCheckpoints"
  | "getCheckpoint"
  | "deleteCheckpoint"
  | "deleteCheckpointsByChain"
  | "createRestore";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface Route {
  method: HttpMethod;
  /** Below the project segment; `{id}` is the object id. List and create paths end in `/`. */
  template: string;
  /** Whether repeating the call is harmless (drives the retry rules). */
  idempotent: boolean;
}

export const ROUTES: Readonly<Record<OperationName, Route>> = {
  listPlans: { method: "GET", template: "/plans/", idempotent: true },
  createPlan: { method: "POST", template: "/plans/", idempotent: false },
  getPlan: { method: "GET", template: "/plans/{id}", idempotent: true },
  updatePlan: { method: "PATCH", template: "/plans/{id}", idempotent: true },
  deletePlan: { method: "DELETE", template: "/plans/{id}", idempotent: true },
  listCheckpoints: { method: "GET", template: "/checkpoints/", idempotent: true },
  getCheckpoint: { method: "GET", template: "/checkpoints/{id}", idempotent: true },
  deleteCheckpoint: { method: "DELETE", template: "/checkpoints/{id}", idempotent: true },
  deleteCheckpointsByChain: { method: "DELETE", template: "/checkpoints/", idempotent: true },
  createRestore: { method: "POST", template: "/restores/", idempotent: false },
};

export const OPERATION_NAMES = Object.keys(ROUTES) as OperationName[];

export interface BaseUrl {
  origin: string;
  /** Without trailing slash: "" or "/data-protect/v2". */
  basePath: string;
}

/** Splits and normalises an endpoint: no trailing slash, no query, no credentials in the URL. */
export function parseBaseUrl(endpoint: string, what = "endpoint"): BaseUrl {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new TypeError(`${what} is not a valid URL; expected e.g. https://ru-3.cloud.api.selcloud.ru/data-protect/v2`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${what} must be an http(s) URL, got protocol ${url.protocol}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError(`${what} must not carry credentials in the URL; use token or Keystone settings`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new TypeError(`${what} must not carry a query string or fragment`);
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

function encodeSegment(value: string, what: string): string {
  if (value === "") throw new TypeError(`${what} must not be empty`);
  // Percent-encoding leaves these as they are, and a URL resolver would climb out of the route with them.
  if (value === "." || value === "..") throw new TypeError(`${what} must not be "${value}"`);
  return encodeURIComponent(value);
}

export function buildPath(
  operation: OperationName,
  layout: PathLayout,
  basePath: string,
  projectId: string | undefined,
  id?: string,
): string {
  const route = ROUTES[operation];
  let path = route.template;
  if (path.includes("{id}")) {
    if (id === undefined) throw new TypeError(`${operation} needs an id`);
    path = path.replace("{id}", encodeSegment(id, `${operation}: id`));
  }
  if (layout === "project") {
    if (projectId === undefined) throw new TypeError(`${operation}: the project layout needs a project id`);
    path = `/${encodeSegment(projectId, "projectId")}${path}`;
  }
  return `${basePath}${path}`;
}

/** Query string from defined values only, in a stable order. */
export function buildQuery(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.append(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
