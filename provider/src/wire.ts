// The classification API's responses, as the contract (contract/openapi.yaml) defines them. Every
// response is parsed with these before the provider uses it: a malformed answer is a clear error,
// never a crash or silently wrong state.
import { z } from "zod";
import { DATE_PATTERN, LIVSCYKLUSSER, SKEMAVERSION_PATTERN, UUID_PATTERN } from "./domain";

const uuid = z.string().regex(UUID_PATTERN);
const date = z.string().regex(DATE_PATTERN);
const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "a date-time");

export const sortimentSchema = z.object({
    uuid,
    brugervendtnoegle: z.string(),
    titel: z.string(),
    skemaversioner: z.array(z.string().regex(SKEMAVERSION_PATTERN)),
});

export const myndighedSchema = z.object({ kommunekode: z.string().regex(/^\d{4}$/), navn: z.string() });

export const itSystemInstansSchema = z.object({ uuid, navn: z.string() });

export const abonnementSchema = z.object({
    uuid,
    kommunekode: z.string(),
    sortiment: uuid,
    itSystemInstans: uuid,
    skemaversion: z.string().regex(SKEMAVERSION_PATTERN),
    virkning: z.object({ from: date, to: date.nullable() }),
    livscyklus: z.enum(LIVSCYKLUSSER),
    note: z.string().nullable().optional(),
    registrering: z.object({
        oprettet: dateTime,
        /** Who created it (optional: older servers name only the latest actor). */
        oprettetAf: z.string().optional(),
        tidspunkt: dateTime,
        aktoer: z.string(),
    }),
    version: z.number().int().min(1),
    levering: z.object({
        status: z.enum(["Afventer", "Leveret", "Stoppet"]),
        leveretTidspunkt: dateTime.nullable(),
        forventetTidspunkt: dateTime.nullable(),
    }),
});

export const sortimentListSchema = z.object({ items: z.array(sortimentSchema) });

export const abonnementPageSchema = z.object({
    total: z.number().int().min(0),
    foersteresultat: z.number().int().min(0),
    items: z.array(abonnementSchema),
});

export const problemSchema = z
    .object({
        title: z.string().optional(),
        status: z.number().optional(),
        detail: z.string().optional(),
        existing: uuid.optional(),
        errors: z.array(z.object({ field: z.string(), message: z.string() }).passthrough()).optional(),
    })
    .passthrough();

export type Sortiment = z.infer<typeof sortimentSchema>;
export type ItSystemInstans = z.infer<typeof itSystemInstansSchema>;
export type Myndighed = z.infer<typeof myndighedSchema>;
export type Abonnement = z.infer<typeof abonnementSchema>;
export type Problem = z.infer<typeof problemSchema>;

/** The body of Opret. */
export interface AbonnementOpret {
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    virkning: { from: string; to: string | null };
    note?: string;
}
