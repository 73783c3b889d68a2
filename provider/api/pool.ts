// The shared keep-alive dispatchers: one per origin and TLS setting, composed with the retry rules.
import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import { ConfigError } from "./errors";
import { errorCode, withRetries } from "./retry";
import { envHttpProxyAgent, undiciParts } from "./undici";

/** undici's defaults are 300 s; a control-plane call that has not answered in these is not going to. */
const CONNECT_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 30_000;
const BODY_TIMEOUT_MS = 60_000;
/** Per origin. Pulumi runs up to 4 x CPUs resource operations at once; more sockets would only queue server-side. */
const MAX_CONNECTIONS_PER_ORIGIN = 16;

interface TlsSettings {
  caCertFile?: string | undefined;
  insecure?: boolean | undefined;
}

const caCache = new Map<string, Buffer>();
function readCa(file: string): Buffer {
  let ca = caCache.get(file);
  if (ca === undefined) {
    try {
      ca = readFileSync(file);
    } catch (err) {
      throw new ConfigError(
        `caCertFile ${file} cannot be read (${errorCode(err) ?? "error"}); point it at a PEM bundle`,
        ["caCertFile"],
      );
    }
    caCache.set(file, ca);
  }
  return ca;
}

function proxyEnv(env: NodeJS.ProcessEnv): string {
  return ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]
    .map((k) => env[k] ?? "")
    .join("|");
}

const shared = new Map<string, Dispatcher>();
const composedInjected = new WeakMap<Dispatcher, Dispatcher>();

/**
 * One keep-alive dispatcher per origin and TLS setting, shared by every client in the process (a Pulumi
 * program may build many). Through `EnvHttpProxyAgent` when a proxy variable is set, which also honours
 * NO_PROXY. Never installed as undici's global dispatcher: that is the user's program's to own.
 */
export function sharedDispatcher(origin: string, tls: TlsSettings, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const proxies = proxyEnv(env);
  const key = `${origin}\n${tls.caCertFile ?? ""}\n${tls.insecure === true ? "insecure" : "verify"}\n${proxies}`;
  let dispatcher = shared.get(key);
  if (dispatcher === undefined) {
    const tlsOptions: { ca?: Buffer; rejectUnauthorized?: boolean } = {};
    if (tls.caCertFile !== undefined) tlsOptions.ca = readCa(tls.caCertFile);
    if (tls.insecure === true) tlsOptions.rejectUnauthorized = false;
    const options = {
      connections: MAX_CONNECTIONS_PER_ORIGIN,
      headersTimeout: HEADERS_TIMEOUT_MS,
      bodyTimeout: BODY_TIMEOUT_MS,
      // undici's 4 s idle keep-alive stays below common server idle timeouts (and it honours a server's
      // `Keep-Alive: timeout=` hint), so a create is rarely written to a socket the server is closing:
      // such a reset after sending would make the create ambiguous for nothing.
      connect: { timeout: CONNECT_TIMEOUT_MS, ...tlsOptions },
    };
    const usesProxy = proxies
      .split("|")
      .slice(0, 4)
      .some((v) => v !== "");
    // Through a proxy the API's TLS runs inside the tunnel: undici takes its options as `requestTls`
    // (`connect` then only serves the hosts NO_PROXY sends direct).
    const base: Dispatcher = usesProxy
      ? new (envHttpProxyAgent())({ ...options, requestTls: { timeout: CONNECT_TIMEOUT_MS, ...tlsOptions } })
      : new (undiciParts().Agent)(options);
    dispatcher = withRetries(base);
    shared.set(key, dispatcher);
  }
  return dispatcher;
}

/** An injected dispatcher (tests: MockAgent) gets the same retry stack, composed once. */
export function injectedDispatcher(base: Dispatcher): Dispatcher {
  let dispatcher = composedInjected.get(base);
  if (dispatcher === undefined) {
    dispatcher = withRetries(base);
    composedInjected.set(base, dispatcher);
  }
  return dispatcher;
}

/** Closes the shared dispatchers (CLI exit, tests). Later calls open new ones. */
export async function closeSharedDispatchers(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
