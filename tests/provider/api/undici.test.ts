// The client loads undici's Agent, retry interceptor and request API from their own files (provider/api/undici.ts):
// they must be undici's own exports, wired as its root module wires them, and the root module must stay unloaded.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..", "..");

/** Runs `script` in a fresh node from the repository root and returns what it printed. */
function inFreshNode(script: string): string {
  return execFileSync(process.execPath, ["-e", `(async () => { ${script} })()`], { cwd: root, encoding: "utf8" });
}

describe("undici, loaded by part", function () {
  this.timeout(30_000);

  it("the client's parts come from undici's files, are its root exports, and a request works through them", () => {
    const printed = inFreshNode(`
      const { undiciParts } = require("./dist/provider/api/undici");
      const parts = undiciParts();
      const rootLoadedBefore = Object.keys(require.cache).some((f) => /node_modules\\/undici\\/index\\.js$/.test(f));
      const undiciFiles = Object.keys(require.cache).filter((f) => f.includes("node_modules/undici/")).length;
      const http = require("node:http");
      const server = http.createServer((req, res) => res.end(JSON.stringify({ path: req.url })));
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      const agent = new parts.Agent().compose(parts.retry({ maxRetries: 0 }));
      const answer = await agent.request({ origin: "http://127.0.0.1:" + server.address().port, path: "/x", method: "GET" });
      const body = await answer.body.json();
      await agent.close();
      server.close();
      const undici = require("undici");
      process.stdout.write(JSON.stringify({
        source: parts.source,
        rootLoadedBefore,
        undiciFiles,
        sameAgent: parts.Agent === undici.Agent,
        sameRetry: parts.retry === undici.interceptors.retry,
        status: answer.statusCode,
        body,
      }));
    `);
    const result = JSON.parse(printed) as Record<string, unknown>;
    assert.deepEqual(result, {
      source: "files",
      rootLoadedBefore: false,
      undiciFiles: result["undiciFiles"],
      sameAgent: true,
      sameRetry: true,
      status: 200,
      body: { path: "/x" },
    });
    assert.ok(
      (result["undiciFiles"] as number) < 60,
      `the parts loaded ${String(result["undiciFiles"])} of undici's files (the root module loads about 110)`,
    );
  });

  it("after the root module, the parts are still its exports", () => {
    const printed = inFreshNode(`
      const undici = require("undici");
      const { undiciParts } = require("./dist/provider/api/undici");
      const parts = undiciParts();
      process.stdout.write(String(parts.Agent === undici.Agent && parts.retry === undici.interceptors.retry));
    `);
    assert.equal(printed, "true");
  });
});
