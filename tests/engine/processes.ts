/**
 * Child processes of a run (program, dynamic-provider plugin, policy analyzers): where the runtime
 * lives, how a plugin announces its port, and how every child is killed at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export class PluginStartError extends Error {
  constructor(what: string, detail: string) {
    super(`${what} failed to start: ${detail}`);
    this.name = "PluginStartError";
  }
}

/**
 * The `@pulumi/pulumi` the program itself would load, found by Node resolution from `dir` upward,
 * so the program, the plugin and the runtime entry points share one copy of the SDK.
 */
export function resolvePulumiRoot(dir: string): string {
  const requireFrom = createRequire(path.join(path.resolve(dir), "noop.js"));
  try {
    return path.dirname(requireFrom.resolve("@pulumi/pulumi/package.json"));
  } catch {
    throw new PluginStartError(
      "the Pulumi runtime",
      `@pulumi/pulumi is not resolvable from ${dir}; install it there or in a parent directory (npm i @pulumi/pulumi)`,
    );
  }
}

/** What the stand-in reads from `Pulumi.yaml`. */
export interface ProjectInfo {
  name: string;
  /** Directory the program runs in (`--pwd`). */
  programDirectory: string;
  /** Entry point relative to it: `.` (package.json `main`, else index) or a file. */
  entryPoint: string;
  /**
   * `runtime.options.typescript` (default true): whether the language host runs the program through
   * ts-node. Only then does it set `PULUMI_NODEJS_TYPESCRIPT=true` for `cmd/run`
   * (sdk/nodejs/cmd/pulumi-language-nodejs main.go: `if opts.typescript`).
   */
  typescript: boolean;
}

/** A top-level scalar of a YAML file (`key: value`, quotes and trailing comments dropped). */
function topLevelScalar(text: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:[ \\t]*["']?([^"'#\\r\\n]*?)["']?[ \\t]*(?:#.*)?$`, "m").exec(text);
  return match?.[1] ? match[1] : undefined;
}

/** Drops a YAML comment and surrounding blanks from the rest of a line. */
function stripComment(rest: string): string {
  return rest.replace(/(^|\s)#.*$/, "").trim();
}

/**
 * `runtime.options.typescript` of a Pulumi.yaml, in block (`runtime:` / `  options:` /
 * `    typescript: false`) or flow (`runtime: {name: nodejs, options: {typescript: false}}`) style;
 * true when absent, as in the language host.
 */
function runtimeTypeScript(text: string, file: string): boolean {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^runtime:/.test(line));
  if (start < 0) return true;
  let block = stripComment(lines[start]!.slice("runtime:".length));
  if (block === "") {
    const nested: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (/^\S/.test(line)) break;
      nested.push(stripComment(line));
    }
    block = nested.join("\n");
  }
  const match = /(?:^|[\s{,])typescript:[ \t]*["']?([^"'\s,}]*)/m.exec(block);
  if (!match) return true;
  const value = (match[1] ?? "").toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  throw new PluginStartError(
    "the program",
    `${file}: \`runtime.options.typescript\` must be true or false, got \`${match[1] ?? ""}\``,
  );
}

/**
 * The project as the CLI reads `Pulumi.yaml`: `name:`, and `main:` which moves the program: a
 * directory becomes the program directory, a file becomes the entry point (without `main`, the
 * runtime would take package.json's `main`, which in this repository is the library itself).
 */
export function readProject(cwd: string): ProjectInfo {
  const file = path.join(cwd, "Pulumi.yaml");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new PluginStartError(
      "the program",
      `${file} is missing; a Pulumi program needs a Pulumi.yaml with \`name:\``,
    );
  }
  const name = topLevelScalar(text, "name");
  if (!name) throw new PluginStartError("the program", `${file} has no top-level \`name:\``);
  const typescript = runtimeTypeScript(text, file);
  const main = topLevelScalar(text, "main");
  if (!main) return { name, programDirectory: cwd, entryPoint: ".", typescript };
  const target = path.resolve(cwd, main);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    throw new PluginStartError("the program", `${file} says \`main: ${main}\`, but ${target} does not exist`);
  }
  return isDirectory
    ? { name, programDirectory: target, entryPoint: ".", typescript }
    : { name, programDirectory: path.dirname(target), entryPoint: `./${path.basename(target)}`, typescript };
}

export interface Spawned {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Every child still running, so none outlives this process (a plugin would serve forever). */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every child any run of this process started (exit hook, CLI signal handlers). */
export function killAllChildren(): void {
  for (const child of liveChildren) child.kill("SIGKILL");
  liveChildren.clear();
}

/** How many children of this process's runs are still alive (tests assert none outlive a run). */
export function liveChildCount(): number {
  return liveChildren.size;
}

/** Spawns `node <args>`, collecting output lines; `onLine` sees stdout lines as they come. */
export function spawnNode(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Spawned {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killAllChildren);
  }
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  const stdout: string[] = [];
  const stderr: string[] = [];
  let pending = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      stdout.push(line);
      onLine?.(line);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.on("error", (err) => {
      stderr.push(String(err));
      resolve(null);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  return { child, stdout, stderr, exited };
}

/**
 * Starts a plugin that prints its gRPC port as the first stdout line (dynamic provider, policy pack);
 * `onOutput` sees the stdout lines after it.
 */
export async function startPlugin(
  what: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onOutput?: (line: string) => void,
): Promise<{ spawned: Spawned; port: number }> {
  let resolvePort!: (port: number) => void;
  const portLine = new Promise<number>((resolve) => (resolvePort = resolve));
  let seen = false;
  const spawned = spawnNode(args, cwd, env, (line) => {
    if (seen) {
      onOutput?.(line);
      return;
    }
    const port = Number(line.trim());
    if (Number.isInteger(port) && port > 0) {
      seen = true;
      resolvePort(port);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    portLine,
    spawned.exited.then((code) => ({ exited: code })),
    new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (typeof outcome === "number") return { spawned, port: outcome };
  kill(spawned);
  const tail = spawned.stderr.join("").trim().split("\n").slice(-15).join("\n");
  const why =
    outcome === "timeout" ? `no port printed within ${timeoutMs} ms` : `exited with code ${String(outcome.exited)}`;
  throw new PluginStartError(what, `${why}${tail ? `\n${tail}` : ""}`);
}

export function kill(spawned: Spawned | undefined): void {
  if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) {
    spawned.child.kill("SIGKILL");
  }
}
