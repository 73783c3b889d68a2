// The parts of undici the client uses: the Agent, the retry interceptor and the request API, loaded from
// their own files. undici's root module loads all of undici (fetch, WebSocket, caches, mocks, proxies:
// about 110 files, and its cookies module wakes Node's own bundled copy of undici): some 60 ms of CPU in a
// plugin that makes a few hundred requests, against about 20 ms for these files. The root module wires
// them the same way (`Object.assign(Dispatcher.prototype, api)`), so these are undici's own classes
// (tests/provider/api/undici.test.ts holds them to the root's exports). When the files are not where undici
// 7 keeps them, the root module is used: slower, never broken.
import type * as Undici from "undici";

interface UndiciParts {
  Agent: typeof Undici.Agent;
  retry: typeof Undici.interceptors.retry;
  /** Where the parts came from: undici's own files, or its root module (the fallback). */
  source: "files" | "root";
}

let parts: UndiciParts | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, by file (see above) */
function fromFiles(): UndiciParts | undefined {
  try {
    const Agent = require("undici/lib/dispatcher/agent") as unknown;
    const retry = require("undici/lib/interceptor/retry") as unknown;
    const Dispatcher = require("undici/lib/dispatcher/dispatcher") as unknown;
    if (typeof Agent !== "function" || typeof retry !== "function" || typeof Dispatcher !== "function") {
      return undefined;
    }
    const prototype = (Dispatcher as { prototype: Record<string, unknown> }).prototype;
    if (typeof prototype["request"] !== "function") {
      const api = require("undici/lib/api") as unknown;
      if (typeof api !== "object" || api === null || typeof (api as Record<string, unknown>)["request"] !== "function")
        return undefined;
      Object.assign(prototype, api);
    }
    if (!((Agent as { prototype: object }).prototype instanceof (Dispatcher as new () => object))) return undefined;
    return { Agent: Agent as typeof Undici.Agent, retry: retry as typeof Undici.interceptors.retry, source: "files" };
  } catch {
    return undefined;
  }
}

export function undiciParts(): UndiciParts {
  if (parts === undefined) {
    const files = fromFiles();
    if (files !== undefined) parts = files;
    else {
      const root = require("undici") as typeof Undici;
      parts = { Agent: root.Agent, retry: root.interceptors.retry, source: "root" };
    }
  }
  return parts;
}

/** The proxy-aware agent, only when a proxy is configured: it comes with the root module. */
export function envHttpProxyAgent(): typeof Undici.EnvHttpProxyAgent {
  return (require("undici") as typeof Undici).EnvHttpProxyAgent;
}
/* eslint-enable @typescript-eslint/no-require-imports */
