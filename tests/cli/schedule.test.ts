import assert from "node:assert/strict";
import { cleanEnv, parseJson, runMain } from "./helpers";

interface Explanation {
  type: string;
  pattern: string;
  description: string;
  firesPerYear: number;
  minGap: { minutes: number; from: string; to: string } | null;
  maxGap: { minutes: number; from: string; to: string } | null;
  nextRuns: string[];
  retention?: { restorePoints: number; lookBackMinutes: number; mode: string; maxBackups: number };
}

describe("scheduled-backup schedule explain (offline)", () => {
  const env = cleanEnv(); // no endpoint, no credentials: the command must not need them

  it("explains a daily schedule: gaps, next runs after --after, full-mode retention", async () => {
    const result = await runMain(
      [
        "schedule",
        "explain",
        "0 2 * * *",
        "--max-backups",
        "7",
        "--after",
        "2025-01-01T00:00:00Z",
        "--count",
        "3",
        "--json",
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const e = parseJson<Explanation>(result.stdout);
    assert.equal(e.type, "crontab");
    assert.equal(e.minGap?.minutes, 1440);
    assert.equal(e.maxGap?.minutes, 1440);
    assert.deepEqual(e.nextRuns, ["2025-01-01T02:00:00.000Z", "2025-01-02T02:00:00.000Z", "2025-01-03T02:00:00.000Z"]);
    assert.equal(e.retention?.mode, "full");
    assert.equal(e.retention?.restorePoints, 7);
    assert.equal(e.retention?.lookBackMinutes, 6 * 1440, "7 daily backups cover 6 gaps");
  });

  it("finds the weekend gap of a weekday-only schedule (a 72 h RPO)", async () => {
    const result = await runMain(["schedule", "explain", "0 2 * * 1-5", "--json"], env);
    assert.equal(result.code, 0, result.stderr);
    const e = parseJson<Explanation>(result.stdout);
    assert.equal(e.minGap?.minutes, 1440);
    assert.equal(e.maxGap?.minutes, 3 * 1440);
    assert.equal(new Date(e.maxGap?.from ?? "").getUTCDay(), 5, "from a Friday");
    assert.equal(e.retention, undefined, "no retention without --max-backups");
  });

  it("computes frequency-mode retention: chains of 7, minus the chain being rotated", async () => {
    const result = await runMain(
      ["schedule", "explain", "0 3 * * *", "--max-backups", "2", "--mode", "frequency", "--json"],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const e = parseJson<Explanation>(result.stdout);
    assert.equal(e.retention?.restorePoints, (2 - 1) * 7 + 1);
    assert.equal(e.retention?.lookBackMinutes, 7 * 1440);
  });

  it("prints a readable block by default", async () => {
    const result = await runMain(
      [
        "schedule",
        "explain",
        "30 2 * * 1,3,5",
        "--type",
        "calendar",
        "--max-backups",
        "3",
        "--after",
        "2025-01-01T00:00:00Z",
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^pattern:\s+30 2 \* \* 1,3,5 \(calendar, UTC\)$/m);
    assert.match(result.stdout, /^longest gap:\s+3 d \(.*\) {2}= the RPO/m);
    assert.match(result.stdout, /^retention:\s+3 full backups: at least 3 restore points/m);
    assert.match(result.stdout, /^next runs:\s+2025-01-01T02:30:00Z$/m);
    assert.match(result.stdout, /^\s+2025-01-03T02:30:00Z$/m);
  });

  it("exits 2 with every problem and its fix for an invalid pattern", async () => {
    const result = await runMain(["schedule", "explain", "61 2 * * *"], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: invalid schedule `61 2 \* \* \*`/m);
    assert.match(result.stderr, /61/);
    const calendar = await runMain(["schedule", "explain", "*/2 2 * * *", "--type", "calendar"], env);
    assert.equal(calendar.code, 2);
  });

  it("exits 2 on inconsistent flags, naming them", async () => {
    const modeOnly = await runMain(["schedule", "explain", "0 2 * * *", "--mode", "full"], env);
    assert.equal(modeOnly.code, 2);
    assert.match(modeOnly.stderr, /--mode needs --max-backups/);
    const tooMany = await runMain(
      ["schedule", "explain", "0 2 * * *", "--max-backups", "15", "--mode", "frequency"],
      env,
    );
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /--max-backups/);
    const notNumber = await runMain(["schedule", "explain", "0 2 * * *", "--max-backups", "seven"], env);
    assert.equal(notNumber.code, 2);
    assert.match(notNumber.stderr, /--max-backups must be a whole number/);
    const badType = await runMain(["schedule", "explain", "0 2 * * *", "--type", "weekly"], env);
    assert.equal(badType.code, 2);
    assert.match(badType.stderr, /--type must be one of crontab, calendar/);
  });
});
