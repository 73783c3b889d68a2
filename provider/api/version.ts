import { readFileSync } from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "pulumi-scheduled-backup";
let cached: string | undefined;

/**
 * The package version, read once from our own package.json. Found by walking up from this file, so it works
 * from dist/, from a private build dir and from node_modules alike (a JSON import would copy package.json
 * into the output dir, where it would shadow the real one for package self-references).
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // no package.json here (or unreadable): keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cached = "0.0.0";
  return cached;
}

export function userAgent(extra?: string): string {
  const base = `${PACKAGE_NAME}/${packageVersion()}`;
  return extra === undefined || extra.trim() === "" ? base : `${base} ${extra.trim()}`;
}
