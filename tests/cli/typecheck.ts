// Type-checks TypeScript files the way a user's project would see them: strict, node16 resolution,
// `pulumi-scheduled-backup` resolved by name (node_modules/pulumi-scheduled-backup -> the repo, whose
// package.json points types at dist/). Used for generated programs and for the README's code blocks.
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

export const REPO_ROOT = dirname(realpathSync(require.resolve("pulumi-scheduled-backup/package.json")));

/** A scratch directory under the repo (so package names resolve as for users), ignored by git and tsc. */
export const SCRATCH_ROOT = join(REPO_ROOT, ".pulumi-test");

export function typeErrors(files: readonly string[], extra: ts.CompilerOptions = {}): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
  };
  Object.assign(options, extra);
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file === undefined ? "" : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}
