// "Each rule lives in one place" as a test: no product module but the rules modules writes a rule's
// value or pattern as a literal of its own. Comments, JSDoc and longer message texts may mention a
// value; a string or regular expression literal that *is* the value may not, because a copy drifts.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import * as rules from "../../../provider/src/rules";

const root = path.resolve(__dirname, "..", "..", "..");

/** The modules that define the rules (re-exported by provider/src/rules.ts). */
const RULE_MODULES = ["domain.ts", "kommuner.ts", "dates.ts", "endpoint.ts", "text.ts"].map((f) =>
    path.join("provider", "src", f),
);

/** Where product code lives; the stand-in keeps its own rules on purpose (CONTRIBUTING). */
const PRODUCT = ["provider/src", "policy", "cli", "examples", "program.ts", "index.ts"];

/** The values a literal must not repeat, with the name to import instead. */
const STRINGS = new Map<string, string>([
    [rules.KMD_OPUS_DEBITOR, "KMD_OPUS_DEBITOR"],
    [rules.BORGERBLIKKET.toLowerCase(), "BORGERBLIKKET"],
    [rules.REQUIRED_SKEMAVERSION, "REQUIRED_SKEMAVERSION"],
    [rules.UNKNOWN_VALUE, "UNKNOWN_VALUE"],
    ["Europe/Copenhagen", "danishToday"],
]);
const PATTERNS = new Map<string, string>([
    [rules.UUID_PATTERN.source, "UUID_PATTERN"],
    [rules.ANY_CASE_UUID_PATTERN.source, "ANY_CASE_UUID_PATTERN"],
    [rules.DATE_PATTERN.source, "DATE_PATTERN"],
    [rules.SKEMAVERSION_PATTERN.source, "SKEMAVERSION_PATTERN"],
]);

function productFiles(): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
        const abs = path.join(root, rel);
        if (!fs.existsSync(abs)) return;
        if (fs.statSync(abs).isFile()) {
            if (/\.ts$/.test(rel) && !/\.d\.ts$/.test(rel)) out.push(rel);
            return;
        }
        for (const name of fs.readdirSync(abs)) {
            if (name === "node_modules" || name === "dist" || name === "bin") continue;
            walk(path.join(rel, name));
        }
    };
    PRODUCT.forEach(walk);
    return out.filter((f) => !RULE_MODULES.includes(f));
}

/** Every string and regular expression literal of a file that repeats a rule, as `file:line: literal (use NAME)`. */
export function ruleLiterals(file: string, text: string): string[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const report = (node: ts.Node, name: string) => {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`${file}:${line}: ${node.getText()} (use ${name})`);
    };
    const visit = (node: ts.Node) => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
            const name = STRINGS.get(node.text) ?? STRINGS.get(node.text.toLowerCase());
            if (name) report(node, name);
        } else if (ts.isRegularExpressionLiteral(node)) {
            const body = node.text.slice(1, node.text.lastIndexOf("/"));
            const name = PATTERNS.get(body);
            if (name) report(node, name);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

describe("one source for each rule", function () {
    it("no product module repeats a rule's value or pattern as a literal", function () {
        const files = productFiles();
        assert.ok(files.length > 40, `expected the product's modules, found ${files.length}`);
        const found = files.flatMap((f) => ruleLiterals(f, fs.readFileSync(path.join(root, f), "utf8")));
        assert.deepEqual(found, [], `rules repeated outside provider/src/rules:\n${found.join("\n")}`);
    });

    it("finds a copy: a string, a regular expression and a template literal, not a comment or a message", function () {
        const text = [
            `// ${rules.KMD_OPUS_DEBITOR} in a comment is fine`,
            `const a = "${rules.KMD_OPUS_DEBITOR}";`,
            `const b = /${rules.UUID_PATTERN.source}/;`,
            "const c = `borgerblikket`;",
            `const d = 'must be ${rules.REQUIRED_SKEMAVERSION} or later';`,
        ].join("\n");
        assert.deepEqual(
            ruleLiterals("x.ts", text).map((l) => l.replace(/: .*\(/, ": (")),
            ["x.ts:2: (use KMD_OPUS_DEBITOR)", "x.ts:3: (use UUID_PATTERN)", "x.ts:4: (use BORGERBLIKKET)"],
        );
    });
});
