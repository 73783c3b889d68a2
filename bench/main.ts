// `npm run bench -- <name> [args...]`: each benchmark lives in its own module and exports `run(args)`.
// Modules are required lazily so one benchmark's dependencies never slow another's start.
const benchmarks: Record<string, { module: string; about: string }> = {
  list: { module: "./list", about: "100,000 checkpoints through the client vs a bare undici loop" },
  provider: {
    module: "./provider",
    about: "`up` of 200 plans through the engine stand-in, against a trivial dynamic provider",
  },
  schedule: { module: "./schedule", about: "1,000 distinct schedule patterns through the analysis (target < 2 s)" },
  policy: {
    module: "./policy",
    about: "a 50,000-resource stack through the policy pack (target < 2 s); schedule analysis speed",
  },
  health: { module: "./health", about: "backup health of 100 plans x 1,000 checkpoints (target < 2 s)" },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const entry = name === undefined ? undefined : benchmarks[name];
  if (entry === undefined) {
    const list = Object.entries(benchmarks)
      .map(([key, b]) => `  ${key.padEnd(10)} ${b.about}`)
      .join("\n");
    process.stderr.write(`usage: npm run bench -- <name> [args]\n\nbenchmarks:\n${list}\n`);
    return name === undefined ? 0 : 2;
  }
  // Each benchmark says whether it met its targets: a miss fails the command.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time; only it loads
  const mod = require(entry.module) as { run(args: string[]): Promise<boolean> };
  return (await mod.run(rest)) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
