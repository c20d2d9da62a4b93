// The page's last column in Danish: one sentence on each municipality's state, made from the survey's
// structured result (not its English `detail`, which the command line and the JSON report keep), with
// what to do next where something is left to do.
import { kommuneNavn } from "@fk-iac/klassifikation/rules";
import type { Mismatch } from "@fk-iac/klassifikation";
import { WORDS } from "./labels";
import type { PageRow } from "./model";

/** The task's fields as FK Klassifikation's UI names them. */
const FIELD_NAMES: Record<Mismatch["field"], string> = {
    skemaversion: "Skemaversion",
    validFrom: "Gyldig fra",
    validTo: "Gyldig til",
};

const shown = (value: string | null) => value ?? WORDS.emptyValidTo;

function wrongValues(r: PageRow): string {
    const found = r.mismatches.map((m) => `${FIELD_NAMES[m.field]} er ${shown(m.found)}, skal være ${shown(m.wanted)}`);
    const what = found.length > 0 ? found.join("; ") : `værdierne opfylder ikke opgaven (${r.detail})`;
    return `${what}. pulumi up med repairExisting (flåden: --repair) afslutter det og opretter opgavens`;
}

/**
 * One Danish sentence on the row's state.
 *
 * @example
 * danishDetail({ state: "missing", ... }); // "Der er aldrig oprettet et abonnement. pulumi up opretter det"
 */
export function danishDetail(r: PageRow): string {
    const s = r.subscription;
    switch (r.state) {
        case "done":
            return "I kraft med opgavens værdier og leveret";
        case "pending":
            return "I kraft med opgavens værdier; leveringen afventes (op til et døgn)";
        case "by-hand":
            return `Oprettet i hånden af ${s?.oprettetAf ?? "?"} ${s?.oprettet.slice(0, 10) ?? ""} med opgavens værdier. pulumi up overtager det uden at ændre værdierne`;
        case "wrong-values":
            return wrongValues(r);
        case "ended":
            return `${s?.livscyklus === "Passiv" ? "Passiveret" : `Afsluttet ${shown(s?.validTo ?? null)}`}; intet abonnement er i kraft. pulumi up opretter et nyt fra i dag`;
        case "missing":
            return "Der er aldrig oprettet et abonnement. pulumi up opretter det";
        case "wrong-municipality":
            return `Legitimationen virker for en anden kommune end ${kommuneNavn(r.kommunekode) ?? r.kommunekode}; intet blev læst`;
        case "unreachable":
            return `Klassifikationssystemet kunne ikke spørges: ${r.detail}`;
    }
}
