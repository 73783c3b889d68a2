// The providers of one engine stand-in run: the dynamic-provider plugin process and the echo fixtures.
import path from "node:path";
import type { ProviderSource } from "./deployment.js";
import { kill, resolvePulumiRoot, startPlugin, type Spawned } from "./processes.js";
import type { PropertyMap } from "./properties.js";
import { EchoProvider, PluginProvider, TracingProvider, type ResourceProvider } from "./providers.js";
import type { Diagnostic, TraceEvent } from "./types.js";

/** Where a run's timestamped events go (`RunOptions.trace`), stamped relative to the run's start. */
export type TraceSink = (event: Omit<TraceEvent, "atMs">) => void;

/** Providers of one run: ONE dynamic-provider plugin process, configured once; echo providers for fake packages. */
export class RunProviders implements ProviderSource {
  private plugin: Promise<{ spawned: Spawned; provider: PluginProvider }> | undefined;
  private configured: Promise<void> | undefined;
  private pluginView: ResourceProvider | undefined;
  private readonly echoes = new Map<string, ResourceProvider>();

  /**
   * `programDirectory` is where the plugin runs: the engine's plugin context has the program's working
   * directory (pkg/engine/project.go `getPwdMain`: the directory `main:` names or holds), every plugin is
   * started there (sdk/go/common/resource/plugin/plugin.go `ExecPlugin`: `cmd.Dir = pwd`), and the
   * `pulumi-resource-pulumi-nodejs` script resolves `@pulumi/pulumi/cmd/dynamic-provider` from it. The
   * serialized shim is loaded by require-from-string with an empty file name, so its `require` resolves
   * from that directory upwards too.
   */
  constructor(
    private readonly programDirectory: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly engineAddress: string,
    private readonly fakePackages: ReadonlySet<string>,
    private readonly trace: TraceSink | undefined,
    private readonly logSink: (d: Diagnostic) => void,
  ) {}

  /** The provider as the deployment sees it: traced when the run asked for a trace. */
  private view(provider: ResourceProvider): ResourceProvider {
    const trace = this.trace;
    return trace ? new TracingProvider(provider, (kind, method, urn) => trace({ kind, method, urn })) : provider;
  }

  /** Starts the plugin ahead of need: program start-up then overlaps with plugin start-up. */
  warmUp(): void {
    this.startPlugin().catch(() => undefined);
  }

  private startPlugin(): Promise<{ spawned: Spawned; provider: PluginProvider }> {
    this.plugin ??= (async () => {
      const entry = path.join(resolvePulumiRoot(this.programDirectory), "cmd", "dynamic-provider");
      // What the plugin prints after its port reaches the user as info, as the engine streams a
      // plugin's stdout (sdk/go/common/resource/plugin/plugin.go, newPlugin: `Diag.Infof(diag.StreamMessage(...))`).
      const { spawned, port } = await startPlugin(
        "the pulumi-nodejs dynamic provider plugin",
        [entry, this.engineAddress],
        this.programDirectory,
        this.env,
        60_000,
        (line) => {
          if (line.trim()) this.logSink({ severity: "info", message: line });
        },
      );
      return { spawned, provider: new PluginProvider(port) };
    })();
    return this.plugin;
  }

  async load(pkg: string, providerUrn: string, config: PropertyMap): Promise<ResourceProvider> {
    if (pkg === "pulumi-nodejs") {
      const { provider } = await this.startPlugin();
      const view = (this.pluginView ??= this.view(provider));
      this.configured ??= view.configure(providerUrn, config);
      await this.configured;
      return view;
    }
    if (this.fakePackages.has(pkg)) {
      let echo = this.echoes.get(pkg);
      if (!echo) this.echoes.set(pkg, (echo = this.view(new EchoProvider())));
      return echo;
    }
    throw new Error(
      `no resource plugin 'pulumi-resource-${pkg}' found in the workspace or on your $PATH; ` +
        `the engine stand-in only has the pulumi-nodejs dynamic provider: ` +
        `pass --fake-package ${pkg} (fakePackages: ["${pkg}"]) to serve it with the echo fixture`,
    );
  }

  async close(): Promise<void> {
    const plugin = await this.plugin?.catch(() => undefined);
    plugin?.provider.close();
    kill(plugin?.spawned);
  }
}
