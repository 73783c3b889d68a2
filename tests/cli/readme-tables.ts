// The README's reference tables, generated from the code that defines them (CONFIG_KEYS, the policy
// registry and the BackupPlan and Restore field tables in provider/fields/), so the README cannot drift:
// tests/readme.test.ts checks that README.md holds them verbatim. After a change,
// `node dist/tests/cli/readme-tables.js --write` rewrites them in README.md in place (without `--write` it prints
// them).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describePolicies } from "../../policy/guard";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "../../provider/config";
import { BACKUP_PLAN, PLAN_INPUT_PROPERTIES } from "../../provider/fields/backupPlan";
import type { ChangeKind, PropertySpec } from "../../provider/fields/backupPlan";
import { RESTORE, RESTORE_INPUT_PROPERTIES } from "../../provider/fields/restore";
import type { RestorePropertySpec } from "../../provider/fields/restore";

/** Pipes and newlines would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

export function configTable(): string {
  const rows = CONFIG_KEYS.map(
    (k) =>
      `| \`${CONFIG_NAMESPACE}:${k.key}\` | ${k.env.map((e) => `\`${e}\``).join(", ")}` +
      ` | ${k.secret ? "yes" : "no"} | ${k.kind} | ${cell(k.description)} |`,
  );
  return ["| key | environment fallbacks | secret | type | meaning |", "|---|---|---|---|---|", ...rows].join("\n");
}

function formatDefault(value: unknown): string {
  if (value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "`[]`" : `\`${JSON.stringify(value)}\``;
  if (typeof value === "object" && value !== null) return `\`${JSON.stringify(value)}\``;
  return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

interface SchemaProperty {
  default?: unknown;
  description?: string;
}

export function policyTable(): string {
  const rows = describePolicies().map((p) => {
    const schema = p.configSchema as { properties?: Record<string, SchemaProperty> } | undefined;
    const options = Object.entries(schema?.properties ?? {})
      .map(([key, property]) => `\`${key}\` = ${formatDefault(property.default)}`)
      .join("<br>");
    return (
      `| \`${p.name}\` | ${p.kind} | ${p.defaultLevel} | ${cell(p.description)}` +
      ` | ${options === "" ? "-" : cell(options)} |`
    );
  });
  return [
    "| policy | checks | default level | what it enforces | options (defaults) |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The README headings the resource tables follow. */
export const BACKUP_PLAN_SECTION = "### `BackupPlan`";
export const RESTORE_SECTION = "### `Restore`";

const CHANGE_WORDS: Record<Exclude<ChangeKind, "output">, string> = {
  update: "update in place",
  replace: "**replace**",
  local: "recorded only; no API call",
  create: "used on create only",
};

const INPUT_HEADER = ["| input | type | default | on change |", "|---|---|---|---|"];

function defaultCell(spec: { required?: true; default?: string; defaultText?: string }): string {
  if (spec.required === true) return "required";
  if (spec.default !== undefined) return `\`${JSON.stringify(spec.default)}\``;
  return spec.defaultText ?? "none";
}

/** The BackupPlan's inputs, from its field table (provider/fields/backupPlan.ts). */
export function backupPlanTable(): string {
  const rows = PLAN_INPUT_PROPERTIES.map((property) => {
    const spec: PropertySpec = BACKUP_PLAN[property];
    const change = spec.change === "output" ? "" : CHANGE_WORDS[spec.change];
    return `| \`${property}\` | ${spec.type ?? "-"} | ${defaultCell(spec)} | ${change}${spec.note ?? ""} |`;
  });
  return [...INPUT_HEADER, ...rows].join("\n");
}

/** The Restore's inputs, from its field table (provider/fields/restore.ts): every change is another restore. */
export function restoreTable(): string {
  const rows = RESTORE_INPUT_PROPERTIES.map((property) => {
    const spec: RestorePropertySpec = RESTORE[property];
    return `| \`${property}\` | ${spec.type ?? "-"} | ${defaultCell(spec)} | replace${spec.note ?? ""} |`;
  });
  return [...INPUT_HEADER, ...rows].join("\n");
}

/**
 * `text` with the Markdown table that starts with the same header line as `table` replaced by `table`; with
 * `section`, the first such table after that line (the BackupPlan and Restore tables share their header).
 */
export function replaceTable(text: string, table: string, section?: string): string {
  const header = table.slice(0, table.indexOf("\n"));
  const lines = text.split("\n");
  const from = section === undefined ? 0 : lines.indexOf(section);
  if (from < 0) throw new Error(`no line ${section}`);
  const start = lines.indexOf(header, from);
  if (start < 0) throw new Error(`no table with the header ${header}: paste it by hand once`);
  let end = start;
  while (end < lines.length && lines[end]?.startsWith("|")) end += 1;
  return [...lines.slice(0, start), table, ...lines.slice(end)].join("\n");
}

if (require.main === module) {
  if (process.argv.includes("--write")) {
    // From dist/tests/cli/ up to the repository root.
    const readme = path.resolve(__dirname, "..", "..", "..", "README.md");
    let updated = replaceTable(replaceTable(readFileSync(readme, "utf8"), configTable()), policyTable());
    updated = replaceTable(updated, backupPlanTable(), BACKUP_PLAN_SECTION);
    updated = replaceTable(updated, restoreTable(), RESTORE_SECTION);
    writeFileSync(readme, updated);
    process.stdout.write(`updated the configuration, policy, BackupPlan and Restore tables in ${readme}\n`);
  } else {
    process.stdout.write(`${configTable()}\n\n${policyTable()}\n\n${backupPlanTable()}\n\n${restoreTable()}\n`);
  }
}
