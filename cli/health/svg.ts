// `health --svg FILE`: a self-contained SVG timeline, one row per (plan, volume), over the look-back window.
// Backups are marks (usable: green circle; not restorable: grey circle; failed: red cross), and every stretch
// with no usable backup longer than the plan's RPO (longest gap + slack) is a red band. Classes and data-*
// attributes make the structure checkable by tests and styleable by users.
import type { Checkpoint } from "../../provider/api";
import {
  formatAge,
  usableBackups,
  type HealthReport,
  type PlanHealth,
  type Timed,
  type VolumeHealth,
} from "../../provider/health";
import { MS_PER_DAY, MS_PER_MINUTE } from "../../provider/schedule";

const WIDTH = 960;
const LABEL_WIDTH = 220;
const ROW_HEIGHT = 46;
const TOP = 58;
const BOTTOM = 34;
const RIGHT = 24;

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );
}

interface Row {
  plan: PlanHealth;
  volume: VolumeHealth;
  items: Timed[];
}

/** Checkpoint items per (plan id, volume id), without those being deleted. */
function itemsByPlanVolume(checkpoints: readonly Checkpoint[]): Map<string, Timed[]> {
  const map = new Map<string, Timed[]>();
  for (const checkpoint of checkpoints) {
    for (const item of checkpoint.checkpoint_items) {
      if (item.status === "deleting") continue;
      const key = `${checkpoint.plan_id}\u0000${item.resource.id}`;
      const timed = { item, ms: Date.parse(item.created_at) };
      const list = map.get(key);
      if (list === undefined) map.set(key, [timed]);
      else list.push(timed);
    }
  }
  return map;
}

/** Stretches within [from, to] longer than `limitMs` between consecutive usable backups (and up to `to`). */
export function gapsOver(
  usableMs: readonly number[],
  fromMs: number,
  toMs: number,
  startMs: number,
  limitMs: number,
): [number, number][] {
  const points = [...usableMs].sort((a, b) => a - b);
  const gaps: [number, number][] = [];
  // Before the first usable backup the stretch counts from startMs (the start of the judged window).
  let previous = startMs;
  for (const at of [...points, toMs]) {
    if (at - previous > limitMs) {
      const begin = Math.max(previous, fromMs);
      const end = Math.min(at, toMs);
      if (end > begin) gaps.push([begin, end]);
    }
    previous = Math.max(previous, at);
  }
  return gaps;
}

function legend(slackMinutes: number): string[] {
  const y = 40;
  return [
    `<circle class="usable" cx="18" cy="${y - 4}" r="5"/><text class="muted" x="28" y="${y}">usable ` +
      `backup (small: incremental)</text>`,
    `<circle class="unusable" cx="258" cy="${y - 4}" r="5"/><text class="muted" x="268" y="${y}">not restorable</text>`,
    `<g class="failed"><line x1="373" y1="${y - 9}" x2="383" y2="${y + 1}"/><line x1="373" ` +
      `y1="${y + 1}" x2="383" y2="${y - 9}"/></g><text class="muted" x="390" y="${y}">failed</text>`,
    `<rect class="gap" x="440" y="${y - 10}" width="22" height="12"/><text class="muted" x="468" y="${y}` +
      `">no usable backup for longer than the RPO (longest gap + ${slackMinutes} min)</text>`,
  ];
}

export function renderSvg(report: HealthReport, checkpoints: readonly Checkpoint[]): string {
  const toMs = Date.parse(report.at);
  const fromMs = toMs - report.lookBackDays * MS_PER_DAY;
  const byKey = itemsByPlanVolume(checkpoints);
  const rows: Row[] = report.plans.flatMap((plan) =>
    plan.volumes.map((volume) => ({ plan, volume, items: byKey.get(`${plan.planId}\u0000${volume.volumeId}`) ?? [] })),
  );
  const height = TOP + Math.max(1, rows.length) * ROW_HEIGHT + BOTTOM;
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT;
  const x = (ms: number): number => LABEL_WIDTH + ((ms - fromMs) / (toMs - fromMs)) * plotWidth;
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>Backup health at ${escapeXml(report.at)}</title>`,
    "<style>.usable{fill:#2e7d32}.unusable{fill:#9e9e9e}.failed{stroke:#c62828;stroke-width:2.5}" +
      ".gap{fill:#c62828;fill-opacity:0.18;stroke:#c62828;stroke-opacity:0.6}" +
      ".axis{stroke:#888}.grid{stroke:#e0e0e0}.label{fill:#222}.muted{fill:#666}" +
      ".breach{fill:#c62828;font-weight:bold}</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold" class="label">Backups ` +
      `over the last ${report.lookBackDays} days, as of ${escapeXml(report.at)}</text>`,
    ...legend(report.slackMinutes),
  );
  // Day grid and labels.
  const days = Math.round((toMs - fromMs) / MS_PER_DAY);
  const step = Math.max(1, Math.ceil(days / 10));
  for (let d = 0; d <= days; d += step) {
    const ms = fromMs + d * MS_PER_DAY;
    out.push(`<line class="grid" x1="${f(x(ms))}" y1="${TOP - 4}" x2="${f(x(ms))}" y2="${height - BOTTOM}"/>`);
    out.push(
      `<text class="muted" x="${f(x(ms))}" y="${height - BOTTOM + 16}" ` +
        `text-anchor="middle">${escapeXml(new Date(ms).toISOString().slice(5, 16).replace("T", " "))}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
    const { plan, volume } = row;
    out.push(
      `<g class="volume" data-plan="${escapeXml(plan.planName)}` +
        `" data-volume="${escapeXml(volume.volumeName)}" data-breach="${volume.breach}">`,
    );
    out.push(
      `<text class="${volume.breach ? "breach" : "label"}" x="12" y="${f(y - 3)}` +
        `">${escapeXml(plan.planName)} / ${escapeXml(volume.volumeName)}</text>`,
    );
    const status = `${volume.breach ? "BREACH" : "ok"}${plan.suspended ? " (suspended)" : ""}`;
    const age =
      volume.newestBackupAgeMinutes === null
        ? "no usable backup"
        : `newest ${formatAge(volume.newestBackupAgeMinutes)} ago`;
    out.push(
      `<text class="${volume.breach ? "breach" : "muted"}" x="12" y="${f(y + 12)}` +
        `" font-size="11">${escapeXml(`${status} · ${age}`)}</text>`,
    );
    out.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${f(y)}" x2="${WIDTH - RIGHT}" y2="${f(y)}"/>`);
    const usable = new Set(usableBackups(row.items).usable.map((t) => t.item.id));
    if (plan.rpoMinutes !== null) {
      // Stretches before the judged window (before the plan existed, or pruned by retention) are not gaps.
      const startMs = Date.parse(plan.judgedFrom);
      const usableMs = row.items.filter((t) => usable.has(t.item.id)).map((t) => t.ms);
      for (const [begin, end] of gapsOver(usableMs, fromMs, toMs, startMs, plan.rpoMinutes * MS_PER_MINUTE)) {
        out.push(
          `<rect class="gap" x="${f(x(begin))}" y="${f(y - 13)}" width="${f(Math.max(1, x(end) - x(begin)))}` +
            `" height="26" ` +
            `data-from="${new Date(begin).toISOString()}" data-to="${new Date(end).toISOString()}">` +
            `<title>${escapeXml(formatAge((end - begin) / MS_PER_MINUTE))} without a usable backup</title></rect>`,
        );
      }
    }
    for (const timed of row.items) {
      if (timed.ms < fromMs || timed.ms > toMs) continue;
      const cx = f(x(timed.ms));
      const backupKind = timed.item.is_incremental ? "incremental" : "full";
      const title = `<title>${escapeXml(`${timed.item.created_at} ${backupKind} ${timed.item.status}`)}</title>`;
      if (timed.item.status === "error") {
        out.push(
          `<g class="mark failed" data-at="${escapeXml(timed.item.created_at)}` +
            `">${title}<line x1="${f(x(timed.ms) - 5)}" y1="${f(y - 5)}" x2="${f(x(timed.ms) + 5)}` +
            `" y2="${f(y + 5)}"/><line x1="${f(x(timed.ms) - 5)}" y1="${f(y + 5)}" x2="${f(x(timed.ms) + 5)}` +
            `" y2="${f(y - 5)}"/></g>`,
        );
      } else {
        const kind = usable.has(timed.item.id) ? "usable" : "unusable";
        out.push(
          `<circle class="mark backup ${kind}" data-at="${escapeXml(timed.item.created_at)}` +
            `" cx="${cx}" cy="${f(y)}" r="${timed.item.is_incremental ? 3.5 : 5}">${title}</circle>`,
        );
      }
    }
    out.push("</g>");
  });
  if (rows.length === 0) out.push(`<text class="muted" x="12" y="${TOP + 20}">No plans matched.</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
