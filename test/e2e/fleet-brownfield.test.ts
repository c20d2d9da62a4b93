// The fleet meets the brownfield: the stand-in's seed of all 98 municipalities in mixed states (most
// done by hand in 2023, some with skemaversion 1.2 or an end date, some ended or passivated, some never
// made). `fleet survey` reads it all with each row's own credentials, with no stack and no Pulumi CLI;
// `fleet up` then adopts the right ones (values untouched, one write of the note records the owner), refuses the wrong ones unless --repair, and
// creates the missing ones; `fleet status` agrees with the survey.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { brownfieldCases, brownfieldSubscriptions } from "@fk-iac/klassifikation-standin";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { fleetIn, startFleet } from "../helpers/fleet";
import { collect, repoRoot } from "../helpers/pulumi";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";
import { localBackendUrl } from "../../cli/local";

const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];

describe("fleet over the brownfield of all 98 municipalities", function () {
    let s: TestStandin;
    const dir = path.join(repoRoot, ".work", `fleet-brownfield-${process.pid}`);
    const inventory = path.join(dir, "inventory.yaml");
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    const cases = new Map(brownfieldCases(KOMMUNER.map(([kode]) => kode)).map((c) => [c.kommunekode, c.case]));
    const ofCase = (...wanted: string[]) => [...cases].filter(([, c]) => wanted.includes(c)).map(([k]) => k);
    let env: NodeJS.ProcessEnv;
    const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);
    const report = () => JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
    const fleet = fleetIn(dir, inventory, () => env);

    before(async function () {
        fs.mkdirSync(dir, { recursive: true });
        const tenants = tenantsFor(tokens);
        s = await startTestStandin({ kommuner: 0, seed: { tenants, abonnementer: brownfieldSubscriptions(tenants) } });
        const rows = KOMMUNER.map(
            ([kode, navn]) =>
                `  - { kommunekode: "${kode}", navn: "${navn}", endpoint: "${s.url}", credentials: "env:FK_TOKEN_${kode}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
        env = {
            ...process.env,
            PULUMI_BACKEND_URL: localBackendUrl(path.join(dir, "backend")),
            PULUMI_CONFIG_PASSPHRASE: "fleet-brownfield-test",
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            ...Object.fromEntries([...tokens].map(([kode, token]) => [`FK_TOKEN_${kode}`, token])),
        };
        // The shell's own settings must reach no municipality: the inventory is the whole truth. Each of
        // these would make a stack fail (an unreadable PFX, a CA bundle that is no PEM) or act for
        // another municipality (København's token) if it got through.
        env.FK_KLASSIFIKATION_TOKEN = tokens.get("0101");
        env.FK_KLASSIFIKATION_ENDPOINT = s.url;
        env.FK_KLASSIFIKATION_PFX_FILE = path.join(dir, "aarhus-certificate.p12");
        env.FK_KLASSIFIKATION_PFX_PASSPHRASE = "-aarhus pfx passphrase";
        env.FK_KLASSIFIKATION_CA_BUNDLE = "not a certificate";
        env.FK_KLASSIFIKATION_DEADLINE_MS = "1";
    });
    after(async function () {
        await s?.close();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    });

    it("survey classifies every municipality, read-only, with no stack and no Pulumi CLI on PATH", async function () {
        // Frederiksberg's row carries Aarhus's token; Ballerup's API does not answer.
        const noPulumi = (env.PATH ?? "")
            .split(path.delimiter)
            .filter((d) => !fs.existsSync(path.join(d, "pulumi")))
            .join(path.delimiter);
        const res = await fleet(["survey"], { PATH: noPulumi, FK_TOKEN_0147: tokens.get("0751")! });
        assert.equal(res.code, 1, res.output);
        const r = report();
        assert.equal(r.municipalities.length, 98);
        const stateOf = new Map<string, string>(r.municipalities.map((m: any) => [m.kommunekode, m.state]));
        assert.equal(stateOf.get("0147"), "wrong-municipality");
        const expected: Record<string, string> = {
            "by-hand": "by-hand",
            "wrong-skemaversion": "wrong-values",
            "wrong-gyldig-til": "wrong-values",
            ended: "ended",
            passive: "ended",
            missing: "missing",
        };
        for (const [kode, c] of cases) {
            if (kode === "0147") continue;
            assert.equal(stateOf.get(kode), expected[c], `${kode} (${c})`);
        }
        const counts = r.counts as Record<string, number>;
        assert.equal(
            Object.values(counts).reduce((a, b) => a + b, 0),
            98,
        );
        assert.equal(counts["by-hand"], ofCase("by-hand").filter((k) => k !== "0147").length);
        assert.equal(counts["wrong-values"], ofCase("wrong-skemaversion", "wrong-gyldig-til").length);
        const wrong = r.municipalities.find(
            (m: any) => m.state === "wrong-values" && m.subscription.skemaversion === "1.2",
        );
        assert.deepEqual(wrong.mismatches, [{ field: "skemaversion", found: "1.2", wanted: "1.3" }]);
        assert.match(wrong.subscription.oprettetAf, /web-UI/);
        const byHand = r.municipalities.find((m: any) => m.state === "by-hand");
        assert.match(byHand.next, /pulumi up adopts it/);
        assert.match(
            res.stdout,
            /survey: \d+ by-hand, \d+ wrong-values, \d+ ended, \d+ missing, 1 wrong-municipality \(98 municipalities\)/,
        );
        assert.equal(writes(), 0, "a survey never writes");
        assert.ok(!fs.existsSync(path.join(dir, "backend", ".pulumi")), "no stack was made");
        for (const token of tokens.values()) assert.ok(!res.output.includes(token), "no token in the output");
    });

    it("an unreachable API is its own state, and a survey with every row reached and done exits 0", async function () {
        const closed = `http://127.0.0.1:9`;
        const one = path.join(dir, "one.yaml");
        const kode = ofCase("by-hand")[0];
        fs.writeFileSync(
            one,
            `kommuner:\n  - { kommunekode: "${kode}", navn: "X", endpoint: "${closed}", credentials: "env:FK_TOKEN_${kode}" }\n`,
        );
        const down = await collect(
            startFleet(["survey", "--inventory", one, "--report", path.join(dir, "one.json")], env),
        );
        assert.equal(down.code, 1, down.output);
        const [m] = JSON.parse(fs.readFileSync(path.join(dir, "one.json"), "utf8")).municipalities;
        assert.equal(m.state, "unreachable");
        fs.writeFileSync(one, fs.readFileSync(one, "utf8").replace(closed, s.url));
        const up = await collect(startFleet(["survey", "--inventory", one], env));
        assert.equal(up.code, 0, `by hand and delivered is done:\n${up.output}`);
    });

    it("--setting shares what may be shared (a CA bundle, the deadline) and refuses a credential", async function () {
        const refused = await fleet(["survey", "--setting", "token=-secret-value"]);
        assert.equal(refused.code, 2, refused.output);
        assert.match(
            refused.output,
            /--setting "token=-secret-value": expected KEY=VALUE with KEY one of caBundle, caBundleFile/,
        );
        const shared = await fleet(["survey", "--only", "0101", "--setting", "deadlineMs=1"]);
        assert.equal(shared.code, 1, shared.output);
        // Too short a deadline to be allowed: the survey says so, so the shared setting reached the row.
        assert.match(
            report().municipalities[0].detail,
            /connection setting --setting deadlineMs is "1": must be a whole number from 100/,
        );
    });

    it("fleet status of municipalities without a stack looks their subscriptions up and names the state", async function () {
        const [byHand, missing] = [ofCase("by-hand")[5], ofCase("missing")[1]];
        const res = await fleet(["status", "--only", `${byHand},${missing}`]);
        assert.equal(res.code, 1, res.output);
        const byKode = new Map<string, any>(report().stacks.map((x: any) => [x.kommunekode, x]));
        assert.equal(byKode.get(byHand).task, "by-hand");
        assert.match(
            byKode.get(byHand).message,
            /made by hand by .* not yet under code \(next: pulumi up adopts it \(its values untouched; one write of its note records the stack as owner\)\)/,
        );
        assert.equal(byKode.get(missing).task, "missing");
        assert.equal(byKode.get(missing).result, "failed");
    });

    it("fleet up adopts the right ones (one write of the note each), creates the ended and missing ones, refuses the wrong ones", async function () {
        const only = [
            ...ofCase("by-hand").slice(0, 3),
            ...ofCase("wrong-skemaversion").slice(0, 1),
            ...ofCase("ended", "missing").slice(0, 2),
        ];
        s.server.resetStats();
        const seen = s.log.length; // the log holds the earlier tests' requests too
        const res = await fleet(["up", "--only", only.join(","), "--concurrency", "2"]);
        assert.equal(res.code, 1, res.output);
        // Every request carried the row's own credentials: each stack's calls act for its municipality.
        const actedFor = new Set(
            s.log
                .slice(seen)
                .filter((e) => e.kommunekode)
                .map((e) => e.kommunekode),
        );
        assert.deepEqual([...actedFor].sort(), [...only].sort(), "only the rows' own municipalities");
        assert.doesNotMatch(res.output, /FK_INVALID_CONNECTION|pfx|caBundle/i, "no setting of the shell was used");
        const byKode = new Map<string, any>(report().stacks.map((x: any) => [x.kommunekode, x]));
        for (const kode of ofCase("by-hand").slice(0, 3)) assert.equal(byKode.get(kode).result, "succeeded", kode);
        const refused = byKode.get(ofCase("wrong-skemaversion")[0]);
        assert.equal(refused.result, "failed");
        assert.match(
            refused.message,
            /already exists .*skemaversion 1\.2.*made by bruger:klassifikationsadministrator.*FK_CONFLICT/,
        );
        assert.doesNotMatch(refused.message, /creating \(\d+s\)/, "the reason only, not the engine's progress");
        assert.equal(s.server.stats().opretAbonnement?.total, 2, "only the ended and the missing one were created");
        assert.equal(s.server.stats().retAbonnement?.total, 3, "one Ret of the note per adoption, nothing ended");
        // The read-only survey (no stacks) now sees the adopted ones as under code, with their stacks.
        const survey = await fleet(["survey", "--only", ofCase("by-hand").slice(0, 3).join(",")]);
        assert.equal(survey.code, 0, survey.output);
        for (const m of report().municipalities) {
            assert.equal(m.state, "done", m.kommunekode);
            assert.equal(m.subscription.underCode, true, m.kommunekode);
            assert.match(m.detail, /managed by the stack \S+\//, m.kommunekode);
        }

        const repair = await fleet(["up", "--only", only.join(","), "--concurrency", "2", "--repair"]);
        assert.equal(repair.code, 0, repair.output);
        const status = await fleet(["status", "--only", only.join(","), "--concurrency", "3"]);
        assert.equal(status.code, 10, status.output);
        const states = new Map<string, string>(report().stacks.map((x: any) => [x.kommunekode, x.task]));
        for (const kode of ofCase("by-hand").slice(0, 3)) assert.equal(states.get(kode), "done", kode);
        for (const kode of [...ofCase("wrong-skemaversion").slice(0, 1), ...ofCase("ended", "missing").slice(0, 2)])
            assert.equal(states.get(kode), "pending", kode);
    });
});
