import assert from "node:assert/strict";
import { EmulatorOptionsError, startEmulator } from "../../emulator";
import { UsageError, parseCli } from "../../emulator/main";

describe("emulator: options and flags", () => {
  it("refuses bad options naming the option and the fix", async () => {
    const cases: [Parameters<typeof startEmulator>[0], RegExp][] = [
      [{ port: 70000 }, /port must be an integer from 0 to 65535/],
      [{ regions: [] }, /regions must list at least one/],
      [{ tokenTtlSeconds: 0 }, /tokenTtlSeconds must be a positive number/],
      [{ token: "" }, /token must not be empty/],
      [{ dataFile: "/definitely/not/here/state.json" }, /directory \/definitely\/not\/here does not exist/],
      [{ startTime: new Date("not a date") }, /startTime is not a valid date/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(
        startEmulator(options),
        (error: unknown) => error instanceof EmulatorOptionsError && message.test(error.message),
      );
    }
  });

  it("parses the CLI flags into options", () => {
    const parsed = parseCli([
      "--port",
      "0",
      "--host",
      "0.0.0.0",
      "--data",
      "state.json",
      "--region",
      "ru-3",
      "--region",
      "ru-9",
      "--volume",
      "db",
      "--volume",
      "11111111-2222-4333-8444-555555555555=logs",
      "--token-ttl",
      "60",
      "--start-time",
      "2026-02-01T00:00:00Z",
      "--quiet",
    ]);
    assert.notEqual(parsed, "help");
    if (parsed === "help") return;
    assert.equal(parsed.quiet, true);
    assert.deepEqual(parsed.options, {
      port: 0,
      host: "0.0.0.0",
      dataFile: "state.json",
      regions: ["ru-3", "ru-9"],
      volumes: [{ name: "db" }, { id: "11111111-2222-4333-8444-555555555555", name: "logs" }],
      tokenTtlSeconds: 60,
      startTime: new Date("2026-02-01T00:00:00Z"),
    });
    assert.equal(parseCli(["-h"]), "help");
    assert.equal((parseCli([]) as { options: { port: number } }).options.port, 8686);
  });

  it("explains unknown flags and bad values", () => {
    assert.throws(
      () => parseCli(["--colour"]),
      (error: unknown) => error instanceof UsageError && /colour/.test(error.message),
    );
    assert.throws(() => parseCli(["--token-ttl", "soon"]), /--token-ttl must be a number/);
    assert.throws(() => parseCli(["--start-time", "yesterday"]), /--start-time must be an ISO date/);
  });
});
