// The README's reference tables, generated from the code that defines them (CONFIG_KEYS and the policy
// registry), so the README cannot drift: tests/readme.test.ts checks that README.md holds them verbatim.
// After a change, `node dist/tests/cli/readme-tables.js --write` rewrites them in README.md in place
// (without `--write` it prints them).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describePolicies } from "../../policy/guard";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "../../provider/config";

/** Pipes and newlines would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

export function configTable(): string {
  const rows = CONFIG_KEYS.map(
    (k) =>
      `| \`${CONFIG_NAMESPACE}:${k.key}\` | ${k.env.map((e) => `\`${e}\``).join(", ")} | ${k.secret ? "yes" : "no"} | ${k.kind} | ${cell(k.description)} |`,
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
    return `| \`${p.name}\` | ${p.kind} | ${p.defaultLevel} | ${cell(p.description)} | ${options === "" ? "-" : cell(options)} |`;
  });
  return [
    "| policy | checks | default level | what it enforces | options (defaults) |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** `text` with the Markdown table that starts with the same header line as `table` replaced by `table`. */
export function replaceTable(text: string, table: string): string {
  const header = table.slice(0, table.indexOf("\n"));
  const lines = text.split("\n");
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no table with the header ${header}: paste it by hand once`);
  let end = start;
  while (end < lines.length && lines[end]?.startsWith("|")) end += 1;
  return [...lines.slice(0, start), table, ...lines.slice(end)].join("\n");
}

if (require.main === module) {
  if (process.argv.includes("--write")) {
    // From dist/tests/cli/ up to the repository root.
    const readme = path.resolve(__dirname, "..", "..", "..", "README.md");
    const updated = replaceTable(replaceTable(readFileSync(readme, "utf8"), configTable()), policyTable());
    writeFileSync(readme, updated);
    process.stdout.write(`updated the configuration and policy tables in ${readme}\n`);
  } else {
    process.stdout.write(`${configTable()}\n\n${policyTable()}\n`);
  }
}
