// Drives @pulumi/policy's own analyzer handlers in-process: the functions its gRPC server registers
// for Analyze and AnalyzeStack, fed real protobuf requests. This is the path the CLI exercises,
// minus the socket: deserialization, the unknown-checking proxy, the "can't run during preview"
// downgrade, per-violation levels and not-applicable bookkeeping all come from the library itself.
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Policies } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

type Handler<Req, Res> = (
  call: { request: Req },
  callback: (err: Error | null, response?: Res) => void,
) => Promise<void>;
interface PolicyServer {
  makeAnalyzeRpcFun(
    pack: string,
    version: string,
    level: string,
    policies: Policies,
  ): Handler<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>;
  makeAnalyzeStackRpcFun(
    pack: string,
    version: string,
    level: string,
    policies: Policies,
  ): Handler<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>;
  makeRemediateRpcFun(
    pack: string,
    version: string,
    level: string,
    policies: Policies,
  ): Handler<analyzerPb.AnalyzeRequest, analyzerPb.RemediateResponse>;
}

export interface Remediation {
  policy: string;
  properties?: Record<string, unknown>;
  diagnostic: string;
}

// `server.js` marks these handlers @internal (they are what `serve` registers); there is no other
// in-process entry point, and constructing a PolicyPack would start a gRPC server.
// server.d.ts is empty (@internal), so no typed import exists.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as PolicyServer;

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

export interface Diagnostic {
  policy: string;
  level: (typeof LEVELS)[number];
  message: string;
  urn: string;
}
export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: string[];
  /** The reason each not-applicable policy gave, by policy name (absent when it gave none). */
  notApplicableReasons: Record<string, string>;
}

export interface AnalyzedResource {
  type: string;
  name: string;
  urn: string;
  properties: Record<string, unknown>;
  propertyDependencies?: Record<string, string[]>;
}

function options(): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(false);
  return opts;
}

function result(response: analyzerPb.AnalyzeResponse): AnalyzeResult {
  return {
    diagnostics: response.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      message: d.getMessage(),
      urn: d.getUrn(),
    })),
    notApplicable: response.getNotApplicableList().map((n) => n.getPolicyName()),
    notApplicableReasons: Object.fromEntries(
      response
        .getNotApplicableList()
        .filter((n) => n.getReason() !== "")
        .map((n) => [n.getPolicyName(), n.getReason()]),
    ),
  };
}

function call<Req, Res, Out>(handler: Handler<Req, Res>, request: Req, convert: (response: Res) => Out): Promise<Out> {
  return new Promise((resolve, reject) => {
    handler({ request }, (err, response) => {
      try {
        if (err) reject(err);
        else resolve(convert(response!));
      } catch (failure) {
        reject(failure);
      }
    }).catch(reject);
  });
}

export class InProcessAnalyzer {
  private readonly analyzeFn: Handler<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>;
  private readonly analyzeStackFn: Handler<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>;
  private readonly remediateFn: Handler<analyzerPb.AnalyzeRequest, analyzerPb.RemediateResponse>;

  constructor(
    policies: Policies,
    readonly packName = "scheduled-backup-guard",
  ) {
    this.analyzeFn = server.makeAnalyzeRpcFun(packName, "0.1.0", "advisory", policies);
    this.analyzeStackFn = server.makeAnalyzeStackRpcFun(packName, "0.1.0", "advisory", policies);
    this.remediateFn = server.makeRemediateRpcFun(packName, "0.1.0", "advisory", policies);
  }

  static request(resource: AnalyzedResource): analyzerPb.AnalyzeRequest {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType(resource.type).setName(resource.name).setUrn(resource.urn);
    request.setProperties(Struct.fromJavaScript(resource.properties as Parameters<typeof Struct.fromJavaScript>[0]));
    request.setOptions(options());
    return request;
  }

  static stackRequest(resources: readonly AnalyzedResource[]): analyzerPb.AnalyzeStackRequest {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((resource) => {
        const item = new analyzerPb.AnalyzerResource();
        item.setType(resource.type).setName(resource.name).setUrn(resource.urn);
        item.setProperties(Struct.fromJavaScript(resource.properties as Parameters<typeof Struct.fromJavaScript>[0]));
        item.setOptions(options());
        const dependencies = new Set<string>();
        for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
          const deps = new analyzerPb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          item.getPropertydependenciesMap().set(key, deps);
          urns.forEach((urn) => dependencies.add(urn));
        }
        item.setDependenciesList([...dependencies]);
        return item;
      }),
    );
    return request;
  }

  analyze(resource: AnalyzedResource): Promise<AnalyzeResult> {
    return call(this.analyzeFn, InProcessAnalyzer.request(resource), result);
  }

  analyzeRequest(request: analyzerPb.AnalyzeRequest): Promise<AnalyzeResult> {
    return call(this.analyzeFn, request, result);
  }

  analyzeStack(resources: readonly AnalyzedResource[]): Promise<AnalyzeResult> {
    return call(this.analyzeStackFn, InProcessAnalyzer.stackRequest(resources), result);
  }

  analyzeStackRequest(request: analyzerPb.AnalyzeStackRequest): Promise<AnalyzeResult> {
    return call(this.analyzeStackFn, request, result);
  }

  remediate(resource: AnalyzedResource): Promise<Remediation[]> {
    return call(this.remediateFn, InProcessAnalyzer.request(resource), (response) =>
      response.getRemediationsList().map((r) => {
        const properties = r.getProperties()?.toJavaScript();
        return {
          policy: r.getPolicyname(),
          diagnostic: r.getDiagnostic(),
          ...(properties === undefined ? {} : { properties }),
        };
      }),
    );
  }
}
