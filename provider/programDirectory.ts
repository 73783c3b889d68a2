// The serialized shim in every resource's `__provider` loads `pulumi-scheduled-backup/runtime` by name inside
// Pulumi's dynamic-provider plugin, which runs in the program's directory (the directory of `main:`, where the
// program runs too) and resolves from there upwards. A package the program reaches only through a workspace
// library (lib/node_modules) is invisible from there: every create, refresh and destroy would then fail with a
// bare `Cannot find module`. Checked once per program, before the first resource registers.
import { createRequire } from "node:module";
import path from "node:path";

let resolvable = false;

/** Throws an error naming where to install the package when the plugin could not load the runtime. */
export function assertRuntimeReachableFromProgram(programDirectory: string = process.cwd()): void {
  if (resolvable) return;
  try {
    createRequire(path.join(programDirectory, "program.js")).resolve("pulumi-scheduled-backup/runtime");
    resolvable = true;
  } catch {
    throw new Error(
      `pulumi-scheduled-backup is not installed where Pulumi's dynamic-provider plugin looks for it: the program ` +
        `directory ${programDirectory} and its parents (this copy was reached another way, from ${__dirname}, e.g. ` +
        `through a workspace library). Add it to the dependencies of the project in ${programDirectory} ` +
        "(`npm install pulumi-scheduled-backup` there), so create, refresh and destroy can load it.",
    );
  }
}
