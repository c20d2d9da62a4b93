// Every word the status page shows a Danish administrator, in Danish, in one place: the states as
// FK Klassifikation's UI names them, how an operation ended, and the table's column headings.
import type { SurveyState } from "@fk-iac/klassifikation";
import type { OperationResult } from "../fleet/types";

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

/** The table's columns, in order. */
export const HEADERS = [
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
] as const;

/** The page's other words. */
export const WORDS = {
    unknownTime: "(ukendt)",
    emptyValidTo: "(tom)",
    delivered: "Leveret",
    awaiting: "Afventer, forventet",
    stopped: "Stoppet",
    underCode: "kode (Pulumi)",
    byHand: "i hånden (web-UI)",
} as const;
