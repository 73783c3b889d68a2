#!/usr/bin/env node
/**
 * `npm run engine -- <preview|up|refresh|destroy> --cwd DIR ...`: the offline engine stand-in's CLI.
 * Test infrastructure and the offline fallback of `npm run demo`; not a Pulumi replacement.
 */
import { parseArgs } from "node:util";
import { PolicyConfigError } from "./analyzers.js";
import { destroy, preview, refresh, up, RunOptionsError } from "./index.js";
import { redactForDisplay, unwrapSecrets } from "./properties.js";
import { killAllChildren } from "./processes.js";
import { renderSummary } from "./render.js";
import type { RunOptions, RunResult } from "./types.js";

const USAGE = `usage: engine <preview|up|refresh|destroy> --cwd DIR [options]

Offline Pulumi engine stand-in: TEST INFRASTRUCTURE, not a replacement for the Pulumi CLI.
It runs a TypeScript Pulumi program with the real @pulumi/pulumi runtime, the real dynamic-provider
plugin and real policy packs, and keeps state in DIR/.pulumi-test/<stack>.json.

options:
  --cwd DIR                  program directory (holds Pulumi.yaml)            [required]
  --stack NAME               stack name                                        [default: dev]
  --config KEY=VALUE         stack config; bare keys belong to the project     [repeatable]
  --secret KEY=VALUE         secret stack config                               [repeatable]
  --policy-pack DIR          run this policy pack                              [repeatable]
  --policy-pack-config FILE  policy config (policy name -> level or {enforcementLevel, ...})
  --fake-package NAME        serve NAME's resources with the echo fixture      [repeatable]
  --parallel N               step parallelism                                  [default: 4 x CPUs]
  --run-program              refresh/destroy: configure providers from the current config,
                             not from the config stored at the last up
  --json                     print the RunResult as JSON (secret outputs as "[secret]")
  --show-secrets             print secret outputs in plaintext
  --debug                    keep the SDK's debug log lines in the diagnostics
  -h, --help                 this text

exit status: 0 when the run succeeded, 1 when it failed, 2 on bad usage.`;

class UsageError extends Error {}

function pairs(values: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const result: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf("=");
    if (at <= 0)
      throw new UsageError(
        `${flag} expects KEY=VALUE, got \`${item}\` (e.g. ${flag} scheduledbackup:endpoint=http://127.0.0.1:8080)`,
      );
    result[item.slice(0, at)] = item.slice(at + 1);
  }
  return result;
}

export interface CliInvocation {
  command: RunResult["command"];
  options: RunOptions;
  json: boolean;
  showSecrets: boolean;
}

export function parseCli(argv: string[]): CliInvocation | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cwd: { type: "string" },
      stack: { type: "string" },
      config: { type: "string", multiple: true },
      secret: { type: "string", multiple: true },
      "policy-pack": { type: "string", multiple: true },
      "policy-pack-config": { type: "string" },
      "fake-package": { type: "string", multiple: true },
      parallel: { type: "string" },
      json: { type: "boolean" },
      "run-program": { type: "boolean" },
      "show-secrets": { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const [command, ...extra] = positionals;
  if (command !== "preview" && command !== "up" && command !== "refresh" && command !== "destroy") {
    throw new UsageError(
      command
        ? `unknown command \`${command}\`: use preview, up, refresh or destroy`
        : "missing command: use preview, up, refresh or destroy",
    );
  }
  if (extra.length) throw new UsageError(`unexpected argument \`${extra[0]}\``);
  if (!values.cwd) throw new UsageError("--cwd DIR is required (the program directory holding Pulumi.yaml)");
  const options: RunOptions = { cwd: values.cwd };
  if (values.stack) options.stack = values.stack;
  const config = pairs(values.config, "--config");
  if (config) options.config = config;
  const secrets = pairs(values.secret, "--secret");
  if (secrets) options.secrets = secrets;
  if (values["policy-pack"]) options.policyPacks = values["policy-pack"];
  if (values["policy-pack-config"]) options.policyPackConfig = values["policy-pack-config"];
  if (values["fake-package"]) options.fakePackages = values["fake-package"];
  if (values.parallel !== undefined) {
    const parallel = Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1)
      throw new UsageError(`--parallel expects a positive integer, got \`${values.parallel}\``);
    options.parallel = parallel;
  }
  if (values.debug) options.includeDebugLogs = true;
  if (values["run-program"]) {
    if (command !== "refresh" && command !== "destroy")
      throw new UsageError("--run-program applies to refresh and destroy only");
    options.runProgram = true;
  }
  return { command, options, json: values.json === true, showSecrets: values["show-secrets"] === true };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const runners = { preview, up, refresh, destroy };
  try {
    const result = await runners[parsed.command](parsed.options);
    const shown = parsed.showSecrets
      ? { ...result, outputs: unwrapSecrets(result.outputs) as Record<string, unknown> }
      : result;
    process.stdout.write(
      parsed.json
        ? `${JSON.stringify({ ...shown, outputs: redactForDisplay(shown.outputs) }, null, 2)}\n`
        : `${renderSummary(shown, parsed.options.stack ?? "dev")}\n`,
    );
    return result.ok ? 0 : 1;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return err instanceof RunOptionsError || err instanceof PolicyConfigError ? 2 : 1;
  }
}

if (require.main === module) {
  // Interrupted: take the program, the plugin and the policy packs down too.
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(code);
    });
  }
  void main().then((code) => {
    process.exitCode = code;
  });
}
