/** Pure rendering of a RunResult as a Pulumi-like summary (what the CLI prints without `--json`). */
import { redactForDisplay } from "./properties.js";
import type { RunResult, StepOp, StepResult } from "./types.js";

const SYMBOLS: Record<StepOp, string> = {
  create: "+ ",
  same: "  ",
  update: "~ ",
  replace: "+-",
  delete: "- ",
  read: "> ",
  refresh: "~ ",
  import: "= ",
};

const PAST: Record<StepOp, [string, string]> = {
  create: ["to create", "created"],
  update: ["to update", "updated"],
  replace: ["to replace", "replaced"],
  delete: ["to delete", "deleted"],
  same: ["unchanged", "unchanged"],
  read: ["to read", "read"],
  refresh: ["to refresh", "refreshed"],
  import: ["to import", "imported"],
};

const HEADINGS: Record<RunResult["command"], string> = {
  preview: "Previewing update",
  up: "Updating",
  refresh: "Refreshing",
  destroy: "Destroying",
};

function stepLine(step: StepResult): string {
  const detail: string[] = [];
  if (step.diffs?.length) detail.push(`[diff: ${step.diffs.map((d) => `~${d}`).join(", ")}]`);
  if (step.op === "replace" && step.deleteBeforeReplace) detail.push("[delete-before-replace]");
  if (step.status !== "ok") detail.push(`**${step.status}**`);
  return (
    ` ${SYMBOLS[step.op]}  ${step.type.padEnd(48)} ${step.name.padEnd(24)}` +
    ` ${step.op}${detail.length ? ` ${detail.join(" ")}` : ""}`
  );
}

export function renderSummary(result: RunResult, stack: string): string {
  const lines: string[] = [];
  lines.push(
    `${HEADINGS[result.command]} (${stack}) with the engine stand-in (test infrastructure, not the Pulumi CLI)`,
    "",
  );
  lines.push(`     ${"Type".padEnd(48)} ${"Name".padEnd(24)} Plan`);
  for (const step of result.steps) lines.push(stepLine(step));

  const problems = result.diagnostics.filter((d) => d.severity !== "debug" && !d.policy);
  if (problems.length) {
    lines.push("", "Diagnostics:");
    for (const d of problems) {
      lines.push(`  ${d.urn ? `${d.urn.split("::").slice(-2).join(" (")})` : "(program)"}:`);
      for (const [index, text] of d.message.split("\n").entries())
        lines.push(`    ${index === 0 ? `${d.severity}: ` : ""}${text}`);
    }
  }
  const policies = result.diagnostics.filter((d) => d.policy);
  if (policies.length) {
    const mandatory = policies.filter((d) => d.severity === "error").length;
    lines.push("", `Policies: ${mandatory} mandatory violation(s), ${policies.length - mandatory} other finding(s)`);
    for (const d of policies) {
      const p = d.policy!;
      lines.push(
        `    ${d.severity === "error" ? "x" : "!"} ${p.pack}/${p.name} [${p.enforcementLevel}` +
          `]${d.urn ? ` on ${d.urn.split("::").pop() ?? d.urn}` : ""}`,
      );
      for (const text of d.message.split("\n")) lines.push(`        ${text}`);
    }
  }
  const outputs = Object.entries(result.outputs);
  if (outputs.length) {
    lines.push("", "Outputs:");
    for (const [key, value] of outputs) lines.push(`    ${key}: ${JSON.stringify(redactForDisplay(value))}`);
  }
  const counts = new Map<StepOp, number>();
  for (const step of result.steps) if (step.status === "ok") counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
  lines.push("", "Resources:");
  const tense = result.command === "preview" ? 0 : 1;
  for (const [op, count] of counts) lines.push(`    ${SYMBOLS[op].trim() || " "} ${count} ${PAST[op][tense]}`);
  const failed = result.steps.filter((s) => s.status === "failed").length;
  if (failed) lines.push(`    x ${failed} failed`);
  lines.push("", `Duration: ${(result.durationMs / 1000).toFixed(1)}s  ${result.ok ? "succeeded" : "FAILED"}`);
  // A preview writes no state.
  if (result.command !== "preview") lines.push(`State: ${result.statePath}`);
  return lines.join("\n");
}
