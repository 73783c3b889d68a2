// The emulator's state and services in one place (store, tokens, faults, clocks), independent of HTTP.

import { DEFAULT_PROTECTING_SECONDS } from "./constants";
import { FaultEngine } from "./faults";
import { type Credentials, type TokenRecord, TokenRegistry } from "./keystone";
import { type VolumeRecord, formatTime } from "./model";
import { type Snapshot, Store } from "./store";

interface AppConfig {
  projectId: string;
  staticToken: string;
  credentials: Credentials;
  regions: readonly string[];
  tokenTtlSeconds: number;
  /** Inventory present at start and after a reset. */
  volumes: readonly { id?: string; name: string }[];
  /** Virtual clock at start and after a reset. */
  startTimeMs: number;
  realNow: () => number;
  newId: () => string;
}

export interface PersistedState {
  format: "scheduled-backup-emulator";
  store: Snapshot;
  tokens: TokenRecord[];
}

export class EmulatorApp {
  store: Store;
  tokens: TokenRegistry;
  readonly faults = new FaultEngine();
  private readonly listeners: (() => void)[] = [];

  constructor(readonly config: AppConfig) {
    this.store = this.freshStore();
    this.tokens = new TokenRegistry(config.staticToken, config.projectId);
  }

  /** Registers a callback run after every change of state (persistence). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  private durableHook: () => Promise<void> = () => Promise.resolve();

  /** Installs what `durable()` awaits (persistence: the pending state written to disk). */
  onDurable(hook: () => Promise<void>): void {
    this.durableHook = hook;
  }

  /** Resolves once every change so far is on disk (at once without `--data`): awaited before acknowledging a write. */
  durable(): Promise<void> {
    return this.durableHook();
  }

  realNow(): number {
    return this.config.realNow();
  }

  virtualNow(): string {
    return formatTime(this.store.clockMs);
  }

  protectingSeconds(): number {
    return this.faults.protectingSeconds(DEFAULT_PROTECTING_SECONDS);
  }

  /** Back to the state at start: no plans, checkpoints or restores, the initial inventory, clock and no faults. */
  reset(): void {
    this.store = this.freshStore();
    this.faults.configure({});
    this.changed();
  }

  addVolume(input: { id?: string; name: string; projectId?: string | null }): VolumeRecord {
    const volume: VolumeRecord = {
      id: input.id ?? this.config.newId(),
      name: input.name,
      projectId: input.projectId ?? null,
      createdAt: this.virtualNow(),
    };
    this.store.volumes.set(volume.id, volume);
    return volume;
  }

  persisted(): PersistedState {
    return {
      format: "scheduled-backup-emulator",
      store: this.store.snapshot(this.virtualNow()),
      tokens: this.tokens.issued(this.realNow()),
    };
  }

  load(state: PersistedState): void {
    this.store = Store.fromSnapshot(state.store, Date.parse(state.store.clock));
    this.tokens.restore(state.tokens);
  }

  private freshStore(): Store {
    const store = new Store(this.config.startTimeMs);
    const createdAt = formatTime(this.config.startTimeMs);
    for (const volume of this.config.volumes) {
      const id = volume.id ?? this.config.newId();
      store.volumes.set(id, { id, name: volume.name, projectId: null, createdAt });
    }
    return store;
  }
}
