// Request validation of the stand-in: zod schemas of the wire contract (contract/openapi.yaml) and
// the conversion of their failures into field-level problem details.
import { z } from "zod";
import { FieldError, problems } from "./problems";
import { LIVSCYKLUSSER, UUID_PATTERN } from "./rules";

export const uuidSchema = z.string().regex(UUID_PATTERN, "must be a lower-case UUID");

/** A real calendar date written YYYY-MM-DD. */
export const dateSchema = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
    .refine((s) => {
        const d = new Date(`${s}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, "must be a real calendar date");

export const skemaversionSchema = z.string().regex(/^\d+\.\d+$/, "must be a schema version such as 1.3");

export const opretSchema = z
    .object({
        sortiment: uuidSchema,
        itSystemInstans: uuidSchema,
        skemaversion: skemaversionSchema,
        virkning: z.object({ from: dateSchema, to: dateSchema.nullable() }).strict(),
        note: z.string().max(500).optional(),
    })
    .strict();

/** Ret: a new Gyldig til, a new note, or both. */
export const retSchema = z
    .object({
        virkning: z.object({ to: dateSchema.nullable() }).strict().optional(),
        note: z.string().max(500).optional(),
    })
    .strict()
    .refine((r) => r.virkning !== undefined || r.note !== undefined, "give virkning, note or both");

export const livscyklusSchema = z.enum(LIVSCYKLUSSER);

export const soegQuerySchema = z
    .object({
        sortiment: uuidSchema.optional(),
        itSystemInstans: uuidSchema.optional(),
        skemaversion: skemaversionSchema.optional(),
        livscyklus: livscyklusSchema.optional(),
        gyldigPaa: dateSchema.optional(),
        aktiv: z.enum(["true", "false"]).optional(),
        foersteresultat: z.string().regex(/^\d+$/, "must be a whole number >= 0").optional(),
        maksimalantalresultater: z
            .string()
            .regex(/^\d+$/, "must be a whole number")
            .refine((s) => Number(s) >= 1 && Number(s) <= 500, "must be between 1 and 500")
            .optional(),
    })
    .strict();

function valueAt(input: unknown, path: PropertyKey[]): unknown {
    let v: unknown = input;
    for (const key of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[key];
    }
    return v;
}

/** Parses input or throws a 422 (bodies) / 400 (queries) problem naming each bad field and its value. */
export function parseOrProblem<T>(schema: z.ZodType<T>, input: unknown, where: "body" | "query"): T {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const errors: FieldError[] = result.error.issues.map((issue) => {
        const unknownKeys = issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys : [];
        const path = [...issue.path, ...(unknownKeys.length === 1 ? unknownKeys : [])];
        const field = path.map(String).join(".") || "(root)";
        const value = valueAt(input, path);
        return {
            field,
            message: unknownKeys.length ? `unknown field(s): ${unknownKeys.join(", ")}` : issue.message,
            ...(value === undefined ? {} : { value: truncate(value) }),
        };
    });
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    if (where === "query") throw problems.badRequest(`invalid query: ${summary}`, errors);
    throw problems.unprocessable(`invalid request body: ${summary}`, errors);
}

function truncate(value: unknown): unknown {
    if (typeof value === "string" && value.length > 200) return `${value.slice(0, 200)}… (${value.length} characters)`;
    return value;
}
