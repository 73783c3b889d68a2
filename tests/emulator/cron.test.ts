import assert from "node:assert/strict";
import { serviceRunsBetween } from "../../emulator/cron";
import { runsBetween } from "../../provider/schedule";

const at = (s: string): Date => new Date(s);
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe("emulator cron engine (cron-parser 5, the service's side)", () => {
  it("takes the runs the provider predicts, from an independent implementation", () => {
    const from = at("2024-01-01T00:00:00Z");
    const to = at("2024-04-01T00:00:00Z");
    const patterns = [
      "0 2 * * *",
      "0 0 1 * 1", // day-of-month and day-of-week both restricted: either fires
      "0 0 */2 * 1",
      "0,30 */6 * * 0,7", // duplicate Sunday (0 and 7), which cron-parser refuses as written
      "15 3 29 2 *",
      "5 4 * * 1-5",
      "0 0 31 2 *", // never fires
    ];
    for (const pattern of patterns)
      assert.deepEqual(iso(serviceRunsBetween(pattern, from, to)), iso(runsBetween(pattern, from, to)), pattern);
  });

  it("counts runs in (from, to], and stops at the limit", () => {
    const runs = serviceRunsBetween("0 * * * *", at("2024-01-01T00:00:00Z"), at("2024-01-01T03:00:00Z"));
    assert.deepEqual(iso(runs), ["2024-01-01T01:00:00.000Z", "2024-01-01T02:00:00.000Z", "2024-01-01T03:00:00.000Z"]);
    assert.equal(
      serviceRunsBetween("0 * * * *", at("2024-01-01T00:00:00Z"), at("2025-01-01T00:00:00Z"), 10).length,
      10,
    );
    assert.deepEqual(serviceRunsBetween("0 * * * *", at("2024-01-02T00:00:00Z"), at("2024-01-01T00:00:00Z")), []);
  });
});
