// A stored subscription as the API shows it: its registration, and its delivery to the subscribing
// system (Afventer until a day after it was created, then Leveret; Stoppet once it is not in force).
import type { AbonnementRow, Livscyklus } from "./store";
import type { Clock } from "./time";

/** A subscription as the contract's Abonnement. */
export interface Abonnement {
    uuid: string;
    kommunekode: string;
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    virkning: { from: string; to: string | null };
    livscyklus: Livscyklus;
    note: string | null;
    registrering: { oprettet: string; oprettetAf: string; tidspunkt: string; aktoer: string };
    version: number;
    levering: {
        status: "Afventer" | "Leveret" | "Stoppet";
        leveretTidspunkt: string | null;
        forventetTidspunkt: string | null;
    };
}

/** The subscription as the API shows it, its delivery as of the clock's now. */
export function viewOf(row: AbonnementRow, clock: Clock, deliveryDelayMs: number): Abonnement {
    const due = new Date(Date.parse(row.oprettet) + deliveryDelayMs);
    const ended =
        row.livscyklus === "Passiv" || row.livscyklus === "Slettet" || (row.to !== null && row.to <= clock.today());
    let levering: Abonnement["levering"];
    if (ended) levering = { status: "Stoppet", leveretTidspunkt: null, forventetTidspunkt: null };
    else if (clock.now() >= due)
        levering = {
            status: "Leveret",
            leveretTidspunkt: due.toISOString(),
            forventetTidspunkt: due.toISOString(),
        };
    else levering = { status: "Afventer", leveretTidspunkt: null, forventetTidspunkt: due.toISOString() };
    return {
        uuid: row.uuid,
        kommunekode: row.kommunekode,
        sortiment: row.sortiment,
        itSystemInstans: row.itSystemInstans,
        skemaversion: row.skemaversion,
        virkning: { from: row.from, to: row.to },
        livscyklus: row.livscyklus,
        note: row.note,
        registrering: {
            oprettet: row.oprettet,
            oprettetAf: row.oprettetAf,
            tidspunkt: row.tidspunkt,
            aktoer: row.aktoer,
        },
        version: row.version,
        levering,
    };
}
