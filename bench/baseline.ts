// The lower bound: a plain script that makes the same API calls the provider makes, with axios,
// and nothing else (no engine, no state). Run as a child process so its memory is measured alike.
//
//   node -r ts-node/register/transpile-only bench/baseline.ts <create|refresh|destroy> <url> <token> <count> <parallel>
//
// Prints one JSON line: { uuids } after create.
import axios from "axios";
import { danishToday } from "@fk-iac/klassifikation/rules";
import { syntheticSystem } from "./common";

interface Sortiment {
    uuid: string;
}
interface Abonnement {
    uuid: string;
    sortiment: string;
    itSystemInstans: string;
    version: number;
}

async function pool<T>(n: number, parallel: number, fn: (i: number) => Promise<T>): Promise<T[]> {
    const out = new Array<T>(n);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(parallel, n) }, async () => {
            while (next < n) {
                const i = next++;
                out[i] = await fn(i);
            }
        }),
    );
    return out;
}

async function main() {
    const [op, url, token, countText, parallelText] = process.argv.slice(2);
    const count = Number(countText);
    const parallel = Number(parallelText);
    const http = axios.create({ baseURL: `${url}/api/v1`, headers: { Authorization: `Bearer ${token}` } });
    const today = danishToday();
    if (op === "create") {
        const uuids = await pool(count, parallel, async (i) => {
            const found = await http.get<{ items: Sortiment[] }>("/sortimenter", {
                params: { brugervendtnoegle: "Borgerblikket" },
            });
            const s = found.data.items[0];
            await http.get(`/it-systeminstanser/${syntheticSystem(i)}`);
            await http.get("/abonnementer", {
                params: {
                    sortiment: s.uuid,
                    itSystemInstans: syntheticSystem(i),
                    aktiv: true,
                    foersteresultat: 0,
                    maksimalantalresultater: 500,
                },
            });
            const created = await http.post<Abonnement>("/abonnementer", {
                sortiment: s.uuid,
                itSystemInstans: syntheticSystem(i),
                skemaversion: "1.3",
                virkning: { from: today, to: null },
                note: "bench",
            });
            return created.data.uuid;
        });
        process.stdout.write(`${JSON.stringify({ uuids })}\n`);
        return;
    }
    const uuids = JSON.parse(process.env.BENCH_UUIDS ?? "[]") as string[];
    if (op === "refresh") {
        await pool(uuids.length, parallel, async (i) => {
            const a = (await http.get<Abonnement>(`/abonnementer/${uuids[i]}`)).data;
            await http.get(`/it-systeminstanser/${a.itSystemInstans}`);
            await http.get(`/sortimenter/${a.sortiment}`);
        });
    } else if (op === "destroy") {
        await pool(uuids.length, parallel, async (i) => {
            const a = (await http.get<Abonnement>(`/abonnementer/${uuids[i]}`)).data;
            await http.patch(
                `/abonnementer/${uuids[i]}`,
                { virkning: { to: today } },
                { headers: { "If-Match": `"${a.version}"` } },
            );
        });
    }
    process.stdout.write("{}\n");
}

main().catch((err: unknown) => {
    const status = axios.isAxiosError(err) ? (err.response?.status ?? "") : "";
    process.stderr.write(`${status} ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
