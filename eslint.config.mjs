// Lint for every TypeScript file in the repository: ESLint's and typescript-eslint's recommended rules
// with type information (each file is checked with the tsconfig.json that owns it), and the size rule
// the project keeps: no function over 60 lines in product code. Formatting is Prettier's job
// (.prettierrc.json), so no rule here is about layout. Run by `npm run lint`, part of `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The Pulumi programs: what tsconfig.programs.json includes. */
const PROGRAMS = [
    "index.ts",
    "program.ts",
    "examples/*/index.ts",
    "test/fixtures/*/index.ts",
    "bench/fixtures/*/index.ts",
];

/** Product code: functions stay short enough to hold in one's head. Tests may keep long tables. */
const PRODUCT = [
    "provider/src/**/*.ts",
    "standin/src/**/*.ts",
    "policy/**/*.ts",
    "cli/**/*.ts",
    "bench/**/*.ts",
    "*.ts",
];

export default tseslint.config(
    { ignores: ["**/node_modules/**", "**/dist/**", ".work/**", ".pulumi-local/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
    },
    {
        // The Pulumi programs run on Node.js's type stripping and are checked with their own tsconfig.
        files: PROGRAMS,
        ignores: ["test/fixtures/smoke-policy/**"],
        languageOptions: {
            parserOptions: {
                projectService: false,
                project: ["./tsconfig.programs.json"],
                tsconfigRootDir: import.meta.dirname,
            },
        },
    },
    { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
    {
        // The JavaScript files are CommonJS modules run by Node.js (the mocha reporter, the floor's program).
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: {
                require: "readonly",
                module: "writable",
                exports: "writable",
                process: "readonly",
                console: "readonly",
                __dirname: "readonly",
            },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // The status page's script runs in the browser, as a classic script (cli/page/status.js).
        files: ["cli/page/*.js"],
        languageOptions: { sourceType: "script", globals: { document: "readonly", window: "readonly" } },
    },
    {
        // Tests read JSON from HTTP, the CLI and state files and assert on it: `any` is the honest type
        // there. Every other type-aware rule holds for tests too.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        files: PRODUCT,
        rules: {
            "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
        },
    },
);
