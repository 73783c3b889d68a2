// The providers Pulumi serializes into every resource's `__provider` state. They are deliberately almost empty:
// the only serialized method is `configure`, which the dynamic-provider plugin always awaits (once per distinct
// `__provider` text) before it touches any other method. It loads the runtime entry point *by name* inside the
// plugin and installs its methods on `this`, bound to the raw `scheduledbackup:*` stack config of this run. So:
// - state holds ~1.3 KB of this text and never our implementation: `destroy` and `refresh` run the installed
//   package, and `__provider` is identical for every resource and across releases that keep the entry point;
// - nothing is captured but a string: no runtime imports (only erased type imports), since a captured
//   module or namespace-import wrapper would be serialized by value; no module-level mutable state, since
//   each serialized function gets its own copy of it;
// - credentials are read inside the plugin, after deserialization, so they never reach the state.
// `configure` must stay synchronous inside (no `await` before the methods are installed): the plugin caches a
// provider before awaiting its `configure`, so a second RPC arriving meanwhile would find no methods.
// If the runtime cannot be loaded, every method rejects with that error instead of leaving a half-configured
// provider behind (the plugin caches a provider even when `configure` throws). A missing package (say, removed
// while plans remain, then `pulumi destroy`) gets a message naming the directory to install it in: the plugin's
// working directory, which is where the shim's `require` resolves from (require-from-string with an empty file
// name; see provider/programDirectory.ts).
// Changing this file changes `__provider` for every user: it is part of the state format. What a change does
// to existing stacks: no diff and no replacement. The plugin's Diff ignores a changed `__provider` and asks our
// diff (sdk/nodejs/cmd/dynamic-provider/index.js `diff`: "we do not take any special action if the provider has
// changed"), and ours skips `__provider` (resources/planDiff.ts), so the step is `same`. Such a step keeps the
// old outputs, and Delete and Read are served from outputs, so a resource keeps running the text it was last
// created or updated with until its next create or update; both texts work against the same runtime.
import type { dynamic } from "@pulumi/pulumi";
import type * as Runtime from "./runtime";

type Methods = ReturnType<typeof Runtime.bindProvider>;
type Config = { get(key: string): string | undefined };

// `configure` is written out in each class (no shared helper): a captured helper would be serialized as a
// second function with its own wrapper, and state size counts for every resource. No comments go inside
// the method bodies either: they would be serialized too.

/** The dynamic provider of {@link BackupPlan}; its methods come from `pulumi-scheduled-backup/runtime`. */
export class BackupPlanProvider implements dynamic.ResourceProvider {
  async configure(req: { config: Config }): Promise<void> {
    try {
      Object.assign(
        this,
        (require("pulumi-scheduled-backup/runtime") as typeof Runtime).bindProvider("backupPlan", req.config),
      );
    } catch (err) {
      const e =
        (err as { code?: string }).code === "MODULE_NOT_FOUND"
          ? new Error(
              `pulumi-scheduled-backup is not installed where Pulumi runs its provider, ${process.cwd()}: ` +
                `run \`npm install pulumi-scheduled-backup\` there, ` +
                `then run the command again (${(err as Error).message.split("\n")[0]})`,
            )
          : err;
      for (const m of ["check", "diff", "create", "read", "update", "delete"])
        Object.assign(this, { [m]: () => Promise.reject(e) });
    }
  }
  declare check: Methods["check"];
  declare diff: Methods["diff"];
  declare create: Methods["create"];
  declare read: Methods["read"];
  declare update: Methods["update"];
  declare delete: Methods["delete"];
}

/** The dynamic provider of {@link Restore}; its methods come from `pulumi-scheduled-backup/runtime`. */
export class RestoreProvider implements dynamic.ResourceProvider {
  async configure(req: { config: Config }): Promise<void> {
    try {
      Object.assign(
        this,
        (require("pulumi-scheduled-backup/runtime") as typeof Runtime).bindProvider("restore", req.config),
      );
    } catch (err) {
      const e =
        (err as { code?: string }).code === "MODULE_NOT_FOUND"
          ? new Error(
              `pulumi-scheduled-backup is not installed where Pulumi runs its provider, ${process.cwd()}: ` +
                `run \`npm install pulumi-scheduled-backup\` there, ` +
                `then run the command again (${(err as Error).message.split("\n")[0]})`,
            )
          : err;
      for (const m of ["check", "diff", "create", "read", "update", "delete"])
        Object.assign(this, { [m]: () => Promise.reject(e) });
    }
  }
  declare check: Methods["check"];
  declare diff: Methods["diff"];
  declare create: Methods["create"];
  declare read: Methods["read"];
  declare update: Methods["update"];
  declare delete: Methods["delete"];
}
