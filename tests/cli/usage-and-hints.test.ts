// The CLI's own words for a person at a terminal: one-line usage errors with the command's usage (exit 2),
// help per group, hints that name this CLI's flags and environment variables, plurals, what a refused
// checkpoint delete or a checkpoint id given to `restore` means, a wrong base path, and Ctrl-D at a prompt.
import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import {
  VOLUMES,
  advanceClock,
  cleanEnv,
  clientFor,
  createPlan,
  emulatorEnv,
  runInProcess,
  runMain,
  startTestEmulator,
} from "./helpers";

describe("scheduled-backup usage errors, help and hints", () => {
  let emulator: EmulatorHandle;
  let webChain: string;
  let webChainStart: string;

  before(async () => {
    emulator = await startTestEmulator();
    await createPlan(emulator, {
      name: "web-frequent",
      backup_mode: "frequency",
      max_backups: 2,
      schedule_pattern: "0 3 * * *",
      resources: [{ id: VOLUMES[1].id, name: VOLUMES[1].name, type: "OS::Cinder::Volume" }],
    });
    await advanceClock(emulator, 2 * 86_400);
    const { checkpoints } = await clientFor(emulator).listCheckpoints({ volume_name: "web-data" });
    const start = checkpoints.find((c) => c.checkpoint_items[0]?.is_incremental === false);
    assert.ok(start !== undefined);
    webChainStart = start.id;
    webChain = start.checkpoint_items[0]?.chain_id ?? "";
  });
  after(async () => emulator.close());

  it("an unknown flag, a missing argument or a bad value: one error line, the usage, exit 2", async () => {
    const env = cleanEnv();
    const unknown = await runMain(["plans", "get", "--bogus"], env);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "error: unknown flag --bogus\nusage: scheduled-backup plans get ID [--json]\n");
    const missing = await runMain(["plans", "get"], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "error: missing ID\nusage: scheduled-backup plans get ID [--json]\n");
    // A well-formed item id, so that the flag is what is wrong (ids are checked too, before any request).
    const item = "0b7c2a4e-1d3f-4a5b-8c6d-9e0f1a2b3c4d";
    const negative = await runMain(["restore", item, "--name", "y", "--wait", "--timeout", "-1"], env);
    assert.equal(negative.code, 2);
    assert.match(
      negative.stderr,
      /^error: --timeout needs a value; to pass one starting with a dash, write --timeout=VALUE\nusage: scheduled-backup restore /,
    );
    const outOfRange = await runMain(["restore", item, "--name", "y", "--wait", "--timeout=-1"], env);
    assert.equal(outOfRange.code, 2);
    assert.match(
      outOfRange.stderr,
      /^error: --timeout must be a whole number at least 1, got `-1`\nusage: scheduled-backup restore /,
    );
    assert.doesNotMatch(`${unknown.stderr}${negative.stderr}`, /ambiguous|'/);
  });

  it("`help <group>` and `<group> --help` show that group's commands", async () => {
    for (const args of [
      ["help", "plans"],
      ["plans", "--help"],
    ]) {
      const result = await runMain(args, cleanEnv());
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /scheduled-backup plans list/);
      assert.match(result.stdout, /scheduled-backup plans get ID/);
      assert.doesNotMatch(result.stdout, /checkpoints list/);
    }
    const command = await runMain(["help", "restore"], cleanEnv());
    assert.match(command.stdout, /^Usage: scheduled-backup restore CHECKPOINT_ITEM_ID --name NAME/);
  });

  it("configuration hints name the CLI's flags and environment variables, never `pulumi config set`", async () => {
    const none = await runMain(["plans", "list"], cleanEnv());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^ {2}--token VALUE or env SCHEDULED_BACKUP_TOKEN \/ OS_AUTH_TOKEN$/m);
    assert.match(none.stderr, /^ {2}--auth-url VALUE or env SCHEDULED_BACKUP_AUTH_URL \/ OS_AUTH_URL$/m);
    assert.doesNotMatch(none.stderr, /pulumi config|scheduledbackup:/);
    const timeout = await runMain(["plans", "list"], {
      ...emulatorEnv(emulator),
      SCHEDULED_BACKUP_TIMEOUT_SECONDS: "abc",
    });
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /^error: SCHEDULED_BACKUP_TIMEOUT_SECONDS must be an integer/);
    assert.doesNotMatch(timeout.stderr, /timeoutSeconds|maxRetries/);
  });

  it("schedule explain speaks in flags, with plurals, and says what a Feb-29 schedule does", async () => {
    const tooMany = await runMain(["schedule", "explain", "0 2 * * *", "--max-backups", "1000"], cleanEnv());
    assert.equal(tooMany.code, 2);
    assert.match(
      tooMany.stderr,
      /^error: --max-backups is 1000; --mode full allows at most 90; set --max-backups between 1 and 90, or use --mode frequency/,
    );
    assert.doesNotMatch(tooMany.stderr, /max_backups|backup_mode/);
    const leap = await runMain(["schedule", "explain", "0 2 29 2 *", "--max-backups", "1"], cleanEnv());
    assert.equal(leap.code, 0, leap.stderr);
    assert.match(leap.stdout, /^runs per year: 0\.25: one run every 4 years$/m);
    assert.match(
      leap.stdout,
      /^retention: +1 full backup: at least 1 restore point \(only the newest backup: no look-back\)$/m,
    );
    const daily = await runMain(
      ["schedule", "explain", "0 2 * * *", "--max-backups", "2", "--mode", "frequency"],
      cleanEnv(),
    );
    assert.match(daily.stdout, /^retention: +2 chains of 7: at least 8 restore points reaching back/m);
  });

  it("a refused checkpoint delete points at `scheduled-backup chains delete CHAIN_ID`", async () => {
    const refused = await runMain(["checkpoints", "delete", webChainStart], emulatorEnv(emulator));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`\`scheduled-backup chains delete ${webChain}\``));
    assert.doesNotMatch(refused.stderr, /DELETE \/checkpoints/);
  });

  it("restore given a checkpoint id says it is a checkpoint and lists its items (exit 2)", async () => {
    const result = await runMain(["restore", webChainStart, "--name", "x"], emulatorEnv(emulator));
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      new RegExp(`^error: ${webChainStart} is a checkpoint, not a checkpoint item: restore one of its item`),
    );
    assert.match(result.stderr, /^ {2}\S+ {2}volume web-data, available, full$/m);
  });

  it("explains an endpoint without /data-protect/v2 and a Keystone URL without /v3 (exit 2)", async () => {
    const base = emulator.endpoint.replace(/\/data-protect\/v2$/, "");
    const endpoint = await runMain(["plans", "list"], { ...emulatorEnv(emulator), SCHEDULED_BACKUP_ENDPOINT: base });
    assert.equal(endpoint.code, 2, endpoint.stderr);
    assert.match(
      endpoint.stderr,
      new RegExp(`the endpoint ${base} does not end in /data-protect/v2 .*use e\\.g\\. ${base}/data-protect/v2`),
    );
    const auth = await runMain(
      ["plans", "list"],
      cleanEnv({
        SCHEDULED_BACKUP_AUTH_URL: emulator.authUrl.replace(/\/v3$/, ""),
        SCHEDULED_BACKUP_USERNAME: emulator.username,
        SCHEDULED_BACKUP_PASSWORD: emulator.password,
        SCHEDULED_BACKUP_ACCOUNT_ID: emulator.accountId,
        SCHEDULED_BACKUP_PROJECT_ID: emulator.projectId,
        SCHEDULED_BACKUP_ENDPOINT: emulator.endpoint,
        SCHEDULED_BACKUP_MAX_RETRIES: "0",
      }),
    );
    assert.equal(auth.code, 2, auth.stderr);
    assert.match(auth.stderr, /the Keystone URL \S+ does not end in \/v3/);
  });

  it("Ctrl-D at a confirmation prompt: not confirmed, exit 1, nothing deleted", async () => {
    const result = await runInProcess(["chains", "delete", webChain], {
      env: emulatorEnv(emulator),
      stdinIsTTY: true,
      input: "",
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not confirmed; nothing was deleted/);
    const { checkpoints } = await clientFor(emulator).listCheckpoints({ volume_name: "web-data" });
    assert.ok(checkpoints.some((c) => c.checkpoint_items.some((i) => i.chain_id === webChain)));
  });
});
