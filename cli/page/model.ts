// What the status page shows, as plain values: the report's rows and counts turned into the words and
// numbers of each cell (labels.ts). The template (status.mustache) only places them, escaped.
import { KMD_OPUS_DEBITOR, ownerStack, SURVEY_STATES, SurveyResult, SurveyState } from "@fk-iac/klassifikation";
import { danishDateTime } from "@fk-iac/klassifikation/rules";
import type { OperationResult } from "../fleet/types";
import { danishDetail } from "./details";
import { HEADERS, OPERATION_RESULT_LABELS, STATE_LABELS, WORDS } from "./labels";

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

/** One cell: its text, its class, and the key it sorts by when not its text. */
interface Cell {
    text: string;
    cls?: string;
    sort?: string;
}

/** The system's name where it is known, else its uuid. */
function systemName(uuid: string | undefined): string {
    if (!uuid) return "";
    return uuid === KMD_OPUS_DEBITOR ? "KMD Opus Debitor" : uuid;
}

/** An ISO time as a Danish reader reads it, in Danish time: 2023-05-16 10:10. */
const shortTime = (iso: string | null) => (iso ? danishDateTime(iso) : WORDS.unknownTime);

/** "pulumi up 2026-12-06 10:15: fejlede – ..." */
function lastOperationText(op: LastOperation): string {
    const when = op.at ? ` ${danishDateTime(op.at)}` : "";
    return `pulumi ${op.operation}${when}: ${OPERATION_RESULT_LABELS[op.result]}${op.error ? ` – ${op.error}` : ""}`;
}

function delivery(r: PageRow): string {
    const s = r.subscription;
    if (!s) return "";
    if (s.levering === "Leveret") return `${WORDS.delivered} ${shortTime(s.leveretTidspunkt)}`;
    if (s.levering === "Afventer") return `${WORDS.awaiting} ${shortTime(s.forventetTidspunkt)}`;
    return WORDS.stopped;
}

function managedBy(r: PageRow): string {
    const s = r.subscription;
    if (!s) return "";
    if (!s.underCode) return WORDS.byHand;
    return s.owner ? `kode (Pulumi: ${ownerStack(s.owner)})` : WORDS.underCode;
}

function cellsOf(r: PageRow): Cell[] {
    const st = STATE_LABELS[r.state];
    const s = r.subscription;
    return [
        { text: r.kommunekode },
        { text: r.navn },
        { text: `${st.symbol} ${st.label}`, cls: `state s-${r.state}`, sort: String(SURVEY_STATES.indexOf(r.state)) },
        { text: s?.sortimentNavn ?? "" },
        { text: systemName(s?.itSystemInstans) },
        { text: s?.skemaversion ?? "" },
        { text: s?.validFrom ?? "" },
        { text: s ? (s.validTo ?? WORDS.emptyValidTo) : "" },
        { text: delivery(r) },
        { text: managedBy(r) },
        { text: r.lastOperation ? lastOperationText(r.lastOperation) : danishDetail(r), cls: "detail" },
    ];
}

/** The values the template places, every one of them escaped by it. */
export function pageView(data: PageData) {
    const total = data.rows.length || 1;
    const states = SURVEY_STATES.map((state) => ({ state, count: data.counts[state], ...STATE_LABELS[state] }));
    return {
        title: data.title,
        madeAt: data.madeAt,
        madeAtShown: danishDateTime(data.madeAt),
        source: data.source,
        rowCount: data.rows.length,
        states,
        shares: states
            .filter((s) => s.count > 0)
            .map((s) => ({
                ...s,
                share: ((100 * s.count) / total).toFixed(2),
                percent: Math.round((100 * s.count) / total),
            })),
        headers: HEADERS,
        rows: data.rows.map((r) => ({
            state: r.state,
            search: `${r.kommunekode} ${r.navn}`.toLowerCase(),
            cells: cellsOf(r),
        })),
    };
}
