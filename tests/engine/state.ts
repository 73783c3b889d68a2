/**
 * The JSON state file: one per stack at `<program>/.pulumi-test/<stack>.json`, in the shape of
 * `pulumi stack export` (apitype.UntypedDeployment v3 holding DeploymentV3). In memory secrets are
 * SDK-wrapped values; on disk they carry `ciphertext` (base64 of the JSON: encoding, not encryption).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeSecretsFromState, encodeSecretsForState, isPlainObject } from "./properties.js";
import type { Checkpoint, ResourceRecord } from "./types.js";

export class StateFileError extends Error {
  constructor(
    readonly statePath: string,
    detail: string,
  ) {
    super(`state file ${statePath} ${detail}; delete it to start the stack afresh`);
    this.name = "StateFileError";
  }
}

export const STATE_DIR = ".pulumi-test";
const MANIFEST_MAGIC = "pulumi-scheduled-backup engine stand-in (test infrastructure)";

export function statePathFor(cwd: string, stack: string): string {
  return path.join(path.resolve(cwd), STATE_DIR, `${stack}.json`);
}

function emptyCheckpoint(): Checkpoint {
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date().toISOString(), magic: MANIFEST_MAGIC, version: "stand-in" },
      secrets_providers: secretsProvider(),
      resources: [],
    },
  };
}

function secretsProvider(): Checkpoint["deployment"]["secrets_providers"] {
  return {
    type: "stand-in-base64",
    state: { note: "secrets are base64-encoded JSON: kept out of plaintext, NOT encrypted (test infrastructure)" },
  };
}

/** The raw checkpoint as stored (secrets encoded); an empty deployment when the stack has no state yet. */
export function readCheckpoint(statePath: string): Checkpoint {
  if (!existsSync(statePath)) return emptyCheckpoint();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(statePath, "utf8"));
  } catch (err) {
    throw new StateFileError(statePath, `is not valid JSON (${(err as Error).message})`);
  }
  if (
    !isPlainObject(parsed) ||
    parsed.version !== 3 ||
    !isPlainObject(parsed.deployment) ||
    !Array.isArray(parsed.deployment.resources)
  ) {
    throw new StateFileError(statePath, "is not a version-3 deployment (`{version: 3, deployment: {resources: []}}`)");
  }
  return parsed as unknown as Checkpoint;
}

/** Resources with secrets decoded into the SDK's wrapped form, ready for the engine. */
export function loadResources(statePath: string): ResourceRecord[] {
  return readCheckpoint(statePath).deployment.resources.map((record) => ({
    ...record,
    inputs: decodeSecretsFromState(record.inputs ?? {}) as Record<string, unknown>,
    outputs: decodeSecretsFromState(record.outputs ?? {}) as Record<string, unknown>,
  }));
}

function checkpointText(resources: readonly ResourceRecord[]): string {
  const checkpoint = emptyCheckpoint();
  checkpoint.deployment.resources = resources.map((record) => ({
    ...record,
    inputs: encodeSecretsForState(record.inputs ?? {}) as Record<string, unknown>,
    outputs: encodeSecretsForState(record.outputs ?? {}) as Record<string, unknown>,
  }));
  return `${JSON.stringify(checkpoint, null, 2)}\n`;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a checkpoint. */
export function saveResources(statePath: string, resources: readonly ResourceRecord[]): void {
  const text = checkpointText(resources);
  mkdirSync(path.dirname(statePath), { recursive: true });
  const temporary = `${statePath}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, statePath);
}

/**
 * saveResources without blocking the event loop on the disk (the snapshot is taken synchronously, so it
 * is the state of the moment of the call). Callers must not overlap two writes of the same file.
 */
export async function saveResourcesAsync(statePath: string, resources: readonly ResourceRecord[]): Promise<void> {
  const text = checkpointText(resources);
  await mkdir(path.dirname(statePath), { recursive: true });
  const temporary = `${statePath}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, statePath);
}
