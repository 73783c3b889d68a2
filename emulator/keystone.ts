// Keystone v3 as the service's clients use it: password auth of a service user (user domain = account id),
// project scope by id, token in `X-Subject-Token`, catalog listing a `data-protectv2` endpoint per region.

import { randomBytes } from "node:crypto";
import { isRecord } from "../provider/values";

export interface Credentials {
  username: string;
  password: string;
  accountId: string;
}

export interface TokenRecord {
  token: string;
  projectId: string;
  issuedAtMs: number;
  /** null: the emulator's static token, which does not expire. */
  expiresAtMs: number | null;
}

type TokenLookup =
  { kind: "valid"; record: TokenRecord } | { kind: "unknown" } | { kind: "expired"; record: TokenRecord };

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(staticToken: string, defaultProjectId: string) {
    this.tokens.set(staticToken, { token: staticToken, projectId: defaultProjectId, issuedAtMs: 0, expiresAtMs: null });
  }

  issue(projectId: string, ttlSeconds: number, realNowMs: number): TokenRecord {
    const record: TokenRecord = {
      token: `gAAAAA${randomBytes(32).toString("base64url")}`,
      projectId,
      issuedAtMs: realNowMs,
      expiresAtMs: realNowMs + ttlSeconds * 1000,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  lookup(token: string, realNowMs: number): TokenLookup {
    const record = this.tokens.get(token);
    if (record === undefined) return { kind: "unknown" };
    if (record.expiresAtMs !== null && record.expiresAtMs <= realNowMs) return { kind: "expired", record };
    return { kind: "valid", record };
  }

  /** Issued (expiring) tokens, for persistence; expired ones are dropped. */
  issued(realNowMs: number): TokenRecord[] {
    return [...this.tokens.values()].filter((r) => r.expiresAtMs !== null && r.expiresAtMs > realNowMs);
  }

  restore(records: readonly TokenRecord[]): void {
    for (const record of records) if (record.expiresAtMs !== null) this.tokens.set(record.token, record);
  }
}

export class KeystoneError extends Error {
  constructor(
    readonly status: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
    this.name = "KeystoneError";
  }

  /** Keystone's own error shape. */
  body(): { error: { code: number; title: string; message: string } } {
    const titles = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found" } as const;
    return { error: { code: this.status, title: titles[this.status], message: this.message } };
  }
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** Checks a `POST /auth/tokens` body against the configured service user; answers the scoped project id. */
export function authenticate(body: unknown, credentials: Credentials): string {
  const identity = field(field(body, "auth"), "identity");
  const methods = field(identity, "methods");
  if (!Array.isArray(methods) || !methods.includes("password")) {
    throw new KeystoneError(
      400,
      'auth.identity.methods must include "password" (the emulator supports password auth only)',
    );
  }
  const user = field(field(identity, "password"), "user");
  const name = field(user, "name");
  const password = field(user, "password");
  const domainName = field(field(user, "domain"), "name");
  if (typeof name !== "string" || typeof password !== "string") {
    throw new KeystoneError(400, "auth.identity.password.user needs `name` and `password`");
  }
  if (typeof domainName !== "string") {
    throw new KeystoneError(400, "auth.identity.password.user.domain.name is required: set it to the account id");
  }
  if (name !== credentials.username || password !== credentials.password || domainName !== credentials.accountId) {
    // Keystone does not say which part was wrong.
    throw new KeystoneError(401, "The request you have made requires authentication.");
  }
  const projectId = field(field(field(body, "auth"), "scope"), "project");
  const id = field(projectId, "id");
  if (typeof id !== "string" || id.length === 0) {
    throw new KeystoneError(
      400,
      "auth.scope.project.id is required: the Scheduled Backup API needs a project-scoped token (scope " +
        '{"project": {"id": "<project id>"}})',
    );
  }
  return id;
}

export interface CatalogConfig {
  authUrl: string;
  endpoint: string;
  regions: readonly string[];
  /** The `data-protectv2` URL ends with the token's project id (`{endpoint}/{project_id}`). */
  projectInUrl?: boolean;
}

/** The token document; the static token (which never expires) reports a rolling lifetime of `ttlMs`. */
export function tokenBody(
  record: TokenRecord,
  credentials: Credentials,
  catalog: CatalogConfig,
  realNowMs: number,
  ttlMs: number,
): Record<string, unknown> {
  const issuedAtMs = record.expiresAtMs === null ? realNowMs : record.issuedAtMs;
  const expiresAtMs = record.expiresAtMs ?? realNowMs + ttlMs;
  const endpoints = (url: string): Record<string, string>[] =>
    catalog.regions.map((region) => ({ id: `${region}-public`, interface: "public", region_id: region, region, url }));
  return {
    token: {
      methods: ["password"],
      issued_at: new Date(issuedAtMs).toISOString(),
      expires_at: new Date(expiresAtMs).toISOString(),
      user: {
        id: `user-${credentials.username}`,
        name: credentials.username,
        domain: { id: credentials.accountId, name: credentials.accountId },
      },
      project: {
        id: record.projectId,
        name: record.projectId,
        domain: { id: credentials.accountId, name: credentials.accountId },
      },
      roles: [{ id: "member", name: "member" }],
      catalog: [
        { type: "identity", name: "keystone", id: "identity", endpoints: endpoints(catalog.authUrl) },
        {
          type: "data-protectv2",
          name: "data-protect",
          id: "data-protectv2",
          endpoints: endpoints(
            catalog.projectInUrl === true ? `${catalog.endpoint}/${record.projectId}` : catalog.endpoint,
          ),
        },
      ],
    },
  };
}
