// `npm run bench -- policy [--resources N] [--patterns P]`: a stack of N resources (50,000) (half block volumes,
// half BackupPlans protecting them) through the pack, in-process through @pulumi/policy's own Analyze and
// AnalyzeStack handlers (protobuf in, protobuf out; no socket). Reports the per-resource pass, the stack
// pass with warm and cold caches, and the schedule analysis figure. Target: the stack pass under 2 s.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { backupGuard } from "../policy/guard";
import { clearRunSamples } from "../policy/core/runs";
import { clearScheduleCaches } from "../provider/schedule";
import { BACKUP_PLAN_TYPE } from "../provider/tokens";
import { InProcessAnalyzer } from "../tests/policy/analyzer";
import type { AnalyzedResource } from "../tests/policy/analyzer";
import { measureScheduleAnalysis, schedulePatterns } from "./schedule";

const STACK_TARGET_MS = 2000;
const VOLUME_TYPE = "openstack:blockstorage/volume:Volume";
const TIERS = ["gold", "silver", "bronze", undefined] as const;

function urn(type: string, name: string): string {
  return `urn:pulumi:bench::backups::${type}::${name}`;
}

function guid(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `0b5e0000-0000-4000-8000-${hex}`;
}

/** Volumes and plans, one plan per volume and every tenth plan protecting its neighbour too. */
export function benchStack(resourceCount: number, patternCount: number): AnalyzedResource[] {
  const patterns = schedulePatterns(patternCount);
  const volumes = Math.ceil(resourceCount / 2);
  const plans = resourceCount - volumes;
  const resources: AnalyzedResource[] = [];
  for (let v = 0; v < volumes; v++) {
    const name = `vol-${v}`;
    const tier = TIERS[v % TIERS.length];
    resources.push({ type: VOLUME_TYPE, name, urn: urn(VOLUME_TYPE, name), properties: { name, size: 20, ...(tier ? { metadata: { "backup:tier": tier } } : {}) } });
  }
  for (let p = 0; p < plans; p++) {
    const name = `plan-${p}`;
    const covered = p % 10 === 0 && p + 1 < volumes ? [p, p + 1] : [p % volumes];
    resources.push({
      type: BACKUP_PLAN_TYPE,
      name,
      urn: urn(BACKUP_PLAN_TYPE, name),
      properties: {
        name,
        description: `Backups of volume ${p}, benchmark stack`,
        backupMode: p % 7 === 0 ? "frequency" : "full",
        maxBackups: p % 7 === 0 ? 4 : 30,
        scheduleType: "crontab",
        schedulePattern: patterns[p % patterns.length]!,
        resources: covered.map((v) => ({ id: guid(v), name: `vol-${v}`, type: "OS::Cinder::Volume" })),
        status: "started",
        __provider: "exports.handler = require('pulumi-scheduled-backup/runtime')",
      },
      propertyDependencies: { resources: covered.map((v) => urn(VOLUME_TYPE, `vol-${v}`)) },
    });
  }
  return resources;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

export async function run(args: string[]): Promise<boolean> {
  const { values } = parseArgs({ args, options: { resources: { type: "string", default: "50000" }, patterns: { type: "string", default: "500" } } });
  const resourceCount = Number(values.resources);
  const patternCount = Number(values.patterns);
  if (!Number.isInteger(resourceCount) || resourceCount < 2) throw new Error(`--resources must be a whole number of at least 2, got ${values.resources}`);
  if (!Number.isInteger(patternCount) || patternCount < 1) throw new Error(`--patterns must be a whole number of at least 1, got ${values.patterns}`);

  const stack = benchStack(resourceCount, patternCount);
  const analyzer = new InProcessAnalyzer(backupGuard());
  const requests = stack.map((resource) => InProcessAnalyzer.request(resource));
  const stackRequest = InProcessAnalyzer.stackRequest(stack);
  const plans = stack.filter((r) => r.type === BACKUP_PLAN_TYPE).length;

  clearScheduleCaches();
  clearRunSamples();
  const analyzeStart = performance.now();
  let resourceFindings = 0;
  for (const request of requests) resourceFindings += (await analyzer.analyzeRequest(request)).diagnostics.length;
  const analyzeMs = performance.now() - analyzeStart;

  const warmStart = performance.now();
  const warm = await analyzer.analyzeStackRequest(stackRequest);
  const warmMs = performance.now() - warmStart;

  clearScheduleCaches();
  clearRunSamples();
  const coldStart = performance.now();
  await analyzer.analyzeStackRequest(stackRequest);
  const coldMs = performance.now() - coldStart;

  const schedule = measureScheduleAnalysis(1000);

  const lines = [
    `policy pack benchmark: ${stack.length} resources (${stack.length - plans} volumes, ${plans} plans, ${Math.min(patternCount, plans)} distinct schedules), 16 policies, in-process @pulumi/policy handlers`,
    `  Analyze, every resource:      ${ms(analyzeMs)} total, ${ms(analyzeMs / stack.length)} per resource (${resourceFindings} findings)`,
    `  AnalyzeStack, warm caches:    ${ms(warmMs)} total, ${ms(warmMs / stack.length)} per resource (${warm.diagnostics.length} findings)  target < ${STACK_TARGET_MS} ms: ${warmMs < STACK_TARGET_MS ? "met" : "MISSED"}`,
    `  AnalyzeStack, cold caches:    ${ms(coldMs)} total, ${ms(coldMs / stack.length)} per resource  target < ${STACK_TARGET_MS} ms: ${coldMs < STACK_TARGET_MS ? "met" : "MISSED"}`,
    `  schedule analysis:            ${schedule.count} distinct patterns in ${ms(schedule.totalMs)} (target < 2000 ms: ${schedule.totalMs < 2000 ? "met" : "MISSED"})`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return warmMs < STACK_TARGET_MS && coldMs < STACK_TARGET_MS && schedule.totalMs < 2000;
}
