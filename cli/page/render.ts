// The state of every municipality at a glance: one self-contained HTML page (styles and script inline,
// nothing fetched, opens from disk, fit for an e-mail or a CI artifact), rendered from the same report
// the JSON file holds. The page is a template (status.mustache) whose every value Mustache escapes; the
// only text placed as it is (`{{{ }}}`), the style and the script, are this folder's own files. The page's
// Content-Security-Policy admits only that style and script (by hash) and no request at all, so even a
// value that slipped through could not run or fetch anything.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Mustache from "mustache";
import { STATE_LABELS } from "./labels";
import { PageData, pageView } from "./model";

const read = (file: string) => fs.readFileSync(path.join(__dirname, file), "utf8");

/** One class per state, for its colour: the page's CSP admits no style attribute. */
const STATE_STYLE = Object.entries(STATE_LABELS)
    .map(
        ([state, st]) =>
            `.s-${state}{color:${st.colour};border-color:${st.colour}}.b-${state}{background:${st.colour}}`,
    )
    .join("");

/** The only values the template places unescaped: the page's own style and script. */
export const RAW_VALUES = ["style", "script"] as const;

/** The template and the page's own style and script, read once. */
let parts: { template: string; style: string; script: string } | undefined;
function pageParts() {
    parts ??= {
        template: read("status.mustache"),
        style: `${read("status.css")}${STATE_STYLE}\n`,
        script: read("status.js"),
    };
    return parts;
}

const hashOf = (text: string) => `'sha256-${crypto.createHash("sha256").update(text).digest("base64")}'`;

/**
 * The page, as one HTML document.
 *
 * @example
 * fs.writeFileSync("status.html", renderStatusPage(pageFromSurvey(report)));
 */
export function renderStatusPage(data: PageData): string {
    const { template, style, script } = pageParts();
    const csp = `default-src 'none'; style-src ${hashOf(style)}; script-src ${hashOf(script)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
    return Mustache.render(template, { ...pageView(data), csp, style, script });
}

/** Writes the page (readable by all: it names municipalities' subscriptions, never a secret). */
export function writeStatusPage(file: string, data: PageData): void {
    fs.writeFileSync(file, renderStatusPage(data), { mode: 0o644 });
}
