import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import type { Plan } from "../../provider/api";
import { VOLUMES, cleanEnv, createPlan, emulatorEnv, parseJson, runMain, startTestEmulator } from "./helpers";

describe("scheduled-backup plans", () => {
  let emulator: EmulatorHandle;
  let nightly: Plan;
  let weekly: Plan;

  before(async () => {
    emulator = await startTestEmulator();
    nightly = await createPlan(emulator);
    weekly = await createPlan(emulator, {
      name: "web-weekly",
      backup_mode: "frequency",
      max_backups: 2,
      schedule_type: "calendar",
      schedule_pattern: "30 3 * * 1,3,5",
      resources: [{ id: VOLUMES[1].id, name: VOLUMES[1].name, type: "OS::Cinder::Volume" }],
    });
  });
  after(async () => emulator.close());

  it("lists plans as a table with a header and one row per plan", async () => {
    const result = await runMain(["plans", "list"], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^NAME\s+ID\s+MODE\s+KEEP\s+SCHEDULE\s+STATUS\s+VOLUMES\s+CREATED$/);
    assert.equal(lines.length, 3);
    assert.ok(
      lines.some(
        (l) =>
          l.startsWith("db-nightly") &&
          l.includes(nightly.id) &&
          l.includes("0 2 * * * (crontab)") &&
          l.includes("db-data"),
      ),
    );
    assert.ok(
      lines.some(
        (l) => l.startsWith("web-weekly") && l.includes("frequency") && l.includes("30 3 * * 1,3,5 (calendar)"),
      ),
    );
    assert.equal(result.stderr, "", "no progress line when stderr is not a terminal");
  });

  it("refuses an ID or --project-id that is not a UUID before any request (no path tricks)", async () => {
    for (const args of [
      ["plans", "get", ".."],
      ["plans", "get", "a/b"],
      ["plans", "list", "--project-id", "../x"],
    ]) {
      const result = await runMain(args, emulatorEnv(emulator));
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /must be a (UUID|project id)/);
    }
  });

  it("warns once on stderr when --insecure is set (a command that makes several calls)", async () => {
    const result = await runMain(["plans", "list", "--insecure"], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.stderr);
    assert.equal((result.stderr.match(/TLS certificate verification is disabled/g) ?? []).length, 1, result.stderr);
  });

  it("prints the API's plan objects with --json and filters by name and volume", async () => {
    const all = await runMain(["plans", "list", "--json"], emulatorEnv(emulator));
    assert.equal(all.code, 0, all.stderr);
    const plans = parseJson<Plan[]>(all.stdout);
    assert.deepEqual(plans.map((p) => p.id).sort(), [nightly.id, weekly.id].sort());
    const first = plans.find((p) => p.id === nightly.id);
    assert.equal(first?.max_backups, 7);
    assert.deepEqual(first?.resources, [{ id: VOLUMES[0].id, name: "db-data", type: "OS::Cinder::Volume" }]);

    const byName = parseJson<Plan[]>(
      (await runMain(["plans", "list", "--name", "web-weekly", "--json"], emulatorEnv(emulator))).stdout,
    );
    assert.deepEqual(
      byName.map((p) => p.id),
      [weekly.id],
    );
    const byVolume = parseJson<Plan[]>(
      (await runMain(["plans", "list", "--volume", "db-data", "--json"], emulatorEnv(emulator))).stdout,
    );
    assert.deepEqual(
      byVolume.map((p) => p.id),
      [nightly.id],
    );
    const none = await runMain(["plans", "list", "--volume", "nope"], emulatorEnv(emulator));
    assert.equal(none.stdout, "No plans found.\n");
  });

  it("shows one plan with its schedule in words, RPO, retention and next runs", async () => {
    const result = await runMain(["plans", "get", nightly.id], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^name:\s+db-nightly$/m);
    assert.match(result.stdout, /^longest gap:\s+1 d \(/m);
    assert.match(result.stdout, /^retention:\s+7 full backups: at least 7 restore points reaching back 6 d$/m);
    assert.match(result.stdout, /^next runs:\s+\d{4}-\d\d-\d\dT02:00:00Z$/m);
    assert.match(result.stdout, /^VOLUME\s+ID\s+TYPE$/m);
    const json = parseJson<Plan>((await runMain(["plans", "get", weekly.id, "--json"], emulatorEnv(emulator))).stdout);
    assert.equal(json.id, weekly.id);
    assert.equal(json.backup_mode, "frequency");
  });

  it("exits 3 for a plan that does not exist", async () => {
    const result = await runMain(["plans", "get", "6f0c1a2b-0000-4000-8000-000000000000"], emulatorEnv(emulator));
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^error: .*404/m);
    assert.equal(result.stdout, "");
  });

  it("exits 2 on usage errors, naming the problem", async () => {
    const unknownFlag = await runMain(["plans", "list", "--colour"], emulatorEnv(emulator));
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /--colour/);
    const missingId = await runMain(["plans", "get"], emulatorEnv(emulator));
    assert.equal(missingId.code, 2);
    assert.match(missingId.stderr, /missing ID/);
    const extra = await runMain(["plans", "list", "surplus"], emulatorEnv(emulator));
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /unexpected argument `surplus`/);
    const unknownVerb = await runMain(["plans", "purge"], emulatorEnv(emulator));
    assert.equal(unknownVerb.code, 2);
    assert.match(unknownVerb.stderr, /expected one of: list, get/);
  });

  it("exits 2 when no connection is configured, naming flag and environment variable", async () => {
    const result = await runMain(["plans", "list"], cleanEnv());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /SCHEDULED_BACKUP_/);
  });

  it("exits 1 on an API error and never prints the credential", async () => {
    const env = { ...emulatorEnv(emulator), SCHEDULED_BACKUP_TOKEN: "not-the-token-s3cr3t" };
    const result = await runMain(["plans", "list"], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /401/);
    assert.doesNotMatch(result.stderr + result.stdout, /s3cr3t/);
  });

  it("flags override the environment", async () => {
    const env = { ...emulatorEnv(emulator), SCHEDULED_BACKUP_TOKEN: "wrong" };
    const result = await runMain(["plans", "list", "--json", "--token", emulator.token], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseJson<Plan[]>(result.stdout).length, 2);
  });

  it("authenticates with Keystone password flags and finds the endpoint in the catalog", async () => {
    const flags = [
      "--auth-url",
      emulator.authUrl,
      "--username",
      emulator.username,
      "--account-id",
      emulator.accountId,
      "--project-id",
      emulator.projectId,
      "--region",
      emulator.region,
    ];
    const result = await runMain(["plans", "list", "--json", ...flags, "--password", emulator.password], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseJson<Plan[]>(result.stdout).length, 2);
    const wrong = await runMain(["plans", "list", ...flags, "--password", "wr0ng-pa55word"], cleanEnv());
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /Keystone refused the credentials/);
    assert.doesNotMatch(wrong.stderr, /wr0ng-pa55word/);
  });

  it("works on the token path layout (no project segment, project implied by the token)", async () => {
    const env = cleanEnv({ SCHEDULED_BACKUP_ENDPOINT: emulator.endpoint, OS_AUTH_TOKEN: emulator.token });
    const result = await runMain(["plans", "list", "--json", "--path-layout", "token"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      parseJson<Plan[]>(result.stdout)
        .map((p) => p.max_backups)
        .sort(),
      [2, 7],
    );
    const bad = await runMain(["plans", "list", "--path-layout", "flat"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--path-layout must be one of auto, project, token/);
  });

  it("reports errors as JSON on stderr under --json", async () => {
    const result = await runMain(
      ["plans", "get", "6f0c1a2b-0000-4000-8000-000000000000", "--json"],
      emulatorEnv(emulator),
    );
    assert.equal(result.code, 3);
    const report = parseJson<{ error: { kind: string; status: number; exitCode: number } }>(result.stderr);
    assert.equal(report.error.kind, "NotFoundError");
    assert.equal(report.error.status, 404);
    assert.equal(report.error.exitCode, 3);
  });

  it("documents the exit codes in --help", async () => {
    const result = await runMain(["--help"], cleanEnv());
    assert.equal(result.code, 0);
    for (const code of ["0", "1", "2", "3"]) assert.match(result.stdout, new RegExp(`^  ${code}  `, "m"));
    assert.match(result.stdout, /plans list/);
    assert.match(result.stdout, /import-plans/);
    const sub = await runMain(["plans", "get", "--help"], cleanEnv());
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /^Usage: scheduled-backup plans get ID/);
    const group = await runMain(["plans", "--help"], cleanEnv());
    assert.equal(group.code, 0);
    assert.match(group.stdout, /scheduled-backup plans list \[--name NAME\]/);
    assert.match(group.stdout, /scheduled-backup plans get ID/);
    const none = await runMain([], cleanEnv());
    assert.equal(none.code, 2);
  });
});
