// Real team state backends for the tests, each started on loopback in a folder of its own and stopped
// after: PostgreSQL (the server binaries of Debian's `postgresql` package, which `scripts/run.sh`
// installs) and Azure Blob Storage (Azurite, Microsoft's emulator, an npm devDependency). Each can be
// stopped and started again on the same data, to prove the state survives a restart.
import { ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { collect, repoRoot } from "./pulumi";

/** A running state backend. */
export interface StateService {
    readonly kind: "postgres" | "azblob";
    /** For `PULUMI_BACKEND_URL` (no secret in it). */
    readonly backendUrl: string;
    /** What the CLI needs besides the URL: the credentials, as environment variables. */
    readonly env: Record<string, string>;
    /** Everything stored, as text: every row, or every blob (to scan it for secrets). */
    dump(): Promise<string>;
    /** How many of the stored rows or blobs are lock files. */
    locks(): Promise<number>;
    /** Stops the server, keeping its data. */
    stop(): Promise<void>;
    /** Starts it again on the same data and port. */
    start(): Promise<void>;
    /** Stops it and removes its data. */
    dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** Runs a command to its end; rejects with its output when it fails. */
async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const res = await collect(spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] }));
    if (res.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${res.code}):\n${res.output}`);
    return res.stdout;
}

/** The folder of PostgreSQL's server binaries (initdb, pg_ctl, psql). */
export function postgresBinDir(): string {
    const root = "/usr/lib/postgresql";
    const versions = fs.existsSync(root)
        ? fs
              .readdirSync(root)
              .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
              .sort((a, b) => Number(b) - Number(a))
        : [];
    if (versions.length) return path.join(root, versions[0], "bin");
    throw new Error(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: `bash scripts/run.sh setup` installs " +
            "them (Debian's postgresql package)",
    );
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user the package made. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
    return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

/** A PostgreSQL cluster of its own with a password-protected role; the database `pulumi` holds the state. */
export async function startPostgres(): Promise<StateService> {
    const bin = postgresBinDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-postgres-"));
    const data = path.join(dir, "data");
    const password = `-${crypto.randomBytes(12).toString("base64url")}`;
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, password, { mode: 0o600 });
    if (process.getuid?.() === 0) {
        const { uid, gid } = userIds("postgres");
        fs.chownSync(dir, uid, gid);
        fs.chownSync(pwfile, uid, gid);
    }
    const [initdb, initArgs] = asServerUser(path.join(bin, "initdb"), [
        ...["-D", data, "-U", "fk_state", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8"],
        "--no-instructions",
    ]);
    await run(initdb, initArgs);
    const port = await freePort();
    const env = { PGPASSWORD: password };
    const client = { ...process.env, ...env };
    const pgCtl = (action: string[]) => {
        const [cmd, args] = asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-w", ...action]);
        return run(cmd, args);
    };
    const start = async () => {
        await pgCtl([
            "-l",
            path.join(dir, "server.log"),
            "-o",
            `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
            "start",
        ]);
    };
    const psql = (sql: string) =>
        run(
            path.join(bin, "psql"),
            ["-h", "127.0.0.1", "-p", String(port), "-U", "fk_state", "-d", "pulumi", "-At", "-c", sql],
            client,
        );
    await start();
    await run(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "fk_state", "pulumi"], client);
    const stop = async () => void (await pgCtl(["-m", "fast", "stop"]));
    return {
        kind: "postgres",
        backendUrl: `postgres://fk_state@127.0.0.1:${port}/pulumi?sslmode=disable`,
        env,
        // Each row holds a file of the bucket, base64 in {"data": ...}: both forms are scanned.
        dump: () =>
            psql(
                "SELECT key || ' ' || data::text || ' ' || " +
                    "coalesce(convert_from(decode(data->>'data', 'base64'), 'UTF8'), '') FROM pulumi_state",
            ),
        locks: async () =>
            Number((await psql("SELECT count(*) FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%'")).trim()),
        stop,
        start,
        dispose: async () => {
            await stop().catch(() => undefined);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

function userIds(name: string): { uid: number; gid: number } {
    const line = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith(`${name}:`));
    if (!line) throw new Error(`there is no user ${name} (Debian's postgresql package makes it)`);
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const AZURITE_ACCOUNT = "devstoreaccount1";
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** Azurite's blob service with its data in a folder of its own; the container `pulumi-state` holds the state. */
export async function startAzurite(): Promise<StateService> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-azurite-"));
    const port = await freePort();
    const main = path.join(repoRoot, "node_modules", "azurite", "dist", "src", "blob", "main.js");
    let child: ChildProcess | undefined;
    const start = async () => {
        const args = [
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            String(port),
            "--location",
            dir,
            "--skipApiVersionCheck",
        ];
        child = spawn(process.execPath, [main, ...args, "--silent"], { stdio: ["ignore", "pipe", "pipe"] });
        await listening(child, port);
    };
    // SIGTERM saves Azurite's metadata and closes; its shutdown can wait long for open connections, so
    // after 15 s it is killed (its data is on disk by then: the test checks it survives).
    const stop = async () => {
        const c = child;
        if (!c || c.exitCode !== null) return;
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => c.kill("SIGKILL"), 15_000);
            c.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            c.kill("SIGTERM");
        });
    };
    await start();
    const service = new BlobServiceClient(
        `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
        new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
        // No idle keep-alive connections from this process: Azurite's shutdown waits for them to close.
        { keepAliveOptions: { enable: false } },
    );
    const container = service.getContainerClient("pulumi-state");
    await container.create();
    const dump = async () => {
        const texts: string[] = [];
        for await (const blob of container.listBlobsFlat()) {
            const buffer = await container.getBlobClient(blob.name).downloadToBuffer();
            texts.push(`${blob.name} ${buffer.toString("utf8")}`);
        }
        return texts.join("\n");
    };
    const locks = async () => {
        let n = 0;
        for await (const blob of container.listBlobsFlat({ prefix: ".pulumi/locks/" })) if (blob.name) n++;
        return n;
    };
    return {
        kind: "azblob",
        backendUrl: "azblob://pulumi-state",
        env: {
            AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT,
            AZURE_STORAGE_KEY: AZURITE_KEY,
            AZURE_STORAGE_DOMAIN: `127.0.0.1:${port}`,
            AZURE_STORAGE_PROTOCOL: "http",
            AZURE_STORAGE_IS_LOCAL_EMULATOR: "true",
        },
        dump,
        locks,
        stop,
        start,
        dispose: async () => {
            await stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Resolves when the port accepts connections; rejects when the process exits first or after 30 s. */
function listening(child: ChildProcess, port: number): Promise<void> {
    let output = "";
    child.stdout?.on("data", (d) => (output += String(d)));
    child.stderr?.on("data", (d) => (output += String(d)));
    return new Promise((resolve, reject) => {
        const deadline = Date.now() + 30_000;
        const onExit = (code: number | null) =>
            reject(new Error(`the server exited (${code}) before listening:\n${output}`));
        child.once("exit", onExit);
        const attempt = () => {
            const socket = net.connect(port, "127.0.0.1");
            socket.once("connect", () => {
                socket.destroy();
                child.off("exit", onExit);
                resolve();
            });
            socket.once("error", () => {
                socket.destroy();
                if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after 30 s:\n${output}`));
                else setTimeout(attempt, 100);
            });
        };
        attempt();
    });
}

/** The state backends the team tests run against, by name. */
export const STATE_SERVICES: Record<StateService["kind"], () => Promise<StateService>> = {
    postgres: startPostgres,
    azblob: startAzurite,
};
