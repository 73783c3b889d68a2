/**
 * The in-test HTTP API behind the fixture's dynamic provider: an item store on 127.0.0.1 that
 * records every call, checks the bearer token, and fails on demand (value `explode`).
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readState } from "../../engine/index.js";
import type { ResourceRecord, RunOptions } from "../../engine/types.js";
import { fixtureDir, freshStack, uniqueStack } from "../fixture.js";

export interface StoredItem {
  id: string;
  name: string;
  value: string;
  kind: string;
  secretValue?: string;
  etag: string;
}
export interface ApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface ItemsApi {
  url: string;
  items: Map<string, StoredItem>;
  calls: ApiCall[];
  /** Calls that change something (POST/PUT/DELETE). */
  writes(): ApiCall[];
  /** Most requests seen in progress at once (each waits `delayMs`). */
  maxConcurrent: number;
  /** While true, every DELETE answers 500 (a delete that fails after its replacement exists). */
  rejectDeletes: boolean;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export interface ItemsApiOptions {
  /** Bearer token every request must carry. */
  token?: string;
  /** Delay before answering, so overlapping requests show up in `maxConcurrent`. */
  delayMs?: number;
  /** Extra delay for creates (POST), long enough that independent creates surely overlap. */
  createDelayMs?: number;
}

export async function startItemsApi(options: ItemsApiOptions = {}): Promise<ItemsApi> {
  const expectedToken = options.token;
  let inProgress = 0;
  const items = new Map<string, StoredItem>();
  const calls: ApiCall[] = [];
  let next = 1;
  let version = 1;
  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const api: ItemsApi = {
    url: "",
    items,
    calls,
    maxConcurrent: 0,
    rejectDeletes: false,
    writes: () => calls.filter((c) => c.method !== "GET"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    inProgress += 1;
    api.maxConcurrent = Math.max(api.maxConcurrent, inProgress);
    res.on("close", () => (inProgress -= 1));
    void (async () => {
      const body = await readBody(req);
      const delay = (options.delayMs ?? 0) + (req.method === "POST" ? (options.createDelayMs ?? 0) : 0);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const path = req.url ?? "/";
      calls.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body });
      if (expectedToken !== undefined && req.headers.authorization !== `Bearer ${expectedToken}`) {
        return send(res, 401, { error: "bad token" });
      }
      const input = (body ?? {}) as Partial<StoredItem>;
      const match = /^\/items\/([^/]+)$/.exec(path);
      if (req.method === "POST" && path === "/items") {
        if (input.value === "explode") return send(res, 500, { error: "provider refused to create: value 'explode'" });
        const item: StoredItem = {
          name: "",
          value: "",
          kind: "plain",
          ...input,
          id: `item-${next++}`,
          etag: `e${version++}`,
        };
        items.set(item.id, item);
        return send(res, 201, item);
      }
      const id = match?.[1];
      const existing = id ? items.get(id) : undefined;
      if (!id || !existing) return send(res, 404, { error: "not found" });
      if (req.method === "GET") return send(res, 200, existing);
      if (req.method === "PUT") {
        if (input.value === "explode") return send(res, 500, { error: "provider refused to update: value 'explode'" });
        const item: StoredItem = { ...existing, ...input, id, etag: `e${version++}` };
        items.set(id, item);
        return send(res, 200, item);
      }
      if (req.method === "DELETE") {
        if (api.rejectDeletes) return send(res, 500, { error: `item ${id} cannot be deleted right now` });
        items.delete(id);
        return send(res, 204);
      }
      return send(res, 405, { error: "method not allowed" });
    })().catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  api.url = `http://127.0.0.1:${port}`;
  return api;
}

/**
 * A stack of the `items` fixture program over an items API of its own, for one `describe` block: its
 * mocha hooks start the API before the block's tests, then close it and forget the stack after them.
 */
export interface ItemsStack {
  readonly cwd: string;
  readonly stack: string;
  /** The block's API (started by the `before` hook). */
  readonly api: ItemsApi;
  /** Run options: the API's URL and the program's `spec` as config, then `extra` (which may replace them). */
  options: (spec: unknown[], extra?: Partial<RunOptions>) => RunOptions;
  /** The state's record of the resource named `name`. */
  record: (name: string) => ResourceRecord | undefined;
}

export function useItemsStack(label: string, apiOptions: ItemsApiOptions = {}): ItemsStack {
  const cwd = fixtureDir("items");
  const stack = uniqueStack(label);
  let started: ItemsApi | undefined;
  before(async () => {
    started = await startItemsApi(apiOptions);
  });
  after(async () => {
    await started?.close();
    freshStack(cwd, stack);
  });
  const api = (): ItemsApi => started ?? assert.fail("the items API starts in the block's `before` hook");
  return {
    cwd,
    stack,
    get api() {
      return api();
    },
    options: (spec, extra = {}) => ({
      cwd,
      stack,
      config: { "itemsfixture:apiUrl": api().url, spec: JSON.stringify(spec) },
      ...extra,
    }),
    record: (name) => readState(cwd, stack).deployment.resources.find((r) => r.urn.endsWith(`::${name}`)),
  };
}
