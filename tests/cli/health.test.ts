// `scheduled-backup health` as a user runs it (the compiled bin), against an emulator holding a healthy, a
// stalled (runs skipped), a failing (backups end `error`) and a suspended plan; plus its renderers.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import type { Checkpoint, Plan } from "../../provider/api";
import { analyzeHealth, type HealthReport } from "../../provider/health";
import { escapeLabelValue, renderPrometheus } from "../../cli/health/prometheus";
import { gapsOver, renderSvg } from "../../cli/health/svg";
import { HEALTH_AT, HEALTH_START, seedHealthScenario } from "./health-scenario";
import { VOLUMES, emulatorEnv, parseJson, runMain } from "./helpers";

const AT = HEALTH_AT;

describe("scheduled-backup health (against the emulator)", function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  let dir: string;
  const health = (...args: string[]) => runMain(["health", "--at", AT, ...args], emulatorEnv(emulator));

  before(async () => {
    emulator = await startEmulator({ port: 0, startTime: HEALTH_START });
    dir = mkdtempSync(join(tmpdir(), "health-test-"));
    await seedHealthScenario(emulator, VOLUMES);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  });

  it("prints one row per plan and volume, the findings, and exits 4 on a breach", async () => {
    const result = await health();
    assert.equal(result.code, 4, result.stderr);
    const lines = result.stdout.split("\n");
    assert.match(
      lines[0] ?? "",
      /^PLAN\s+VOLUME\s+STATUS\s+NEWEST BACKUP\s+AGE\s+RPO\s+MISSED\s+FAILED\s+POINTS\s+ORPHANS\s+HEALTH$/,
    );
    const row = (plan: string) => lines.find((l) => l.startsWith(`${plan} `)) ?? "";
    assert.match(
      row("db-nightly"),
      /db-data\s+started\s+2025-03-11T02:00:00Z\s+22 h\s+1 d 30 min\s+0\/7\s+0\s+7\/7\s+0\s+ok$/,
    );
    assert.match(
      row("web-stalled"),
      /web-data\s+started\s+2025-03-07T03:00:00Z\s+4 d 21 h\s+1 d 30 min\s+4\/7\s+0\s+5\/7\s+0\s+BREACH$/,
    );
    assert.match(
      row("logs-failing"),
      /logs\s+started\s+2025-03-07T04:00:00Z\s+4 d 20 h\s+1 d 30 min\s+0\/7\s+3\s+5\/8\s+1\s+BREACH$/,
    );
    assert.match(
      row("db-paused"),
      /db-data\s+suspended\s+2025-03-07T05:00:00Z\s+4 d 19 h\s+1 d 30 min\s+4\/7\s+0\s+5\/7\s+0\s+BREACH$/,
    );
    assert.match(result.stdout, /^ {2}db-paused: plan is suspended: no new backups are taken$/m);
    assert.match(result.stdout, /^ {2}logs-failing: logs: 1 incremental backup\(s\) whose full backup is gone$/m);
    assert.match(
      result.stdout,
      /^ {2}web-stalled: 4 of 7 scheduled runs since 2025-03-05T00:00:00Z made no checkpoint$/m,
    );
    assert.match(
      result.stdout,
      /^BREACH: 3 of 4 volume\(s\) have no usable backup within their RPO \(as of 2025-03-12T00:00:00Z\)\.$/m,
    );
  });

  it("exits 0 for a healthy plan", async () => {
    const result = await health("--plan", "db-nightly");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Healthy: 1 volume\(s\) in 1 plan\(s\)/m);
  });

  it("--json prints the report's figures", async () => {
    const result = await health("--json", "--slack-minutes", "45");
    assert.equal(result.code, 4, result.stderr);
    const report = parseJson<HealthReport>(result.stdout);
    assert.deepEqual([report.at, report.slackMinutes, report.healthy, report.breaches], [AT, 45, false, 3]);
    const byName = new Map(report.plans.map((p) => [p.planName, p]));
    const failing = byName.get("logs-failing")!;
    assert.deepEqual(
      { ...failing.volumes[0], volumeId: undefined, newestBackup: failing.volumes[0]?.newestBackup?.createdAt },
      {
        volumeId: undefined,
        volumeName: "logs",
        newestBackup: "2025-03-07T04:00:00Z",
        newestBackupAgeMinutes: 6960,
        breachAt: "2025-03-08T04:45:00Z",
        breach: true,
        failedBackups: 3,
        restorePoints: 5,
        restorePointsPromised: 8,
        restorePointsExpected: 8,
        orphanedIncrementals: 1,
      },
    );
    assert.equal(byName.get("db-paused")?.suspended, true);
    assert.deepEqual([byName.get("web-stalled")?.expectedRuns, byName.get("web-stalled")?.missedRuns], [7, 4]);
    assert.equal(byName.get("db-nightly")?.breach, false);
  });

  it("--format prometheus prints the text exposition, filtered by volume", async () => {
    const result = await health("--format", "prometheus", "--volume", "db-data");
    assert.equal(result.code, 4, "db-paused protects db-data and is in breach");
    const text = result.stdout;
    assert.match(text, /^# HELP scheduled_backup_last_success_timestamp_seconds .+$/m);
    assert.match(text, /^# TYPE scheduled_backup_last_success_timestamp_seconds gauge$/m);
    assert.match(
      text,
      new RegExp(
        `^scheduled_backup_last_success_timestamp_seconds\\{plan="db-nightly",volume="db-data"\\} ` +
          `${Date.parse("2025-03-11T02:00:00Z") / 1000}$`,
        "m",
      ),
    );
    assert.match(text, /^scheduled_backup_breach\{plan="db-nightly",volume="db-data"\} 0$/m);
    assert.match(text, /^scheduled_backup_breach\{plan="db-paused",volume="db-data"\} 1$/m);
    assert.match(text, /^scheduled_backup_restore_points\{plan="db-nightly",volume="db-data"\} 7$/m);
    assert.match(text, /^scheduled_backup_plan_suspended\{plan="db-paused"\} 1$/m);
    assert.match(text, /^scheduled_backup_missed_runs\{plan="db-paused"\} 4$/m);
    assert.match(text, /^scheduled_backup_breaches 1$/m);
    assert.doesNotMatch(text, /web-stalled|logs-failing/);
    // Every sample belongs to a family announced by HELP and TYPE before it.
    const announced = new Set<string>();
    for (const line of text.trimEnd().split("\n")) {
      const type = /^# TYPE (\S+) gauge$/.exec(line);
      if (type) announced.add(type[1]!);
      else if (!line.startsWith("# HELP ")) assert.ok(announced.has(line.split(/[{ ]/)[0]!), line);
    }
  });

  it(
    "--svg writes a timeline: a mark per backup in the window, " + "failures marked, gaps over the RPO highlighted",
    async () => {
      const file = join(dir, "health.svg");
      const result = await health("--svg", file, "--json");
      assert.equal(result.code, 4);
      assert.match(result.stderr, /wrote the timeline to /);
      const svg = readFileSync(file, "utf8");
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.doesNotMatch(svg, /<image|href=|<script/, "self-contained");
      const group = (plan: string): string => {
        const m = new RegExp(`<g class="volume" data-plan="${plan}"[^>]*>([\\s\\S]*?)\\n</g>`).exec(svg);
        assert.ok(m, `no row for ${plan}`);
        return m[1]!;
      };
      const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;
      const nightly = group("db-nightly");
      assert.equal(count(nightly, /class="mark backup usable"/g), 7);
      assert.equal(count(nightly, /class="gap"/g), 0);
      const stalled = group("web-stalled");
      assert.equal(count(stalled, /class="mark backup usable"/g), 3, "03-05, 03-06, 03-07 in the 7-day window");
      assert.equal(count(stalled, /class="gap"/g), 1);
      assert.match(stalled, /class="gap"[^>]*data-from="2025-03-07T03:00:00.000Z" data-to="2025-03-12T00:00:00.000Z"/);
      const failing = group("logs-failing");
      assert.equal(count(failing, /class="mark failed"/g), 3);
      assert.equal(count(failing, /class="mark backup unusable"/g), 1, "the incremental on a failed full backup");
      assert.equal(count(failing, /class="mark backup usable"/g), 3);
      assert.match(svg, /<g class="volume" data-plan="db-paused" data-volume="db-data" data-breach="true">/);
    },
  );

  it("keeps the existing exit codes for usage errors and unknown plans", async () => {
    const both = await health("--json", "--format", "prometheus");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--json and --format prometheus are alternatives/);
    const slack = await health("--slack-minutes", "soon");
    assert.equal(slack.code, 2);
    assert.match(slack.stderr, /--slack-minutes must be a whole number/);
    const missing = await health("--plan", "nope");
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /no plan named "nope"/);
  });
});

describe("health renderers", () => {
  const plan: Plan = {
    id: "p1",
    name: 'odd "plan"\\\nname <x>',
    description: "",
    backup_mode: "full",
    max_backups: 3,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [{ id: "v1", name: "v&1", type: "OS::Cinder::Volume" }],
    status: "started",
    created_at: "2025-01-01T00:00:00Z",
  };
  const checkpoints: Checkpoint[] = [];
  const report = analyzeHealth([plan], checkpoints, { now: new Date("2025-01-03T00:00:00Z") });

  it("escapes Prometheus label values (backslash, quote, newline)", () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.match(
      renderPrometheus(report),
      /^scheduled_backup_breach\{plan="odd \\"plan\\"\\\\\\nname <x>",volume="v&1"\} 1$/m,
    );
    assert.doesNotMatch(
      renderPrometheus(report),
      /scheduled_backup_last_success_age_seconds\{/,
      "no age sample without a backup",
    );
  });

  it("escapes names in the SVG and highlights a volume that never had a backup", () => {
    const svg = renderSvg(report, checkpoints);
    assert.match(svg, /data-plan="odd &quot;plan&quot;\\\nname &lt;x&gt;" data-volume="v&amp;1"/);
    assert.equal(
      (svg.match(/class="gap"[^>]*data-from/g) ?? []).length,
      1,
      "one band (the legend's sample has no data-from)",
    );
  });

  it("finds stretches longer than the limit between usable backups, clipped to the window", () => {
    assert.deepEqual(gapsOver([10, 20, 50], 0, 60, 0, 15), [[20, 50]]);
    assert.deepEqual(gapsOver([], 30, 60, 0, 15), [[30, 60]]);
    assert.deepEqual(gapsOver([40], 30, 100, 0, 15), [
      [30, 40],
      [40, 100],
    ]);
  });
});
