// The state of every municipality at a glance: one self-contained HTML page (styles and script inline,
// nothing fetched, opens from disk, fit for an e-mail or a CI artifact), rendered from the same report
// the JSON file holds. Every value is escaped; the page's Content-Security-Policy admits only its own
// inline script and style (by hash) and no request at all, so even a value that slipped through could
// not run or fetch anything.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { KMD_OPUS_DEBITOR, ownerStack, SURVEY_STATES, SurveyResult, SurveyState } from "@fk-iac/klassifikation";
import { danishDateTime } from "@fk-iac/klassifikation/rules";
import type { OperationResult } from "./fleet/types";

/** The Danish words of FK Klassifikation's UI for each state, with a symbol so colour is never alone. */
export const STATE_LABELS: Record<SurveyState, { label: string; symbol: string; colour: string }> = {
    done: { label: "Oprettet og leveret", symbol: "✔", colour: "#1b7f3b" },
    pending: { label: "Oprettet, afventer levering", symbol: "◔", colour: "#2f6fb3" },
    "by-hand": { label: "Oprettet i hånden, ikke under kode", symbol: "✎", colour: "#7a5cc2" },
    "wrong-values": { label: "Forkerte værdier", symbol: "✖", colour: "#b3261e" },
    ended: { label: "Afsluttet", symbol: "■", colour: "#8a6d00" },
    missing: { label: "Mangler", symbol: "∅", colour: "#c25e00" },
    "wrong-municipality": { label: "Forkert kommune", symbol: "⚠", colour: "#8e2b6d" },
    unreachable: { label: "Kan ikke nås", symbol: "?", colour: "#555555" },
};

/** How an operation on a stack ended, as the page says it. */
export const OPERATION_RESULT_LABELS: Record<OperationResult, string> = {
    succeeded: "lykkedes",
    failed: "fejlede",
    skipped: "sprunget over",
};

/** The last operation on a stack. */
export interface LastOperation {
    /** The pulumi command, e.g. `up`. */
    operation: string;
    /** When it ran (ISO); shown in Danish time. @default not shown */
    at?: string;
    result: OperationResult;
    /** What went wrong, as the fleet recorded it. @default none */
    error?: string;
}

/** One municipality's row on the page. */
export interface PageRow extends SurveyResult {
    navn: string;
    /** The last operation on its stack, when the page is made from a fleet run. @default none */
    lastOperation?: LastOperation;
}

/** What a page shows: the same figures as the JSON report of the same run. */
export interface PageData {
    title: string;
    /** When the report was made (ISO). */
    madeAt: string;
    /** The inventory or stack it read. */
    source: string;
    counts: Record<SurveyState, number>;
    rows: PageRow[];
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string | number | undefined | null): string {
    return String(value ?? "").replace(
        /[&<>"'`]/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" })[c]!,
    );
}

/** The counts per state of a set of rows (every state present, zeros included). */
export function countStates(rows: readonly { state: SurveyState }[]): Record<SurveyState, number> {
    const counts = Object.fromEntries(SURVEY_STATES.map((s) => [s, 0])) as Record<SurveyState, number>;
    for (const r of rows) counts[r.state]++;
    return counts;
}

/** One class per state, for its colour: the page's CSP admits no style attribute. */
const STATE_STYLE = Object.entries(STATE_LABELS)
    .map(
        ([state, st]) =>
            `.s-${state}{color:${st.colour};border-color:${st.colour}}.b-${state}{background:${st.colour}}`,
    )
    .join("");

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:1.4em;margin:0 0 4px}.meta{color:#555;font-size:.9em;margin-bottom:16px}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:10px}
.count{border:2px solid;border-radius:6px;padding:6px 10px;background:#fff;cursor:pointer;font:inherit}
.count[aria-pressed=true]{background:#f1f1f4;box-shadow:inset 0 0 0 2px currentColor}
.count b{font-size:1.3em;margin-right:4px}.bar{display:flex;height:22px;border-radius:4px;overflow:hidden;margin:8px 0 16px}
.bar span{display:block;color:#fff;font-size:.75em;line-height:22px;text-align:center;white-space:nowrap;overflow:hidden}
.tools{margin:8px 0}input[type=search]{font:inherit;padding:4px 8px;width:22em}
table{border-collapse:collapse;width:100%;font-size:.88em}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f6f8;cursor:pointer;position:sticky;top:0}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.state{font-weight:600;white-space:nowrap}.detail{color:#444;min-width:16em}.shown{color:#555;margin:6px 0}
${STATE_STYLE}
`;

const SCRIPT = `
(function () {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tbody tr"));
    var tbody = document.querySelector("tbody");
    var search = document.getElementById("search");
    var shown = document.getElementById("shown");
    var filters = Array.prototype.slice.call(document.querySelectorAll("button.count"));
    var active = {};
    // Each share's width, set through the CSSOM (the CSP admits no style attribute).
    Array.prototype.slice.call(document.querySelectorAll(".bar span")).forEach(function (b) {
        b.style.width = b.dataset.share + "%";
    });
    function apply() {
        var q = search.value.trim().toLowerCase();
        var any = Object.keys(active).length > 0;
        var n = 0;
        rows.forEach(function (r) {
            var ok = (!any || active[r.dataset.state]) && (q === "" || r.dataset.search.indexOf(q) >= 0);
            r.hidden = !ok;
            if (ok) n++;
        });
        shown.textContent = n + " af " + rows.length + " kommuner vist";
    }
    filters.forEach(function (b) {
        b.addEventListener("click", function () {
            var s = b.dataset.state;
            if (active[s]) delete active[s]; else active[s] = true;
            b.setAttribute("aria-pressed", active[s] ? "true" : "false");
            apply();
        });
    });
    search.addEventListener("input", apply);
    Array.prototype.slice.call(document.querySelectorAll("th")).forEach(function (th, i) {
        th.addEventListener("click", function () {
            var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
            document.querySelectorAll("th").forEach(function (o) { o.removeAttribute("aria-sort"); });
            th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
            rows.sort(function (a, b) {
                var x = a.children[i].dataset.sort || a.children[i].textContent;
                var y = b.children[i].dataset.sort || b.children[i].textContent;
                return x.localeCompare(y, "da", { numeric: true }) * dir;
            });
            rows.forEach(function (r) { tbody.appendChild(r); });
        });
    });
    apply();
    document.body.dataset.ready = "true";
})();
`;

const hashOf = (text: string) => `'sha256-${crypto.createHash("sha256").update(text).digest("base64")}'`;

/** The system's name where it is known, else its uuid. */
function systemName(uuid: string | undefined): string {
    if (!uuid) return "";
    return uuid === KMD_OPUS_DEBITOR ? "KMD Opus Debitor" : uuid;
}

/** An ISO time as a Danish reader reads it, in Danish time: 2023-05-16 10:10. */
const shortTime = (iso: string | null) => (iso ? danishDateTime(iso) : "(ukendt)");

/** "pulumi up 2026-12-06 10:15: fejlede – ..." */
function lastOperationText(op: LastOperation): string {
    const when = op.at ? ` ${danishDateTime(op.at)}` : "";
    return `pulumi ${op.operation}${when}: ${OPERATION_RESULT_LABELS[op.result]}${op.error ? ` – ${op.error}` : ""}`;
}

function delivery(r: PageRow): string {
    const s = r.subscription;
    if (!s) return "";
    if (s.levering === "Leveret") return `Leveret ${shortTime(s.leveretTidspunkt)}`;
    if (s.levering === "Afventer") return `Afventer, forventet ${shortTime(s.forventetTidspunkt)}`;
    return "Stoppet";
}

function row(r: PageRow): string {
    const st = STATE_LABELS[r.state];
    const s = r.subscription;
    const managed = !s
        ? ""
        : s.underCode
          ? `kode (Pulumi${s.owner ? `: ${ownerStack(s.owner)}` : ""})`
          : "i hånden (web-UI)";
    const last = r.lastOperation ? lastOperationText(r.lastOperation) : "";
    const cells: Array<[string, string?]> = [
        [r.kommunekode],
        [r.navn],
        [`${st.symbol} ${st.label}`, String(SURVEY_STATES.indexOf(r.state))],
        [s?.sortimentNavn ?? ""],
        [systemName(s?.itSystemInstans)],
        [s?.skemaversion ?? ""],
        [s?.validFrom ?? ""],
        [s ? (s.validTo ?? "(tom)") : ""],
        [delivery(r)],
        [managed],
        [last || r.detail],
    ];
    const tds = cells
        .map(([text, sort], i) => {
            const cls = i === 2 ? ` class="state s-${r.state}"` : i === 10 ? ' class="detail"' : "";
            return `<td${cls}${sort === undefined ? "" : ` data-sort="${escapeHtml(sort)}"`}>${escapeHtml(text)}</td>`;
        })
        .join("");
    const search = `${r.kommunekode} ${r.navn}`.toLowerCase();
    return `<tr data-state="${escapeHtml(r.state)}" data-search="${escapeHtml(search)}">${tds}</tr>`;
}

function counts(data: PageData): string {
    const total = data.rows.length || 1;
    const buttons = SURVEY_STATES.map((s) => {
        const st = STATE_LABELS[s];
        return `<button class="count s-${s}" type="button" data-state="${s}" aria-pressed="false"><b data-count="${s}">${data.counts[s]}</b>${escapeHtml(`${st.symbol} ${st.label}`)}</button>`;
    }).join("");
    const bar = SURVEY_STATES.filter((s) => data.counts[s] > 0)
        .map((s) => {
            const st = STATE_LABELS[s];
            const share = (100 * data.counts[s]) / total;
            return `<span class="b-${s}" data-share="${share.toFixed(2)}" title="${escapeHtml(`${st.label}: ${data.counts[s]}`)}">${escapeHtml(`${st.symbol} ${Math.round(share)} %`)}</span>`;
        })
        .join("");
    return `<div class="counts">${buttons}</div><div class="bar" role="img" aria-label="andele pr. tilstand">${bar}</div>`;
}

const HEADERS = [
    "Kommunekode",
    "Kommune",
    "Tilstand",
    "Sortiment",
    "Abonnerende It-systeminstans",
    "Skemaversion",
    "Gyldig fra",
    "Gyldig til",
    "Levering",
    "Oprettet via",
    "Seneste handling / detaljer",
];

/**
 * The page, as one HTML document.
 *
 * @example
 * fs.writeFileSync("status.html", renderStatusPage(pageFromSurvey(report)));
 */
export function renderStatusPage(data: PageData): string {
    const csp = `default-src 'none'; style-src ${hashOf(STYLE)}; script-src ${hashOf(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
    return [
        "<!doctype html>",
        '<html lang="da"><head><meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${escapeHtml(data.title)}</title><style>${STYLE}</style></head><body>`,
        `<h1>${escapeHtml(data.title)}</h1>`,
        `<div class="meta">Lavet <time datetime="${escapeHtml(data.madeAt)}">${escapeHtml(danishDateTime(data.madeAt))}</time> (dansk tid) ud fra <code>${escapeHtml(data.source)}</code> · ${data.rows.length} kommuner</div>`,
        counts(data),
        '<div class="tools"><input type="search" id="search" placeholder="Søg kommune eller kommunekode" aria-label="Søg kommune eller kommunekode"></div>',
        '<div class="shown" id="shown"></div>',
        `<table><thead><tr>${HEADERS.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
        `<tbody>${data.rows.map(row).join("")}</tbody></table>`,
        `<script>${SCRIPT}</script></body></html>`,
        "",
    ].join("\n");
}

/** Writes the page (owner-readable: it names municipalities' subscriptions, never a secret). */
export function writeStatusPage(file: string, data: PageData): void {
    fs.writeFileSync(file, renderStatusPage(data), { mode: 0o644 });
}
