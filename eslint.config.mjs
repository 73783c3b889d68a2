// One lint configuration for the whole repository. TypeScript is linted with type information (the
// project service finds each file's tsconfig), because the bugs worth catching here are type-level:
// a promise nobody awaits, a promise passed where a callback's result is ignored, an `any` that leaks
// out of JSON or the SDK into typed code. Formatting is Prettier's job (`npm run format:check`); the
// configs below contain no formatting rules, so the two never disagree.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/node_modules/**",
      "**/.pulumi-test/**",
      "bench-results/**",
      ".build/**",
      "tmp/**",
      // tsc's output for the policy pack (policy/tsconfig.json), git-ignored like dist/.
      "policy/index.js",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // The examples are user programs with no tsconfig of their own (Pulumi compiles them with
          // defaults); they are checked against the repository's settings.
          allowDefaultProject: ["examples/*/index.ts"],
          defaultProject: "tsconfig.json",
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Methods that implement a Promise-returning interface (ResourceProvider, the client's seams,
      // test doubles) are `async` on purpose even without an `await`: a synchronous throw then becomes
      // a rejection, which is what their callers handle.
      "@typescript-eslint/require-await": "off",
      // The same convention as tsc's noUnusedLocals/noUnusedParameters: a leading underscore marks a
      // binding that exists for its position (a parameter of an interface, a field dropped from a rest).
      // TypeScript's `import x = require("...")` is a typed import, unlike a bare `require` call.
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      // Passing on what was caught (`catch (err) { reject(err) }`) is not inventing a non-Error reason.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // A `let` that a callback may read before its one assignment (a signal handler, a server's request
      // listener) must stay `let`: as a `const` the early read would throw instead of seeing `undefined`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The shim's method bodies are serialized into every resource's state, comments included, so its
    // one `require` (the runtime, loaded by name inside the plugin) is allowed here rather than by a
    // comment inside the body.
    files: ["provider/shim.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Programs that the engine stand-in runs (each under its own loader and settings); the repository's
    // build excludes them (tsconfig.json), so they have no type information to lint with.
    files: ["tests/**/fixtures/**/*.ts"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Lines of at most 120 columns, as Prettier's printWidth. Prettier wraps code but never breaks a string, a
    // template literal or a comment, so this catches what it cannot: long messages are split into `+`-joined
    // pieces at phrase boundaries and comments re-flowed. Only what cannot be wrapped is exempt: URLs and
    // regular expression literals.
    files: ["**/*.ts", "**/*.js", "**/*.cjs", "**/*.mjs"],
    rules: { "max-len": ["error", { code: 120, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
);
