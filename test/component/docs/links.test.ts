// The documentation stays true to the tree: every relative Markdown link resolves (to a file, and to
// a heading when it names one), and every command a reader is told to run names a script that exists.
// The README's two Quick start commands are exactly the ones CI runs on a clean clone.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FK_ERROR_CODES, troubleshootingLink } from "../../../provider/src/errors";

const root = path.resolve(__dirname, "..", "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(root, rel), "utf8");

/** The project's own Markdown (not node_modules, not generated output). */
function markdownFiles(): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
        for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const child = path.join(rel, entry.name);
            if (entry.isDirectory()) {
                if (!/^(node_modules|dist|\.git|\.work|\.pulumi-local|bin)$/.test(entry.name)) walk(child);
            } else if (entry.name.endsWith(".md")) out.push(child);
        }
    };
    walk(".");
    return out.map((f) => path.normalize(f));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/`/g, "")
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
    const outsideCode = markdown.replace(/```[\s\S]*?```/g, "");
    return new Set([
        ...[...outsideCode.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])),
        // Anchors written as HTML, e.g. a troubleshooting row's <a id="fk-timeout"></a>.
        ...[...outsideCode.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]),
    ]);
}

/** Relative links of a Markdown text that lead nowhere, as "file: target (why)". */
export function brokenLinks(file: string, markdown: string, exists = (p: string) => fs.existsSync(p)): string[] {
    const broken: string[] = [];
    const outsideCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    for (const m of outsideCode.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [rel, anchor] = target.split("#");
        const resolved = rel === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), rel);
        if (!exists(resolved)) {
            broken.push(`${file}: ${target} (no such file)`);
            continue;
        }
        if (anchor && resolved.endsWith(".md") && !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)) {
            broken.push(`${file}: ${target} (no heading #${anchor})`);
        }
    }
    return broken;
}

/** The tasks scripts/run.sh accepts, from its own case statement. */
function runShTasks(): Set<string> {
    const text = read("scripts/run.sh");
    return new Set([...text.matchAll(/^\s+([a-z]+)\) /gm)].map((m) => m[1]));
}

/** Commands a reader is told to run that name a script or task that does not exist. */
export function missingScripts(file: string, markdown: string): string[] {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    const tasks = runShTasks();
    const commands = [
        ...[...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")),
        ...[...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]),
    ];
    const missing: string[] = [];
    for (const command of commands) {
        for (const m of command.matchAll(/\bbash\s+((?:scripts|\.ci)\/[\w./-]+)(?:\s+([a-z]+))?/g)) {
            if (!fs.existsSync(path.join(root, m[1]))) missing.push(`${file}: ${m[0]} (no ${m[1]})`);
            else if (m[1] === "scripts/run.sh" && m[2] && !tasks.has(m[2]))
                missing.push(`${file}: ${m[0]} (run.sh has no task ${m[2]})`);
        }
        for (const m of command.matchAll(/\bnpm run(?:\s+--silent)?\s+([\w:-]+)/g)) {
            if (!(m[1] in scripts)) missing.push(`${file}: ${m[0]} (no npm script ${m[1]})`);
        }
    }
    return missing;
}

describe("the documentation", function () {
    const files = markdownFiles();

    it("finds the project's Markdown", function () {
        for (const f of ["README.md", "CONTRIBUTING.md", "docs/fleet.md", "docs/team-state.md", "standin/README.md"])
            assert.ok(files.includes(path.normalize(f)), `${f} among ${files.join(", ")}`);
    });

    it("has no relative link that leads nowhere", function () {
        const broken = files.flatMap((f) => brokenLinks(f, read(f)));
        assert.deepEqual(broken, []);
    });

    it("names only scripts that exist in its command blocks", function () {
        const missing = files.flatMap((f) => missingScripts(f, read(f)));
        assert.deepEqual(missing, []);
    });

    it("the README's Quick start commands are the ones CI runs: main job first, then tests", function () {
        const quick = /## Quick start\n([\s\S]*?)\n## /.exec(read("README.md"))?.[1] ?? "";
        const commands = [...quick.matchAll(/\| `(bash scripts\/run\.sh \w+)` \|/g)].map((m) => m[1]);
        assert.deepEqual(commands, ["bash scripts/run.sh main", "bash scripts/run.sh test"]);
        const ci = read(".ci/run");
        assert.ok(ci.indexOf(`\n${commands[0]}\n`) >= 0 && ci.indexOf(`\n${commands[1]}\n`) > ci.indexOf(commands[0]));
    });

    it("every error code links to its own row of the README's troubleshooting table", function () {
        const readme = read("README.md");
        const troubleshooting = readme.slice(readme.indexOf("## Troubleshooting"));
        for (const code of FK_ERROR_CODES) {
            const link = troubleshootingLink(code);
            assert.deepEqual(brokenLinks("x.md", `[${code}](${link})`), [], code);
            const row = troubleshooting.split("\n").find((l) => l.includes(`<a id="${link.split("#")[1]}"></a>`));
            assert.ok(row?.includes(`[${code}]`), `the row of ${link} is about ${code}: ${row}`);
        }
        const named = new Set([...troubleshooting.matchAll(/\[(FK_[A-Z_]+)\]/g)].map((m) => m[1]));
        assert.deepEqual(
            [...named].filter((c) => !(FK_ERROR_CODES as readonly string[]).includes(c)),
            [],
            "the table names no code the provider does not have",
        );
    });

    it("notices what it checks: a missing file, a missing heading, a missing script", function () {
        const text = "[a](nowhere.md) [b](README.md#no-such-heading) [c](https://x.dk)\n\n```sh\nnpm run nope\n```\n";
        assert.deepEqual(brokenLinks("x.md", text), [
            "x.md: nowhere.md (no such file)",
            "x.md: README.md#no-such-heading (no heading #no-such-heading)",
        ]);
        assert.deepEqual(missingScripts("x.md", text), ["x.md: npm run nope (no npm script nope)"]);
        assert.deepEqual(missingScripts("x.md", "`bash scripts/run.sh deploy`"), [
            "x.md: bash scripts/run.sh deploy (run.sh has no task deploy)",
        ]);
    });
});
