import assert from "node:assert/strict";
import { backupWindow } from "../../../policy/policies/backup-window";
import { compliantPlan, runResourcePolicy } from "../harness";
import { assertClean, assertViolations, resourcePolicy } from "./helpers";

describe("policy backup-window", () => {
  const policy = resourcePolicy(backupWindow);
  const at = (schedulePattern: string) => compliantPlan({ schedulePattern });

  it("is advisory and not applicable until windows are configured", async () => {
    assert.equal(policy.enforcementLevel, "advisory");
    assert.match(
      (await runResourcePolicy(policy, compliantPlan())).notApplicable ?? "",
      /no allowedWindows or blackoutWindows/,
    );
  });

  it("needs every run and its execution window inside an allowed window, across midnight too", async () => {
    const config = { allowedWindows: ["22:00-04:00"] };
    assertClean(await runResourcePolicy(policy, at("0 23,2 * * *"), { config }));
    assertClean(await runResourcePolicy(policy, at("30 3 * * *"), { config }));
    const [text] = assertViolations(await runResourcePolicy(policy, at("31 3 * * *"), { config }), 1);
    assert.match(
      text!,
      /plan `db-nightly` runs at 03:31-04:01 UTC \(with the 30 min execution window\), outside the allowed window `22:00-04:00`/,
    );
  });

  it("keeps runs clear of blackout windows", async () => {
    const config = { blackoutWindows: ["12:00-14:00"], executionWindowMinutes: 0 };
    assertClean(await runResourcePolicy(policy, at("0 2 * * *"), { config }));
    const [text] = assertViolations(await runResourcePolicy(policy, at("17 2,13 * * *"), { config }), 1);
    assert.match(
      text!,
      /runs at 13:17 UTC, overlapping the blackout window `12:00-14:00`: move the runs to start at 14:00 UTC or later, or end by 12:00 UTC/,
    );
  });

  it("rejects malformed windows", async () => {
    await assert.rejects(
      runResourcePolicy(policy, compliantPlan(), { config: { allowedWindows: ["10-12"] } }),
      /HH:MM-HH:MM/,
    );
  });
});
