// The plumbing under the typed client: settings, the Keystone session, the endpoint's layout and dialect, and one
// request sent, retried on a renewed token, its answer checked. Not exported from the package.
import type { Dispatcher } from "undici";
import { z } from "zod";
import {
  describeShape,
  detectOnce,
  detectShape,
  dialectOfLayout,
  forgetDetectedShape,
  isRouteNotFound,
  otherDialect,
  refusesRetentionName,
  unknownFieldError,
  type ServiceShape,
} from "./dialect";
import { findServiceEndpoint, introspectToken, KeystoneSession, type KeystoneToken, type TokenSender } from "./auth";
import { readAnswer } from "./answer";
import { ConfigError, RequestSchemaError } from "./errors";
import { redact } from "./redact";
import {
  DEFAULT_BACKOFF,
  injectedDispatcher,
  sendRequest,
  sharedDispatcher,
  type Backoff,
  type HttpResponse,
  type HttpSettings,
} from "./http";
import {
  buildPath,
  buildQuery,
  parseBaseUrl,
  ROUTES,
  type BaseUrl,
  type OperationName,
  type PathLayout,
  type PathLayoutSetting,
} from "./routes";
import { planSchema, toWireBody, type Dialect } from "./schemas";
import { userAgent } from "./version";
import { realClock, type Clock, type WaitContext } from "./waiters";
import { checkClientConfig, type ClientConfig } from "./client-config";
import { INSECURE_WARNING } from "./settings";

interface Session {
  token: string;
  base: BaseUrl;
  projectId: string | undefined;
}

interface CallOptions<T> {
  id?: string;
  query?: Record<string, string | number | undefined>;
  /** The wire body, spelled for the dialect the endpoint speaks. */
  body?: (shape: ServiceShape) => Record<string, unknown>;
  /** Absent (and no `check`): the answer's body is ignored (delete plan). */
  schema?: z.ZodType<T>;
  /**
   * Instead of `schema`: a schema with no transforms that accepts exactly the answers typed `T`; the answer is
   * the parsed JSON itself once it passes (unknown keys kept, nothing copied). See `checkpointSchemas`.
   */
  check?: z.ZodType<T>;
  timeoutMs?: number;
}

/** One per client: holds the credentials in private fields, so no inspection of the client shows them. */
export class ApiCore {
  // Private fields: `util.inspect(client)` and JSON.stringify never show the credentials.
  readonly #token: string | undefined;
  readonly #keystone: KeystoneSession | undefined;
  readonly #authUrl: string | undefined;
  readonly #endpoint: BaseUrl | undefined;
  readonly #region: string | undefined;
  readonly #configuredProject: string | undefined;
  readonly #layout: PathLayoutSetting;
  /** A pinned layout's shape; with "auto" the shape is per endpoint and shared (dialect.ts). */
  readonly #pinned: ServiceShape | undefined;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoff: Backoff;
  readonly #random: () => number;
  readonly #clock: Clock;
  readonly #userAgent: string;
  readonly #tls: { caCertFile: string | undefined; insecure: boolean };
  readonly #injected: Dispatcher | undefined;
  readonly #secrets: string[];
  readonly #log: ((line: string) => void) | undefined;
  #introspection: Promise<KeystoneToken> | undefined;
  #catalogBase: BaseUrl | undefined;
  /** The last session and shape a call used: waiters name the plan's full path in their errors. */
  #lastSession: Session | undefined;
  #lastShape: ServiceShape | undefined;

  constructor(config: ClientConfig) {
    const { token, authUrl, username, password, accountId, region, maxRetries, timeoutMs, ...settings } =
      checkClientConfig(config);
    this.#configuredProject = settings.projectId;
    this.#layout = settings.layout;
    this.#pinned =
      this.#layout === "auto"
        ? undefined
        : { layout: this.#layout, dialect: dialectOfLayout(this.#layout), source: "pinned" };
    this.#endpoint = settings.endpoint;
    this.#token = token;
    this.#authUrl = authUrl;
    this.#region = region;
    this.#maxRetries = maxRetries;
    this.#timeoutMs = timeoutMs;
    this.#backoff = { ...DEFAULT_BACKOFF, ...config.retryBackoff };
    this.#random = config.random ?? Math.random;
    this.#clock = config.clock ?? realClock;
    this.#userAgent = userAgent(config.userAgent);
    this.#tls = { caCertFile: settings.caCertFile, insecure: settings.insecure };
    this.#injected = config.dispatcher;
    this.#secrets = [token, password].filter((s): s is string => s !== undefined);
    const log = config.log;
    this.#log = log === undefined ? undefined : (line) => log(this.#redact(line));
    if (token === undefined) {
      this.#keystone = new KeystoneSession(
        {
          authUrl: authUrl!,
          username: username!,
          password: password!,
          accountId: accountId!,
          projectId: this.#configuredProject,
        },
        this.#tokenSender(),
        () => this.#clock.now(),
        (err) =>
          this.#log?.(
            `Keystone token renewal failed, keeping the current token until it expires: ` +
              `${err instanceof Error ? err.message : String(err)}`,
          ),
      );
    }
    if (this.#tls.insecure) this.#log?.(`warning: ${INSECURE_WARNING}`);
    // Fail now, not on the first call, when the CA file cannot be read.
    if (this.#endpoint !== undefined) this.#dispatcherFor(this.#endpoint.origin);
  }

  /** How many Keystone authentications this client made (0 with a static token). */
  get authentications(): number {
    return this.#keystone?.authentications ?? 0;
  }

  /** The setting: "auto" unless pinned. */
  get pathLayout(): PathLayoutSetting {
    return this.#layout;
  }

  /** The layout and dialect calls use (detecting them first with "auto"; one GET at most per endpoint). */
  async serviceShape(): Promise<{ layout: PathLayout; dialect: Dialect; source: string }> {
    const shape = await this.#shapeFor(await this.#session());
    return { ...shape };
  }

  /** The project calls are made for: `projectId` from the config, else the one the token is scoped to. */
  async projectId(): Promise<string> {
    const session = await this.#session();
    if (session.projectId === undefined) {
      throw new ConfigError("the project is unknown: the token is not scoped to a project; set `projectId`", [
        "projectId",
      ]);
    }
    return session.projectId;
  }

  // ---------- internals ----------

  waitContext(): WaitContext {
    return {
      read: (id, timeoutMs) => this.call("getPlan", { id, schema: planSchema, timeoutMs }),
      clock: this.#clock,
      callTimeoutMs: this.#timeoutMs,
      pathOf: (id) => {
        const session = this.#lastSession;
        const project = session?.projectId ?? this.#configuredProject ?? "{project_id}";
        const layout = this.#lastShape?.layout ?? this.#pinned?.layout ?? "token";
        return buildPath(
          "getPlan",
          layout,
          session?.base.basePath ?? this.#endpoint?.basePath ?? "",
          project,
          id || "{id}",
        );
      },
    };
  }

  /** Removes configured secrets, and `extra` ones (the Keystone token in use), from text we pass on. */
  #redact(text: string, ...extra: string[]): string {
    return redact(text, [...this.#secrets, ...extra]);
  }

  #dispatcherFor(origin: string): Dispatcher {
    return this.#injected !== undefined ? injectedDispatcher(this.#injected) : sharedDispatcher(origin, this.#tls);
  }

  #httpSettings(origin: string): HttpSettings {
    return {
      dispatcher: this.#dispatcherFor(origin),
      maxRetries: this.#maxRetries,
      backoff: this.#backoff,
      // Real time, not the injected clock: the HTTP layer's deadlines are enforced by real timers (undici's
      // and the backoff's), so they must be measured on the same clock. The injected clock is the one of
      // waiters and token expiry, which tests may freeze or advance.
      now: Date.now,
      random: this.#random,
      log: this.#log,
    };
  }

  /** Keystone calls: retried like idempotent ones (issuing a token twice is harmless), bodies redacted. */
  #tokenSender(): TokenSender {
    return async (url, init) => {
      const response = await sendRequest(this.#httpSettings(url.origin), {
        operation: "auth",
        method: init.method,
        origin: url.origin,
        path: url.pathname,
        headers: { accept: "application/json", "user-agent": this.#userAgent, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
        idempotent: true,
        timeoutMs: this.#timeoutMs,
      });
      return response.status >= 400 ? { ...response, text: this.#redact(response.text) } : response;
    };
  }

  async #session(): Promise<Session> {
    if (this.#keystone !== undefined) {
      const token = await this.#keystone.token();
      return {
        token: token.value,
        base: this.#endpoint ?? this.#baseFromCatalog(token),
        projectId: this.#configuredProject ?? token.projectId,
      };
    }
    const token = this.#token!;
    const needsRecord =
      this.#endpoint === undefined || (this.#configuredProject === undefined && this.#authUrl !== undefined);
    if (!needsRecord) return { token, base: this.#endpoint, projectId: this.#configuredProject };
    if (this.#introspection === undefined) {
      this.#introspection = introspectToken(this.#authUrl!, token, this.#tokenSender(), () => this.#clock.now());
      // A failed lookup must not stick: the next call tries again.
      this.#introspection.catch(() => {
        this.#introspection = undefined;
      });
    }
    const record = await this.#introspection;
    return {
      token,
      base: this.#endpoint ?? this.#baseFromCatalog(record),
      projectId: this.#configuredProject ?? record.projectId,
    };
  }

  #baseFromCatalog(token: KeystoneToken): BaseUrl {
    if (this.#catalogBase === undefined) {
      const url = findServiceEndpoint(token.catalog, this.#region!);
      try {
        this.#catalogBase = parseBaseUrl(url, "catalog endpoint");
      } catch (err) {
        throw new ConfigError(`${(err as Error).message}; set \`endpoint\` explicitly`, ["endpoint"]);
      }
    }
    return this.#catalogBase;
  }

  /** The endpoint's shape: pinned, or detected once per endpoint (origin + base path) for the process. */
  #shapeFor(session: Session, operation = "serviceShape"): Promise<ServiceShape> {
    if (this.#pinned !== undefined) return Promise.resolve(this.#pinned);
    const { base, projectId } = session;
    return detectOnce(this.#shapeKey(base), () =>
      detectShape({
        basePath: base.basePath,
        projectId,
        probe: (layout) => {
          this.#log?.(`detecting the path layout: trying the ${layout} layout`);
          const probing: ServiceShape = { layout, dialect: dialectOfLayout(layout), source: "detected" };
          return this.#send(
            "listPlans",
            session,
            probing,
            { query: { limit: 1 }, schema: z.unknown() },
            false,
            `${operation} (detecting the path layout)`,
          );
        },
      }),
    );
  }

  #shapeKey(base: BaseUrl): string {
    return `${base.origin}${base.basePath}`;
  }

  async call<T>(operation: OperationName, opts: CallOptions<T>): Promise<T> {
    const session = await this.#session();
    if (this.#layout === "project" && session.projectId === undefined) {
      throw new ConfigError("the project is unknown: the token is not scoped to a project; set `projectId`", [
        "projectId",
      ]);
    }
    const shape = await this.#shapeFor(session, operation);
    try {
      return await this.#send(operation, session, shape, opts, true);
    } catch (err) {
      // A route 404 on a detected layout: the endpoint may have changed since (or another service now answers
      // on a reused address). Detect again, once; a route 404 commits nothing, so the call may be repeated.
      if (this.#pinned !== undefined || !isRouteNotFound(err)) throw err;
      forgetDetectedShape(this.#shapeKey(session.base));
      const again = await this.#shapeFor(session, operation);
      if (again.layout === shape.layout) throw err;
      this.#log?.(
        `${operation}: route 404 on the ${shape.layout} layout; the endpoint now serves the ${again.layout} layout`,
      );
      return this.#send(operation, session, again, opts, true);
    }
  }

  /**
   * Plan writes: validated under the seed's names, sent under the dialect's. A 422 refusing the retention name
   * commits nothing, so the write goes out once more under the other dialect's name (dialect.ts explains when
   * the first guess can be wrong); a field the dialect does not know, refused, is named in a clear error.
   */
  async write<T>(
    operation: "createPlan" | "updatePlan",
    id: string | undefined,
    valid: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    let sent: ServiceShape | undefined;
    let sentDialect: Dialect | undefined;
    const body = (shape: ServiceShape): Record<string, unknown> => {
      sent = shape;
      sentDialect = shape.dialect;
      return toWireBody(valid, shape.dialect);
    };
    const opts = { ...(id === undefined ? {} : { id }), body, schema };
    try {
      return await this.call(operation, opts);
    } catch (err) {
      if (sent === undefined || sentDialect === undefined) throw err;
      if (refusesRetentionName(err, sentDialect)) {
        if (sent.dialect === sentDialect) sent.dialect = otherDialect(sentDialect);
        this.#log?.(
          `${operation}: the service refused the ${sentDialect} dialect's field names; ` +
            `sending the ${sent.dialect} dialect's`,
        );
        return this.call(operation, opts);
      }
      throw unknownFieldError(err, valid, sent, sentDialect);
    }
  }

  async #send<T>(
    route_: OperationName,
    start: Session,
    shape: ServiceShape,
    opts: CallOptions<T>,
    named: boolean,
    label: string = route_,
  ): Promise<T> {
    const route = ROUTES[route_];
    // Errors and logs name the caller's operation (a probe reports the call it was made for).
    const operation = label;
    let session = start;
    this.#lastSession = session;
    this.#lastShape = shape;
    let path: string;
    try {
      path = buildPath(route_, shape.layout, session.base.basePath, session.projectId, opts.id);
    } catch (err) {
      throw new RequestSchemaError(operation, opts.id === undefined ? "projectId" : "id", [(err as Error).message]);
    }
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body(shape));
    const send = (token: string): Promise<HttpResponse> => {
      const headers: Record<string, string> = {
        accept: "application/json",
        "user-agent": this.#userAgent,
        "x-auth-token": token,
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      return sendRequest(this.#httpSettings(session.base.origin), {
        operation,
        method: route.method,
        origin: session.base.origin,
        path,
        query: opts.query === undefined ? "" : buildQuery(opts.query),
        headers,
        ...(body === undefined ? {} : { body }),
        idempotent: route.idempotent,
        timeoutMs: opts.timeoutMs ?? this.#timeoutMs,
      });
    };
    let response = await send(session.token);
    if (response.status === 401 && this.#keystone !== undefined) {
      // An expired or revoked token: authenticate again, once, and repeat the call once.
      this.#log?.(`${route.method} ${path}: 401, renewing the Keystone token`);
      this.#keystone.invalidate(session.token);
      session = await this.#session();
      response = await send(session.token);
    }
    // Errors name the layout once it was settled by detection (a probe's own errors are about the probe).
    const layout = named && shape.source !== "pinned" ? describeShape(shape) : undefined;
    const call = {
      operation,
      method: route.method,
      path,
      requestId: response.requestId,
      ...(layout === undefined ? {} : { layout }),
    };
    return readAnswer(response, call, {
      schema: opts.schema,
      ...(opts.check === undefined ? {} : { check: opts.check }),
      redact: (text) => this.#redact(text, session.token),
      staticToken: this.#token !== undefined,
    });
  }
}
