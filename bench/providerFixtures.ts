// The programs the provider bench times and their floors (tests/e2e/fixtures), and the plans they declare.
import { existsSync } from "node:fs";
import path from "node:path";
import { BACKUP_PLAN_TYPE } from "../provider/tokens";

const FLOOR_TYPE = "pulumi-nodejs:dynamic/floor:Floor";

/** The two programs timed: the TypeScript fixture users' programs look like, and its plain JavaScript twin. */
export interface ProgramFixture {
  label: string;
  /** Directory under tests/e2e/fixtures. */
  dir: string;
  /** Pulumi.yaml `name:`, which namespaces the program's own config keys. */
  project: string;
  /** The type token of the resources it declares. */
  type: string;
}

export const PROGRAMS: Record<"ts" | "js", ProgramFixture> = {
  ts: {
    label: "TypeScript program (ts-node, as `pulumi up` runs it)",
    dir: "plans",
    project: "plansfixture",
    type: BACKUP_PLAN_TYPE,
  },
  js: {
    label: "JavaScript program (runtime.options.typescript: false, no ts-node)",
    dir: "bench-plans",
    project: "plansbench",
    type: BACKUP_PLAN_TYPE,
  },
};

/** The floor of each program: trivial dynamic resources, same properties, same language. */
export const FLOORS: Record<"ts" | "js", ProgramFixture> = {
  ts: { label: "floor (TypeScript)", dir: "bench-floor", project: "floorbench", type: FLOOR_TYPE },
  js: { label: "floor (JavaScript)", dir: "bench-floor-js", project: "floorbenchjs", type: FLOOR_TYPE },
};

export function fixturesRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "tests", "e2e", "fixtures", "plans"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bench provider: cannot find tests/e2e/fixtures/plans above " + __dirname);
    dir = parent;
  }
  return path.join(dir, "tests", "e2e", "fixtures");
}

export function plans(count: number, prefix: string): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}-${i}`,
    args: {
      name: `${prefix}-${i}`,
      maxBackups: 7,
      schedulePattern: `${i % 60} ${i % 24} * * *`,
      resources: [{ id: `7a1e0c52-3b4d-4f6a-8c9e-${String(i).padStart(12, "0")}`, name: `volume-${i}` }],
    },
  }));
}
