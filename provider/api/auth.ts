// Keystone v3: password auth with project scope, token parsing, catalog lookup and a renewing token cache.
// The parsing and lookup functions are pure; `KeystoneSession` does the I/O through an injected sender.
import { ConfigError, ResponseSchemaError, UnauthorizedError, type ApiError } from "./errors";
import { errorFromResponse } from "./error-body";
import type { HttpResponse } from "./http";
import { describeZodError, keystoneTokenBodySchema, type CatalogEntry } from "./schemas";

export const SERVICE_TYPE = "data-protectv2";
const ENDPOINT_INTERFACE = "public";
/** Renew this long before `expires_at` at most (or a tenth of the token's lifetime, if shorter). */
const RENEW_MARGIN_MS = 5 * 60_000;

interface KeystoneCredentials {
  authUrl: string;
  username: string;
  password: string;
  /** Keystone user domain name (the account id on Selectel/Servercore). */
  accountId: string;
  /** Scope; when absent the token is scoped to the user's default project, if it has one. */
  projectId?: string | undefined;
}

export interface KeystoneToken {
  value: string;
  expiresAt: number;
  /** When to fetch a fresh one: before expiry, by the margin. */
  renewAt: number;
  projectId: string | undefined;
  catalog: CatalogEntry[];
}

/** `{authUrl}/auth/tokens` with the trailing slash of the auth URL normalised away. */
export function tokensUrl(authUrl: string): URL {
  const base = authUrl.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(`${base}/auth/tokens`);
  } catch {
    throw new ConfigError(`authUrl is not a valid URL; expected e.g. https://cloud.api.selcloud.ru/identity/v3`, [
      "authUrl",
    ]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`authUrl must be an http(s) URL, got protocol ${url.protocol}`, ["authUrl"]);
  }
  return url;
}

export function passwordAuthBody(creds: KeystoneCredentials): string {
  const auth: Record<string, unknown> = {
    identity: {
      methods: ["password"],
      password: {
        user: { name: creds.username, domain: { name: creds.accountId }, password: creds.password },
      },
    },
  };
  if (creds.projectId !== undefined) auth["scope"] = { project: { id: creds.projectId } };
  return JSON.stringify({ auth });
}

/** Reads the token from `X-Subject-Token` and the body; `now` is when the answer arrived. */
export function parseKeystoneToken(
  subjectToken: string | undefined,
  bodyText: string,
  now: number,
  context: { operation: string; method: string; path: string; requestId?: string | undefined },
): KeystoneToken {
  const schemaError = (field: string, issue: string): ResponseSchemaError =>
    new ResponseSchemaError({ ...context, field, issues: [issue] });
  if (subjectToken === undefined || subjectToken === "") {
    throw schemaError("X-Subject-Token", "Keystone answered without the X-Subject-Token header");
  }
  let json: unknown;
  try {
    json = JSON.parse(bodyText) as unknown;
  } catch {
    throw schemaError("(body)", "Keystone answered with a body that is not JSON");
  }
  const parsed = keystoneTokenBodySchema.safeParse(json);
  if (!parsed.success) {
    const { field, issues } = describeZodError(parsed.error);
    throw new ResponseSchemaError({ ...context, field, issues });
  }
  const t = parsed.data.token;
  const expiresAt = Date.parse(t.expires_at);
  if (Number.isNaN(expiresAt)) throw schemaError("token.expires_at", `not a timestamp: ${t.expires_at}`);
  const issuedAt = t.issued_at === undefined ? now : Date.parse(t.issued_at);
  const lifetime = Math.max(0, expiresAt - (Number.isNaN(issuedAt) ? now : issuedAt));
  const margin = Math.min(RENEW_MARGIN_MS, lifetime / 10);
  return {
    value: subjectToken,
    expiresAt,
    renewAt: expiresAt - margin,
    projectId: t.project?.id,
    catalog: t.catalog ?? [],
  };
}

/** The `data-protectv2` public endpoint of `region` (matched on `region_id`, then the legacy `region`). */
export function findServiceEndpoint(catalog: CatalogEntry[], region: string, serviceType = SERVICE_TYPE): string {
  const services = catalog.filter((entry) => entry.type === serviceType);
  if (services.length === 0) {
    const types = [...new Set(catalog.map((e) => e.type))].sort();
    throw new ConfigError(
      `the Keystone catalog has no \`${serviceType}\` service (it lists: ${types.join(", ") || "nothing"}); ` +
        "set `endpoint` to the API's base URL, e.g. https://ru-3.cloud.api.selcloud.ru/data-protect/v2",
      ["endpoint"],
    );
  }
  const publics = services
    .flatMap((s) => s.endpoints)
    .filter((e) => (e.interface ?? ENDPOINT_INTERFACE) === ENDPOINT_INTERFACE);
  const match =
    publics.find((e) => e.region_id === region) ?? publics.find((e) => e.region_id == null && e.region === region);
  if (match === undefined) {
    const regions = [
      ...new Set(publics.map((e) => e.region_id ?? e.region).filter((r): r is string => typeof r === "string")),
    ].sort();
    throw new ConfigError(
      `the Keystone catalog has no public \`${serviceType}\` endpoint in region \`${region}\`; ` +
        `regions offered: ${regions.join(", ") || "none"}. Set \`region\` to one of them, or set \`endpoint\``,
      ["region"],
    );
  }
  return match.url;
}

export type TokenSender = (
  url: URL,
  init: { method: "POST" | "GET"; headers: Record<string, string>; body?: string },
) => Promise<HttpResponse>;

/**
 * Caches one Keystone token: renews it shortly before `expires_at`, or when the API says 401 (`invalidate`).
 * Concurrent callers share one in-flight authentication.
 */
export class KeystoneSession {
  #token: KeystoneToken | undefined;
  #pending: Promise<KeystoneToken> | undefined;
  readonly #creds: KeystoneCredentials;
  readonly #send: TokenSender;
  readonly #now: () => number;
  /** Told when an early renewal failed and the still-valid token was kept (the client logs it). */
  readonly #onRenewalFailure: ((err: unknown) => void) | undefined;
  /** How many times it authenticated (tests and logs). */
  authentications = 0;

  constructor(
    creds: KeystoneCredentials,
    send: TokenSender,
    now: () => number,
    onRenewalFailure?: (err: unknown) => void,
  ) {
    this.#creds = creds;
    this.#send = send;
    this.#now = now;
    this.#onRenewalFailure = onRenewalFailure;
  }

  async token(): Promise<KeystoneToken> {
    const current = this.#token;
    const now = this.#now();
    if (current !== undefined && now < current.renewAt) return current;
    if (this.#pending === undefined) {
      this.#pending = this.#authenticate().finally(() => {
        this.#pending = undefined;
      });
    }
    if (current === undefined || now >= current.expiresAt) return this.#pending;
    // Renewing early: if Keystone is unavailable right now, the current token still has time left.
    try {
      return await this.#pending;
    } catch (err) {
      this.#onRenewalFailure?.(err);
      return current;
    }
  }

  /** Drops the token if it is still the one that was refused; the next `token()` authenticates again. */
  invalidate(refused: string): void {
    if (this.#token?.value === refused) this.#token = undefined;
  }

  async #authenticate(): Promise<KeystoneToken> {
    const url = tokensUrl(this.#creds.authUrl);
    const context = { operation: "auth", method: "POST", path: url.pathname };
    const response = await this.#send(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: passwordAuthBody(this.#creds),
    });
    this.authentications += 1;
    if (response.status !== 201 && response.status !== 200) {
      const err: ApiError = errorFromResponse(
        { ...context, status: response.status, requestId: response.requestId },
        response.text,
      );
      if (err instanceof UnauthorizedError) {
        throw new UnauthorizedError({
          ...context,
          status: 401,
          requestId: response.requestId,
          code: err.code,
          title: err.title,
          apiMessage: err.apiMessage,
          message:
            `auth failed: Keystone refused the credentials of user \`${this.#creds.username}\` in domain ` +
            `\`${this.#creds.accountId}\`` +
            `${this.#creds.projectId === undefined ? "" : ` for project ${this.#creds.projectId}`}; ` +
            `check username, password and accountId [POST ${url.pathname}` +
            `${response.requestId === undefined ? "" : `, request id ${response.requestId}`}]`,
        });
      }
      throw err;
    }
    const subject = response.headers["x-subject-token"];
    const token = parseKeystoneToken(
      Array.isArray(subject) ? subject[0] : subject,
      response.text,
      response.receivedAt,
      {
        ...context,
        requestId: response.requestId,
      },
    );
    this.#token = token;
    return token;
  }
}

/** Reads a static token's own record (`GET /auth/tokens`), for its project and catalog. */
export async function introspectToken(
  authUrl: string,
  token: string,
  send: TokenSender,
  now: () => number,
): Promise<KeystoneToken> {
  const url = tokensUrl(authUrl);
  const context = { operation: "auth", method: "GET", path: url.pathname };
  const response = await send(url, { method: "GET", headers: { "x-auth-token": token, "x-subject-token": token } });
  if (response.status !== 200) {
    throw errorFromResponse({ ...context, status: response.status, requestId: response.requestId }, response.text);
  }
  return parseKeystoneToken(token, response.text, now(), { ...context, requestId: response.requestId });
}
