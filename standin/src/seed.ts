// Reference data and municipalities (tenants) of the stand-in.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { z } from "zod";
import { LIVSCYKLUSSER, UUID_PATTERN } from "./rules";
import { serviceAgreementSchema } from "./sts";

const uuid = z.string().regex(UUID_PATTERN, "a lower-case UUID");

export const sortimentSeedSchema = z
    .object({
        uuid,
        brugervendtnoegle: z.string().min(1),
        titel: z.string().min(1),
        skemaversioner: z.array(z.string().regex(/^\d+\.\d+$/)).min(1),
    })
    .strict();

export const itSystemInstansSeedSchema = z.object({ uuid, navn: z.string().min(1) }).strict();

/** A kommunekode written with four digits, e.g. "0101" for København. */
export const kommunekodeSchema = z.string().regex(/^\d{4}$/, 'a kommunekode of four digits, e.g. "0101"');

export const tenantSchema = z
    .object({
        /** Kommunekode, e.g. "0101" for København. */
        kommunekode: kommunekodeSchema,
        navn: z.string().min(1),
        /** CVR number: whom the STS's tokens name (their cvr claim). @default none: no STS tokens act for it */
        cvr: z
            .string()
            .regex(/^\d{8}$/, "a CVR number of eight digits")
            .optional(),
        /** SHA-256 (hex) of each bearer token that acts for this municipality. Tokens themselves are never stored. */
        tokenSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).default([]),
        /** SHA-256 fingerprints (as Node prints them, AA:BB:...) of client certificates that act for it. */
        certificateFingerprints: z.array(z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)).default([]),
    })
    .strict();

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const dateTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "a date-time such as 2023-06-01T09:30:00Z");

/**
 * A subscription that exists already, with its history: as an administrator made it in the web UI on a
 * past date, and as it was changed later (ended, passivated). Seeding the same entry again changes
 * nothing: its uuid is given, or derived from its contents.
 *
 * @example
 * { kommunekode: "0101", sortiment: "Borgerblikket", itSystemInstans: KMD_OPUS_DEBITOR_UUID, skemaversion: "1.3",
 *   virkning: { from: "2023-06-01", to: null }, oprettet: "2023-06-01T08:12:00Z", oprettetAf: "bruger:mh (web-UI)" }
 */
export const abonnementSeedSchema = z
    .object({
        uuid: uuid.optional(),
        kommunekode: kommunekodeSchema,
        /** The sortiment's uuid or brugervendtnoegle. */
        sortiment: z.string().min(1),
        itSystemInstans: uuid,
        skemaversion: z.string().regex(/^\d+\.\d+$/),
        virkning: z.object({ from: date, to: date.nullable().default(null) }).strict(),
        livscyklus: z.enum(LIVSCYKLUSSER).exclude(["Slettet"]).default("Opstaaet"),
        note: z.string().nullable().default(null),
        /** When it was created, and by whom (a person in the web UI, or a system). */
        oprettet: dateTime,
        oprettetAf: z.string().min(1),
        /** The latest registration, when it was changed after it was created. */
        aendret: z
            .object({ tidspunkt: dateTime, aktoer: z.string().min(1) })
            .strict()
            .optional(),
    })
    .strict();

export const seedFileSchema = z
    .object({
        sortimenter: z.array(sortimentSeedSchema).default([]),
        itSystemInstanser: z.array(itSystemInstansSeedSchema).default([]),
        tenants: z.array(tenantSchema).default([]),
        abonnementer: z.array(abonnementSeedSchema).default([]),
        /** Which certificates may get STS tokens for which CVRs. */
        serviceAgreements: z.array(serviceAgreementSchema).default([]),
    })
    .strict();

export type SortimentSeed = z.infer<typeof sortimentSeedSchema>;
export type ItSystemInstansSeed = z.infer<typeof itSystemInstansSeedSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
export type SeedFile = z.infer<typeof seedFileSchema>;
export type AbonnementSeed = z.input<typeof abonnementSeedSchema>;
/** A seed as written: every list optional, the seeded subscriptions' defaults left out. */
export type SeedInput = z.input<typeof seedFileSchema>;

/** KMD Opus Debitor, the debtor system named in task GB1.0. */
export const KMD_OPUS_DEBITOR_UUID = "362ebac2-761b-4a44-abc6-679f2d5615ce";

/**
 * The Borgerblikket sortiment. Its real uuid is not public; this one is fixed so that demos, tests and
 * state files agree. Programs refer to it by brugervendtnoegle ("Borgerblikket").
 */
export const BORGERBLIKKET_UUID = "5b7c0d3e-8f1a-4c2b-9d6e-0a1b2c3d4e5f";

export const defaultSeed: SeedFile = {
    sortimenter: [
        {
            uuid: BORGERBLIKKET_UUID,
            brugervendtnoegle: "Borgerblikket",
            titel: "Borgerblikket - Gæld og Betalinger",
            skemaversioner: ["1.1", "1.2", "1.3"],
        },
    ],
    itSystemInstanser: [{ uuid: KMD_OPUS_DEBITOR_UUID, navn: "KMD Opus Debitor" }],
    tenants: [],
    abonnementer: [],
    serviceAgreements: [],
};

/** Reads and validates a seed file (JSON); its entries are added to the defaults. */
export function readSeedFile(path: string): SeedFile {
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(path, "utf8"));
    } catch (err) {
        throw new Error(`seed file ${path} is not readable JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = seedFileSchema.safeParse(raw);
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        throw new Error(`seed file ${path} is invalid: ${issues}`);
    }
    return parsed.data;
}

export function mergeSeeds(...seeds: SeedFile[]): SeedFile {
    return {
        sortimenter: seeds.flatMap((s) => s.sortimenter),
        itSystemInstanser: seeds.flatMap((s) => s.itSystemInstanser),
        tenants: seeds.flatMap((s) => s.tenants),
        abonnementer: seeds.flatMap((s) => s.abonnementer),
        serviceAgreements: seeds.flatMap((s) => s.serviceAgreements),
    };
}

export function sha256Hex(text: string): string {
    return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}
