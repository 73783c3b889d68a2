// Config warnings through the engine stand-in: a misspelled `scheduledbackup:` key and `insecure` are each
// reported once per run (not once per resource), in preview as in up.
import assert from "node:assert/strict";
import { assertOk, engine, fixtureDir, startHarness, VOLUMES } from "../fixture";
import type { Harness } from "../fixture";

const cwd = fixtureDir("plans");
const stack = "config-warnings";

describe("scheduledbackup: config warnings through the engine", function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.useStack(cwd, stack);
  });
  after(async () => {
    await h.close();
  });

  it("preview warns once about a misspelled key (naming the closest one) and about insecure", async () => {
    const plans = VOLUMES.map((v, i) => ({
      key: `w-${i}`,
      args: { name: `warn-${i}`, maxBackups: 7, schedulePattern: "0 2 * * *", resources: [{ id: v.id, name: v.name }] },
    }));
    const result = await engine.preview(
      h.options(cwd, stack, {
        "plansfixture:plans": JSON.stringify(plans),
        "scheduledbackup:endpiont": "http://typo",
        "scheduledbackup:insecure": "true",
      }),
    );
    assertOk(result);
    const warnings = result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
    assert.equal(
      warnings.filter((m) =>
        /scheduledbackup:endpiont is not a setting.*did you mean scheduledbackup:endpoint\?/.test(m),
      ).length,
      1,
      warnings.join("\n"),
    );
    assert.equal(
      warnings.filter((m) => /TLS certificate verification is disabled/.test(m)).length,
      1,
      warnings.join("\n"),
    );
  });
});
