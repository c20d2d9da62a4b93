// The fleet inventory: one row per municipality (YAML or CSV), validated with zod before any stack is
// touched. Every problem is reported with its file, line and field.
import * as fs from "node:fs";
import * as path from "node:path";
import { CsvError, parse as parseCsvText } from "csv-parse/sync";
import { LineCounter, parseDocument, isMap, isSeq, YAMLMap } from "yaml";
import { z } from "zod";
import {
    ANY_CASE_UUID_PATTERN,
    endpointProblem,
    maskUrl,
    isKommunekode,
    KMD_OPUS_DEBITOR,
    KOMMUNEKODE_RULE,
} from "@fk-iac/klassifikation/rules";

/**
 * Where a municipality's credentials come from; the inventory holds references, never secrets.
 *
 * - `env:NAME`: a bearer token in environment variable NAME
 * - `file:PATH`: a bearer token in a file (relative to the inventory)
 * - `cert:CERT.pem,KEY.pem`: a client certificate and key (relative to the inventory); an encrypted
 *   key's passphrase comes from FK_CLIENT_KEY_PASSPHRASE_<kommunekode>
 * - left out: the fleet's system certificate (--setting clientCertificateFile=..., clientKeyFile=... or
 *   pfxFile=...), with a token from the STS for the row's CVR: one vendor certificate for many rows
 */
export type CredentialRef =
    | { kind: "env"; name: string }
    | { kind: "file"; path: string }
    | { kind: "cert"; certFile: string; keyFile: string }
    | { kind: "fleet" };

export interface InventoryRow {
    /** 1-based line of the row in the file. */
    line: number;
    kommunekode: string;
    navn: string;
    endpoint: string;
    credentials: CredentialRef;
    /** Original text of the credentials reference (safe to show: it is a reference). */
    credentialsRef: string;
    /** Uuid of the debtor system's it-systeminstans. */
    debtorSystem: string;
    /**
     * End an active subscription with other values and create the task's one (repairExisting).
     * @default false
     */
    repair: boolean;
}

export class InventoryError extends Error {
    constructor(readonly problems: string[]) {
        super(`the inventory is invalid:\n  ${problems.join("\n  ")}`);
        this.name = "InventoryError";
    }
}

const rowSchema = z
    .object({
        kommunekode: z.string({ error: 'is required (e.g. "0101")' }).refine(isKommunekode, KOMMUNEKODE_RULE),
        navn: z
            .string({ error: "is required" })
            .trim()
            .min(1, "must not be empty")
            .max(100, "must be at most 100 characters"),
        endpoint: z.string({ error: "is required" }).superRefine((s, ctx) => {
            const bad = endpointProblem(s);
            if (bad) ctx.addIssue({ code: "custom", message: bad.problem });
        }),
        credentials: z
            .string({ error: "must be env:NAME, file:PATH or cert:CERT,KEY (or left out for the fleet's certificate)" })
            .regex(
                /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|cert:[^,]+,[^,]+)$/,
                "must be env:NAME, file:PATH or cert:CERT.pem,KEY.pem (or left out for the fleet's certificate)",
            )
            .optional(),
        debtorSystem: z.string().regex(ANY_CASE_UUID_PATTERN, "must be an it-systeminstans uuid").optional(),
        repair: z.union([z.boolean(), z.enum(["true", "false"])], { error: "must be true or false" }).optional(),
    })
    .strict();

const FIELDS = ["kommunekode", "navn", "endpoint", "credentials", "debtorSystem", "repair"];

function parseRef(ref: string, baseDir: string): CredentialRef {
    if (ref.startsWith("env:")) return { kind: "env", name: ref.slice(4) };
    if (ref.startsWith("file:")) return { kind: "file", path: path.resolve(baseDir, ref.slice(5)) };
    const [certFile, keyFile] = ref.slice(5).split(",");
    return { kind: "cert", certFile: path.resolve(baseDir, certFile), keyFile: path.resolve(baseDir, keyFile) };
}

/** Newlines inside a record's quoted fields: how many lines it spans beyond its first. */
const innerLines = (fields: string[]) => fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);

/**
 * Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF), each with the
 * line it starts on; malformed quoting is refused naming the line.
 */
export function parseCsv(file: string, text: string): Array<{ line: number; fields: string[] }> {
    let parsed: Array<{ record: string[]; info: { lines: number } }>;
    try {
        // Line ends as LF first: the parser counts a CRLF inside quotes as two lines.
        const records: unknown = parseCsvText(text.replace(/\r\n?/g, "\n"), {
            info: true,
            relax_column_count: true,
            skip_empty_lines: true,
        });
        parsed = records as typeof parsed;
    } catch (err) {
        if (err instanceof CsvError) {
            const line = (err as CsvError & { lines?: number }).lines;
            throw new InventoryError([`${file}${line ? `:${line}` : ""}: ${err.message}`]);
        }
        throw err;
    }
    return parsed
        .map(({ record, info }) => ({ line: info.lines - innerLines(record), fields: record }))
        .filter((r) => r.fields.some((f) => f.trim() !== ""));
}

function rawRows(file: string, text: string): Array<{ line: number; raw: Record<string, unknown> }> {
    if (/\.csv$/i.test(file)) {
        const records = parseCsv(file, text).filter((r) => !r.fields[0]?.trim().startsWith("#"));
        if (records.length === 0)
            throw new InventoryError([`${file}: empty; expected a header line ${FIELDS.join(",")}`]);
        const header = records[0].fields.map((h) => h.trim());
        const unknown = header.filter((h) => !FIELDS.includes(h));
        if (unknown.length)
            throw new InventoryError([
                `${file}:${records[0].line}: unknown column(s) ${unknown.join(", ")}; allowed: ${FIELDS.join(", ")}`,
            ]);
        return records.slice(1).map((r) => ({
            line: r.line,
            raw: Object.fromEntries(
                header.map((h, i): [string, string] => [h, r.fields[i]?.trim() ?? ""]).filter(([, v]) => v !== ""),
            ),
        }));
    }
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
    if (doc.errors.length) {
        throw new InventoryError(
            doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`),
        );
    }
    let list: unknown = doc.contents;
    if (isMap(list) && list.has("kommuner")) list = list.get("kommuner", true);
    if (!isSeq(list))
        throw new InventoryError([`${file}: expected a list of municipalities (or a map with key "kommuner")`]);
    return list.items.map((item) => {
        const line = counter.linePos((item as YAMLMap).range?.[0] ?? 0).line;
        const raw: unknown = (item as YAMLMap).toJSON?.() ?? item;
        // Numbers such as 101 lose their leading zero in YAML; kommunekoder are strings.
        if (raw && typeof raw === "object" && typeof (raw as Record<string, unknown>).kommunekode === "number") {
            (raw as Record<string, unknown>).kommunekode = String(
                (raw as Record<string, unknown>).kommunekode,
            ).padStart(4, "0");
        }
        return { line, raw: raw as Record<string, unknown> };
    });
}

/** Reads and validates an inventory file; throws InventoryError listing every problem. */
export function readInventory(file: string): InventoryRow[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new InventoryError([`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
    }
    const baseDir = path.dirname(path.resolve(file));
    const problems: string[] = [];
    const rows: InventoryRow[] = [];
    const seen = new Map<string, number>();
    const entries = rawRows(file, text);
    if (entries.length === 0) throw new InventoryError([`${file}: no municipalities listed`]);
    if (entries.length > 200)
        problems.push(`${file}: ${entries.length} rows; at most 200 (Denmark has 98 municipalities)`);
    for (const { line, raw } of entries) {
        const parsed = rowSchema.safeParse(raw);
        if (!parsed.success) {
            for (const issue of parsed.error.issues) {
                const keys = issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys : [];
                const field = keys.length ? keys.join(", ") : issue.path.join(".") || "(row)";
                const value = keys.length ? undefined : raw?.[String(issue.path[0])];
                problems.push(
                    `${file}:${line}: ${field}${value === undefined ? "" : ` ${JSON.stringify(typeof value === "string" ? maskUrl(value) : value)}`} ${keys.length ? `is not a column; allowed: ${FIELDS.join(", ")}` : issue.message}`,
                );
            }
            continue;
        }
        const r = parsed.data;
        const first = seen.get(r.kommunekode);
        if (first !== undefined) {
            problems.push(`${file}:${line}: kommunekode "${r.kommunekode}" is listed twice (first on line ${first})`);
            continue;
        }
        seen.set(r.kommunekode, line);
        rows.push({
            line,
            kommunekode: r.kommunekode,
            navn: r.navn,
            endpoint: r.endpoint,
            credentials: r.credentials === undefined ? { kind: "fleet" } : parseRef(r.credentials, baseDir),
            credentialsRef: r.credentials ?? "(the fleet's certificate)",
            debtorSystem: (r.debtorSystem ?? KMD_OPUS_DEBITOR).toLowerCase(),
            repair: r.repair === true || r.repair === "true",
        });
    }
    if (problems.length) throw new InventoryError(problems);
    return rows;
}
