#!/usr/bin/env node
// fk-standin: runs the local stand-in for the classification API.
//
//   fk-standin [--port 8787] [--host 127.0.0.1] [--db .standin/standin.db] [--seed seed.json [--brownfield]]
//              [--delivery-delay 86400] [--log requests.jsonl|-] [--faults '{"errorRate":0.2}']
//              [--tls-cert cert.pem --tls-key key.pem [--client-ca ca.pem] [--require-client-cert]]
//   fk-standin hash-token        reads a token on stdin, prints its SHA-256 for a seed file's tokenSha256
//
// The admin token (for /admin routes) comes from FK_STANDIN_ADMIN_TOKEN, never from a flag, so it
// does not show in process listings. On start it prints one JSON line to stdout: {"url": ...}.
import "./quiet-sqlite"; // first: before anything loads node:sqlite
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { FaultSettings } from "./faults";
import { brownfieldSubscriptions } from "./brownfield";
import { readSeedFile, SeedInput, sha256Hex } from "./seed";
import { readPem, RequestLogEntry, StandinOptions, startStandin } from "./server";

function hashToken(): void {
    const token = fs.readFileSync(0, "utf8").trim();
    if (!token) throw new Error("hash-token: give the token on standard input");
    process.stdout.write(`${sha256Hex(token)}\n`);
}

/** The command line as StandinOptions; a bad flag is an error that names it. */
function optionsFrom(argv: string[]): StandinOptions {
    const { values } = parseArgs({
        args: argv,
        options: {
            port: { type: "string", default: "8787" },
            host: { type: "string", default: "127.0.0.1" },
            db: { type: "string", default: ".standin/standin.db" },
            seed: { type: "string" },
            brownfield: { type: "boolean", default: false },
            "delivery-delay": { type: "string", default: "86400" },
            log: { type: "string" },
            faults: { type: "string" },
            "tls-cert": { type: "string" },
            "tls-key": { type: "string" },
            "client-ca": { type: "string" },
            "require-client-cert": { type: "boolean", default: false },
        },
        strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be 0..65535, got ${values.port}`);
    const delay = Number(values["delivery-delay"]);
    if (!Number.isFinite(delay) || delay < 0)
        throw new Error(`--delivery-delay must be seconds >= 0, got ${values["delivery-delay"]}`);
    if (Boolean(values["tls-cert"]) !== Boolean(values["tls-key"]))
        throw new Error("--tls-cert and --tls-key go together");
    if (values["require-client-cert"] && !values["client-ca"])
        throw new Error("--require-client-cert needs --client-ca");
    if (values.db !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(values.db)), { recursive: true });
    return {
        host: values.host,
        port,
        dbPath: values.db,
        seed: seedFrom(values.seed, values.brownfield),
        deliveryDelaySeconds: delay,
        adminToken: process.env.FK_STANDIN_ADMIN_TOKEN || undefined,
        faults: values.faults ? (JSON.parse(values.faults) as Partial<FaultSettings>) : undefined,
        log: requestLog(values.log),
        tls: values["tls-cert"]
            ? {
                  cert: readPem(values["tls-cert"]),
                  key: readPem(values["tls-key"]!),
                  clientCa: values["client-ca"] ? readPem(values["client-ca"]) : undefined,
                  requireClientCertificate: values["require-client-cert"],
              }
            : undefined,
    };
}

/**
 * --seed FILE, and with --brownfield the subscriptions its municipalities made by hand (a fixed mix of
 * states: see brownfield.ts).
 */
function seedFrom(file: string | undefined, brownfield: boolean): SeedInput | undefined {
    const seed = file ? readSeedFile(file) : undefined;
    if (!brownfield) return seed;
    if (!seed?.tenants.length) throw new Error("--brownfield needs --seed with the municipalities (tenants)");
    return { ...seed, abonnementer: [...seed.abonnementer, ...brownfieldSubscriptions(seed.tenants)] };
}

/** --log FILE appends JSON lines to FILE; --log - writes them to stderr. */
function requestLog(target: string | undefined): ((e: RequestLogEntry) => void) | undefined {
    if (target === "-") return (e) => process.stderr.write(`${JSON.stringify(e)}\n`);
    if (!target) return undefined;
    const out = fs.createWriteStream(target, { flags: "a" });
    return (e) => out.write(`${JSON.stringify(e)}\n`);
}

/** What `--help` prints: the usage at the top of this file, as the user runs it. */
const USAGE = `usage: fk-standin [options]      (npm run standin -- [options])

  --port N                  port to listen on (0: a free one)              default 8787
  --host ADDRESS            address to listen on                           default 127.0.0.1
  --db FILE                 SQLite file (":memory:" keeps nothing)         default .standin/standin.db
  --seed FILE               JSON seed: sortimenter, itSystemInstanser, tenants, abonnementer,
                            serviceAgreements (see contract/sts.md)
  --brownfield              add, for the seed's tenants, subscriptions made by hand in a fixed mix
  --delivery-delay SECONDS  from creation until delivery                   default 86400
  --log FILE|-              one JSON line per request (no credentials); - is stderr
  --faults JSON             e.g. '{"errorRate":0.2,"operations":["opretAbonnement"]}'
  --tls-cert PEM --tls-key PEM [--client-ca PEM [--require-client-cert]]
                            HTTPS; with a client CA, client certificates (and the STS) too

  fk-standin hash-token     reads a token on stdin, prints its SHA-256 for a seed's tokenSha256

Environment: FK_STANDIN_ADMIN_TOKEN enables the /admin routes (never a flag: it would show in ps).
A seed: {"tenants": [{"kommunekode": "0101", "navn": "København", "cvr": "64942212",
"tokenSha256": ["<hash-token's output>"]}], "serviceAgreements": [{"certificateFingerprint":
"AA:BB:...", "cvr": ["64942212"]}]}
`;

async function main(argv: string[]): Promise<void> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(USAGE);
        return;
    }
    if (argv[0] === "hash-token") return hashToken();
    const standin = await startStandin(optionsFrom(argv));
    process.stdout.write(`${JSON.stringify({ url: standin.url, port: standin.port })}\n`);
    const stop = () => {
        void standin.close().then(() => process.exit(0));
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`fk-standin: ${(err as Error).message}\n`);
    process.exit(2);
});
