// Recorded state of released versions (test/fixtures/upgrade/<version>/): how a version's fixture is
// recorded, and how the upgrade test loads it. A fixture is what a municipality's stack holds after
// `pulumi up` of the root program with that version, plus the classification system's data it
// refers to, so that today's code can be run on yesterday's state (test/e2e/upgrade.test.ts).
//
//   stack.json    `pulumi stack export` after `up` (secrets, if any, encrypted with TEST_PASSPHRASE)
//   standin.json  the stand-in seed that holds the same subscriptions, byte for byte as read back, and
//                 the municipality with the hash of the token the state's provider config holds
//   meta.json     what the replay needs to know: the stack, its config, the endpoint it was recorded
//                 against, the state shape, the serialized shim's sha256 and the resource's input names
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256Hex } from "@fk-iac/klassifikation-standin";
import type { AbonnementSeed, SeedInput } from "@fk-iac/klassifikation-standin";
import { PulumiWorkspace, repoRoot, TEST_PASSPHRASE } from "./pulumi";
import { startTestStandin, TestStandin } from "./standin";
import { rootProgram } from "./workspaces";
import { policyPackArgument } from "../../cli/policy-pack";

export const upgradeFixturesDir = path.join(repoRoot, "test", "fixtures", "upgrade");

/** The stack every fixture is recorded in: `stack import` needs the same name (its URNs carry it). */
export const FIXTURE_STACK = "upgrade";

/** What a fixture's meta.json says. */
export interface FixtureMeta {
    /** The version of `@fk-iac/klassifikation` that wrote the state. */
    version: string;
    /** The day it was recorded (the subscription's Gyldig fra). */
    recorded: string;
    stack: string;
    /** The stack's config apart from the connection (fk:endpoint, fk:token are set by the replay). */
    config: Record<string, string>;
    /** The stand-in's address at recording: the replay puts its own in its place, nothing else. */
    endpoint: string;
    /** The passphrase the stack's secrets are encrypted with (a test value, not a secret). */
    passphrase: string;
    /** STATE_VERSION of the outputs in stack.json. */
    stateVersion: number;
    /** sha256 of the serialized shim (the resource's `__provider` input) in stack.json. */
    shimSha256: string;
    /** The resource's input names in stack.json, `__provider` left out. */
    inputs: string[];
    /** What destroy does to the subscription (the resource's onDestroy input). */
    onDestroy: string;
}

/** One recorded version, loaded. */
export interface UpgradeFixture {
    dir: string;
    meta: FixtureMeta;
    /** stack.json as text, as `pulumi stack import` reads it. */
    stackExport: string;
    seed: SeedInput;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** Orders versions "major.minor.patch" by number. */
export function compareVersions(a: string, b: string): number {
    const pa = SEMVER.exec(a)!.slice(1).map(Number);
    const pb = SEMVER.exec(b)!.slice(1).map(Number);
    return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/** The versions with a recorded fixture, oldest first. */
export function recordedVersions(): string[] {
    return fs
        .readdirSync(upgradeFixturesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && SEMVER.test(e.name))
        .map((e) => e.name)
        .sort(compareVersions);
}

export function loadFixture(version: string): UpgradeFixture {
    const dir = path.join(upgradeFixturesDir, version);
    const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
    return {
        dir,
        meta: JSON.parse(read("meta.json")) as FixtureMeta,
        stackExport: read("stack.json"),
        seed: JSON.parse(read("standin.json")) as SeedInput,
    };
}

/** A checkpoint's resource, as `stack export` and the state file hold it. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

/** The stack's one SortimentSubscription. */
export function subscriptionOf(resources: StateResource[]): StateResource {
    const subs = resources.filter((r) => r.type.endsWith(":SortimentSubscription"));
    if (subs.length !== 1) throw new Error(`expected one SortimentSubscription, found ${subs.length}`);
    return subs[0];
}

/** A subscription as the stand-in's admin API returns it, as a seed that recreates it exactly. */
function seedOf(a: any): AbonnementSeed {
    if (a.version > 2) throw new Error(`subscription ${a.uuid} has version ${a.version}: a seed makes 1 or 2`);
    return {
        uuid: a.uuid,
        kommunekode: a.kommunekode,
        sortiment: a.sortiment,
        itSystemInstans: a.itSystemInstans,
        skemaversion: a.skemaversion,
        virkning: a.virkning,
        livscyklus: a.livscyklus,
        note: a.note ?? null,
        oprettet: a.registrering.oprettet,
        oprettetAf: a.registrering.oprettetAf ?? a.registrering.aktoer,
        ...(a.version === 2 ? { aendret: { tidspunkt: a.registrering.tidspunkt, aktoer: a.registrering.aktoer } } : {}),
    };
}

/**
 * Records the fixture of `version` with the code checked out now: the root program for København,
 * `pulumi up` with the policy pack against a stand-in that delivers at once (so delivery reads the
 * same on any later day), then the stack's export and the stand-in's subscriptions.
 */
export async function recordFixture(version: string): Promise<string> {
    if (!SEMVER.test(version)) throw new Error(`version: ${JSON.stringify(version)} is not major.minor.patch`);
    const dir = path.join(upgradeFixturesDir, version);
    if (fs.existsSync(dir)) throw new Error(`${dir} exists: a released version's fixture is never re-recorded`);
    const s = await startTestStandin({ kommuner: 1, deliveryDelaySeconds: 0 });
    const program = rootProgram();
    const config = { "kommune:kode": s.kommuner[0].kommunekode, "kommune:navn": s.kommuner[0].navn };
    let ws: PulumiWorkspace | undefined;
    try {
        ws = await PulumiWorkspace.create({ programDir: program, stack: FIXTURE_STACK });
        for (const [k, v] of Object.entries(config)) await ws.setConfig(k, v);
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:token", s.kommuner[0].token, true);
        await ws.mustRun(["up", "--yes", "--skip-preview", "--policy-pack", policyPackArgument()]);
        const exported = (await ws.mustRun(["stack", "export", "--stack", FIXTURE_STACK])).stdout;
        const sub = subscriptionOf(JSON.parse(exported).deployment.resources);
        const { __provider, ...inputs } = sub.inputs as Record<string, unknown>;
        const meta: FixtureMeta = {
            version,
            recorded: String(sub.outputs!.validFrom),
            stack: FIXTURE_STACK,
            config,
            endpoint: s.url,
            passphrase: TEST_PASSPHRASE,
            stateVersion: sub.outputs!.stateVersion as number,
            shimSha256: sha256Hex(String(__provider)),
            inputs: Object.keys(inputs).sort(),
            onDestroy: String(sub.outputs!.onDestroy),
        };
        // The municipality as the stand-in knows it: refresh and destroy use the provider config in
        // state (the recorded token, encrypted there), so the replay's stand-in must accept it too.
        const seed: SeedInput = {
            tenants: [
                {
                    kommunekode: s.kommuner[0].kommunekode,
                    navn: s.kommuner[0].navn,
                    tokenSha256: [sha256Hex(s.kommuner[0].token)],
                    certificateFingerprints: [],
                },
            ],
            abonnementer: (await abonnementer(s)).map(seedOf),
        };
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "stack.json"), exported);
        fs.writeFileSync(path.join(dir, "standin.json"), `${JSON.stringify(seed, null, 2)}\n`);
        fs.writeFileSync(path.join(dir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
        return dir;
    } finally {
        ws?.dispose();
        fs.rmSync(program, { recursive: true, force: true });
        await s.close();
    }
}

/** A recorded version's state imported into a new stack, against a stand-in holding its data. */
export interface Replay {
    s: TestStandin;
    ws: PulumiWorkspace;
    close(): Promise<void>;
}

/**
 * Imports a fixture's stack export (`pulumi stack import`) into a new stack of the root program,
 * connected to a stand-in seeded with the fixture's data. The one change to the recorded state is
 * the stand-in's address (the endpoint is an input; a new one would be an update, not an upgrade);
 * `edit` may change the export further before it is imported.
 */
export async function replayFixture(
    fixture: UpgradeFixture,
    edit: (deployment: { resources: StateResource[] }, ws: PulumiWorkspace) => void = () => {},
): Promise<Replay> {
    const { meta } = fixture;
    if (meta.passphrase !== TEST_PASSPHRASE) throw new Error(`${meta.version}: secrets need another passphrase`);
    // The classification system as it was when the state was recorded: the same subscriptions,
    // read back byte for byte, delivered at once as then.
    const s = await startTestStandin({ kommuner: 1, deliveryDelaySeconds: 0, seed: fixture.seed });
    const program = rootProgram();
    const ws = await PulumiWorkspace.create({ programDir: program, stack: meta.stack });
    const close = async () => {
        ws.dispose();
        fs.rmSync(program, { recursive: true, force: true });
        await s.close();
    };
    try {
        for (const [k, v] of Object.entries(meta.config)) await ws.setConfig(k, v);
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:token", s.kommuner[0].token, true);
        const exported = JSON.parse(fixture.stackExport.split(meta.endpoint).join(s.url));
        edit(exported.deployment, ws);
        const file = path.join(ws.root, "recorded-stack.json");
        fs.writeFileSync(file, JSON.stringify(exported));
        await ws.mustRun(["stack", "import", "--stack", ws.stack, "--file", file]);
    } catch (err) {
        await close();
        throw err;
    }
    return { s, ws, close };
}

/** Every subscription the stand-in holds for the fixture's municipality, oldest first. */
export async function abonnementer(s: TestStandin): Promise<any[]> {
    return ((await s.admin("GET", `/admin/abonnementer?kommunekode=${s.kommuner[0].kommunekode}`)).items as any[])
        .slice()
        .sort((a, b) => String(a.registrering.oprettet).localeCompare(String(b.registrering.oprettet)));
}

/** What the upgrade guard judges: today's code, the recorded versions and the CHANGELOG. */
export interface UpgradeFacts {
    /** Today's provider version (provider/package.json). */
    providerVersion: string;
    /** Today's STATE_VERSION. */
    stateVersion: number;
    /** sha256 of today's serialized shim. */
    shimSha256: string;
    /** The recorded versions' meta, oldest first. */
    fixtures: FixtureMeta[];
    /** CHANGELOG.md as text. */
    changelog: string;
}

/**
 * The body of a version's CHANGELOG section ("## 0.2.0"), or of "## Unreleased" when the version has
 * none yet; "" when neither is there.
 */
export function changelogSection(changelog: string, version: string): string {
    const sections = new Map<string, string>();
    const parts = changelog.split(/^## +(.+?)\s*$/m);
    for (let i = 1; i < parts.length; i += 2) sections.set(parts[i], parts[i + 1]);
    return sections.get(version) ?? sections.get("Unreleased") ?? "";
}

/**
 * What stands between today's code and a safe upgrade of every recorded version, as sentences that
 * say what to do; none when it is safe.
 *
 * A new serialized shim does not replace a subscription (the SDK's dynamic provider leaves the diff to
 * the provider, which ignores the shim), so existing stacks keep the shim they recorded and run it on
 * refresh and destroy until their next update: `@fk-iac/klassifikation/runtime` must keep serving
 * every recorded shim. A new shim is therefore released with a fixture of its own (so the upgrade test
 * replays the old shims and the new one) and named in its CHANGELOG section. A new output shape is
 * released with a fixture of its own and named in the CHANGELOG too. A change that would replace a
 * subscription fails the replay itself (`preview --expect-no-changes`) unless a migration step keeps
 * the stored state matching.
 */
export function upgradeProblems(f: UpgradeFacts): string[] {
    const latest = f.fixtures.at(-1);
    if (!latest) return ["no recorded version: run npm run record-fixture"];
    const problems: string[] = [];
    if (compareVersions(f.providerVersion, latest.version) < 0)
        problems.push(`provider version ${f.providerVersion} is older than the recorded ${latest.version}`);
    if (f.shimSha256 !== latest.shimSha256)
        problems.push(
            `the serialized shim changed since ${latest.version} (${latest.shimSha256.slice(0, 12)} -> ` +
                `${f.shimSha256.slice(0, 12)}): existing stacks keep running the recorded one on refresh and destroy, ` +
                "so release it with a fixture of its own (raise the version, then npm run record-fixture) and a " +
                "CHANGELOG line naming the new shim",
        );
    f.fixtures.forEach((m, i) => {
        const shim = m.shimSha256.slice(0, 12);
        if (
            i > 0 &&
            m.shimSha256 !== f.fixtures[i - 1].shimSha256 &&
            !changelogSection(f.changelog, m.version).includes(shim)
        )
            problems.push(`CHANGELOG.md, section ${m.version}: name its new serialized shim (${shim})`);
    });
    if (latest.stateVersion !== f.stateVersion)
        problems.push(
            `STATE_VERSION is ${f.stateVersion} but the latest recorded version (${latest.version}) wrote ${latest.stateVersion}: ` +
                "a new output shape is released with a fixture of its own (raise the version, then npm run record-fixture)",
        );
    for (let n = 2; n <= f.stateVersion; n++) {
        const introducedBy = f.fixtures.find((m) => m.stateVersion >= n)?.version ?? f.providerVersion;
        if (!changelogSection(f.changelog, introducedBy).includes(`STATE_VERSION ${n}`))
            problems.push(
                `CHANGELOG.md, section ${introducedBy}: name the new output shape (STATE_VERSION ${n}) and what it adds`,
            );
    }
    return problems;
}
