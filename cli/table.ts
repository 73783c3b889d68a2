// Plain-text tables for people. Machines use --json, so the table only has to be easy to read:
// left-aligned columns, two spaces apart, a header in capitals, no trailing blanks.
import { formatAge } from "../provider/health/format";

export interface Column<Row> {
  header: string;
  value(row: Row): string;
  /** Right-align (counts, sizes). */
  numeric?: boolean;
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[i] ?? ""))),
  );
  const format = (line: string[]) =>
    line
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - displayWidth(cell));
        return columns[i]?.numeric === true ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [format(columns.map((c) => c.header.toUpperCase())), ...cells.map(format)].join("\n") + "\n";
}

/** Key/value block for a single object (`plans get`, `checkpoints get`). */
export function renderFields(fields: readonly [string, string][]): string {
  const width = Math.max(0, ...fields.map(([key]) => displayWidth(key)));
  // An empty key continues the previous field on its own line (e.g. a list of next runs).
  return (
    fields
      .map(
        ([key, value]) =>
          `${key === "" ? " " : `${key}:`}${" ".repeat(width - displayWidth(key) + 1)}${oneLine(value)}`,
      )
      .join("\n") + "\n"
  );
}

// A name with a newline or tab in it would break the grid; show it escaped instead.
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]/g, (ch) => (ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : "\\t"));
}

function displayWidth(text: string): number {
  return [...text].length;
}

/** `2024-01-15T02:00:00Z`: ISO 8601 without the milliseconds nobody reads. */
export function formatTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `3 d 4 h`, `6 h`, `45 min`: durations as people say them (the health report's wording), `-` for none. */
export function formatMinutes(total: number): string {
  return Number.isFinite(total) ? formatAge(total) : "-";
}
