// The transport's edges: shared dispatchers, TLS (custom CA, insecure), proxies from the environment.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect as netConnect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { NetworkError, ScheduledBackupClient } from "../../../provider/api";
import { closeSharedDispatchers, sharedDispatcher } from "../../../provider/api/http";
import { rejection } from "./helpers";
import { TEST_CERT, TEST_KEY } from "./tls-fixture";

const LIST = JSON.stringify({ plans: [], total: 0 });

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("api/http transport", () => {
  afterEach(async () => {
    await closeSharedDispatchers();
  });

  it("shares one dispatcher per origin and TLS setting", () => {
    const a = sharedDispatcher("https://a.test", {}, {});
    assert.equal(sharedDispatcher("https://a.test", {}, {}), a);
    assert.notEqual(sharedDispatcher("https://b.test", {}, {}), a);
    assert.notEqual(sharedDispatcher("https://a.test", { insecure: true }, {}), a);
    assert.notEqual(sharedDispatcher("https://a.test", {}, { HTTPS_PROXY: "http://proxy.test:3128" }), a);
  });

  describe("TLS", () => {
    let server: Server;
    let port: number;
    let dir: string;
    let caFile: string;
    before(async () => {
      server = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end(LIST);
      });
      port = await listen(server);
      dir = mkdtempSync(path.join(tmpdir(), "sb-tls-"));
      caFile = path.join(dir, "ca.pem");
      writeFileSync(caFile, TEST_CERT);
    });
    after(async () => {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    });

    const client = (extra: Record<string, unknown>, log?: (l: string) => void): ScheduledBackupClient =>
      new ScheduledBackupClient({
        pathLayout: "project",
        endpoint: `https://127.0.0.1:${port}/v2`,
        token: "t0ken-value",
        projectId: "p",
        ...extra,
        ...(log ? { log } : {}),
      });

    it("refuses an unknown CA, says how to fix it, and does not retry", async () => {
      const lines: string[] = [];
      const err = await rejection(client({}, (l) => lines.push(l)).listPlans());
      assert.ok(err instanceof NetworkError, String(err));
      assert.match(err.message, /set caCertFile to your CA bundle/);
      assert.equal(lines.filter((l) => /retry \d/.test(l)).length, 0);
    });

    it("trusts the CA of caCertFile", async () => {
      assert.deepEqual(await client({ caCertFile: caFile }).listPlans(), { plans: [], total: 0 });
    });

    it("skips verification only when insecure is set, and says so", async () => {
      const lines: string[] = [];
      assert.deepEqual(await client({ insecure: true }, (l) => lines.push(l)).listPlans(), { plans: [], total: 0 });
      assert.match(lines[0] ?? "", /warning: TLS certificate verification is disabled/);
    });
  });

  describe("proxy from the environment", () => {
    let api: Server;
    let proxy: Server;
    let apiPort: number;
    let proxyPort: number;
    const tunnels: string[] = [];
    const saved: Record<string, string | undefined> = {};
    const vars = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];

    before(async () => {
      api = createHttpServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(LIST));
      apiPort = await listen(api);
      proxy = createHttpServer();
      proxy.on("connect", (req, socket, head) => {
        tunnels.push(req.url ?? "");
        const [host, port] = (req.url ?? "").split(":");
        const upstream = netConnect(Number(port), host, () => {
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        upstream.on("error", () => socket.destroy());
        socket.on("error", () => upstream.destroy());
      });
      proxyPort = await listen(proxy);
      for (const v of vars) saved[v] = process.env[v];
    });
    after(async () => {
      for (const v of vars) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
      await close(api);
      await close(proxy);
    });
    beforeEach(() => {
      tunnels.length = 0;
      for (const v of vars) delete process.env[v];
    });

    const client = (): ScheduledBackupClient =>
      new ScheduledBackupClient({
        pathLayout: "project",
        endpoint: `http://127.0.0.1:${apiPort}/v2`,
        token: "t0ken-value",
        projectId: "p",
      });

    it("goes through HTTP_PROXY when it is set", async () => {
      process.env["HTTP_PROXY"] = `http://127.0.0.1:${proxyPort}`;
      assert.deepEqual(await client().listPlans(), { plans: [], total: 0 });
      assert.deepEqual(tunnels, [`127.0.0.1:${apiPort}`]);
    });

    it("bypasses the proxy for hosts in NO_PROXY", async () => {
      process.env["HTTP_PROXY"] = `http://127.0.0.1:${proxyPort}`;
      process.env["NO_PROXY"] = "127.0.0.1";
      assert.deepEqual(await client().listPlans(), { plans: [], total: 0 });
      assert.deepEqual(tunnels, []);
    });

    it("verifies the API's certificate with caCertFile inside an HTTPS_PROXY tunnel", async () => {
      const secure = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => res.writeHead(200).end(LIST));
      const securePort = await listen(secure);
      const dir = mkdtempSync(path.join(tmpdir(), "sb-tls-"));
      const caFile = path.join(dir, "ca.pem");
      writeFileSync(caFile, TEST_CERT);
      try {
        process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxyPort}`;
        const endpoint = `https://127.0.0.1:${securePort}/v2`;
        const unverified = await rejection(
          new ScheduledBackupClient({
            pathLayout: "project",
            endpoint,
            token: "t0ken-value",
            projectId: "p",
          }).listPlans(),
        );
        assert.ok(unverified instanceof NetworkError, String(unverified));
        const trusted = new ScheduledBackupClient({
          pathLayout: "project",
          endpoint,
          token: "t0ken-value",
          projectId: "p",
          caCertFile: caFile,
        });
        assert.deepEqual(await trusted.listPlans(), { plans: [], total: 0 });
        assert.ok(tunnels.length >= 2 && tunnels.every((t) => t === `127.0.0.1:${securePort}`), tunnels.join(","));
      } finally {
        await close(secure);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("connects directly when no proxy variable is set", async () => {
      assert.deepEqual(await client().listPlans(), { plans: [], total: 0 });
      assert.deepEqual(tunnels, []);
    });
  });
});
