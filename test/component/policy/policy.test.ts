// Unit tests of each policy with constructed arguments: a passing and a violating case per rule,
// and config overrides. The e2e tests (test/e2e/policy.test.ts) run the pack in the real engine.
import * as assert from "node:assert/strict";
import type {
    Policy,
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import {
    httpsEndpointPolicy,
    itSystemUuidPolicy,
    kommunekodePolicy,
    knownDebtorSystemPolicy,
    policies,
    skemaversionPolicy,
    uniqueSubscriptionPolicy,
    repairPlanPolicy,
    validFromWindowPolicy,
    validToEmptyPolicy,
} from "../../../policy/policies";
import { danishToday } from "../../../policy/validity";
import { checkInputs } from "../../../provider/src/inputs";

const TYPE = "pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription";
const KMD = "362ebac2-761b-4a44-abc6-679f2d5615ce";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** What the policy SDK makes of a policy that reads a value unknown at preview: not run (advisory). */
const NOT_RUN = "not run: a value is unknown at preview";

function configOf(policy: Policy, overrides: Record<string, unknown>): any {
    const schema = (policy as { configSchema?: PolicyConfigSchema }).configSchema;
    const defaults = Object.fromEntries(
        Object.entries(schema?.properties ?? {}).map(([k, v]) => [k, (v as any).default]),
    );
    return { ...defaults, ...overrides };
}

const good = () => ({
    sortiment: "Borgerblikket",
    itSystemInstans: KMD,
    skemaversion: "1.3",
    kommunekode: "0101",
    validFrom: danishToday(),
    validFromDefaulted: true,
    endpoint: "https://klassifikation.example.dk",
});

async function runResource(
    policy: ResourceValidationPolicy,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
    type = TYPE,
): Promise<string[]> {
    const messages: string[] = [];
    const args = {
        type,
        // As the SDK hands them over: reading an unknown value throws (see NOT_RUN).
        props: unknownCheckingProxy(props),
        urn: `urn:pulumi:dev::p::${type}::sub`,
        name: "sub",
        opts: {} as any,
        stackTags: new Map(),
        getConfig: () => configOf(policy, config),
        notApplicable: () => {
            throw new Error("not applicable");
        },
        isType: () => false,
        asType: () => undefined,
    } as unknown as ResourceValidationArgs;
    // As the engine runs them: one validation or a list of them, each awaited in turn.
    const validations = [policy.validateResource].flat() as Array<
        (a: ResourceValidationArgs, report: (m: string) => void) => void | Promise<void>
    >;
    try {
        for (const validate of validations) await validate(args, (m) => messages.push(m));
    } catch (err) {
        if (err instanceof UnknownValueError) return [NOT_RUN];
        throw err;
    }
    return messages;
}

function runStack(
    policy: StackValidationPolicy,
    resources: Array<{ name: string; props: Record<string, unknown>; type?: string }>,
): string[] {
    const messages: string[] = [];
    const args = {
        resources: resources.map((r) => ({
            type: r.type ?? TYPE,
            props: r.props,
            urn: `urn:x::${r.name}`,
            name: r.name,
            opts: {} as any,
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        })),
        stackTags: new Map(),
        getConfig: () => configOf(policy, {}),
        notApplicable: () => {
            throw new Error("n/a");
        },
    } as unknown as StackValidationArgs;
    // Our stack policies are synchronous; a promise here would have nothing to wait for.
    void policy.validateStack(args, (m) => {
        messages.push(m);
    });
    return messages;
}

describe("policy pack (unit)", function () {
    it("every policy has a name, a description and an enforcement level", function () {
        for (const p of policies) {
            assert.match(p.name, /^fk-[a-z-]+$/);
            assert.ok(p.description && p.description.length > 10);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel!));
        }
    });

    it("ignores resources of other types, even other dynamic resources", async function () {
        for (const p of policies.filter((x): x is ResourceValidationPolicy => "validateResource" in x)) {
            assert.deepEqual(
                await runResource(
                    p,
                    {
                        skemaversion: "0.1",
                        itSystemInstans: "x",
                        endpoint: "http://a.b",
                        validTo: "2030-01-01",
                        sortiment: "Borgerblikket",
                    },
                    {},
                    "pulumi-nodejs:dynamic:Resource",
                ),
                [],
            );
        }
    });

    describe("fk-kommunekode", function () {
        it("passes each of the 98 municipalities and a value unknown at preview", async function () {
            for (const kode of ["0101", "0147", "0751", "0860"])
                assert.deepEqual(await runResource(kommunekodePolicy, { ...good(), kommunekode: kode }), []);
            assert.deepEqual(await runResource(kommunekodePolicy, { ...good(), kommunekode: UNKNOWN }), [NOT_RUN]);
        });

        it("blocks a code of no municipality, three digits, a number, or none, naming value and fix", async function () {
            for (const bad of ["0999", "101", 101, undefined, "0101 "]) {
                const [m] = await runResource(kommunekodePolicy, { ...good(), kommunekode: bad });
                assert.match(
                    m,
                    /SortimentSubscription "sub": kommunekode is .*, expected one of the 98 municipalities' kommunekoder.*pulumi config set kommune:kode/,
                );
            }
        });

        it("cuts a huge value to a readable length", async function () {
            const [m] = await runResource(kommunekodePolicy, { ...good(), kommunekode: "9".repeat(10_000) });
            assert.ok(m.length < 400, `${m.length} characters`);
            assert.match(m, /\(10000 characters\)/);
        });
    });

    describe("the policies and the provider's check judge the same values alike, and rightly", function () {
        // Each value with the verdict the task's rules give it, written here independently: both judges
        // share their rule functions by design (one source), so agreeing with each other alone proves
        // nothing; each must agree with this table.
        const table: Array<[string, ResourceValidationPolicy, Array<[string, boolean]>]> = [
            [
                "kommunekode",
                kommunekodePolicy,
                [
                    ["0101", true],
                    ["0751", true],
                    ["0999", false],
                    ["101", false],
                    ["", false],
                    ["9999", false],
                ],
            ],
            [
                "itSystemInstans",
                itSystemUuidPolicy,
                [
                    [KMD, true],
                    [KMD.toUpperCase(), true],
                    ["362ebac2-761b-4a44-abc6", false],
                    [`{${KMD}}`, false],
                    ["KMD Opus Debitor", false],
                    ["", false],
                ],
            ],
            [
                "endpoint",
                httpsEndpointPolicy,
                [
                    ["https://k.example.dk", true],
                    ["http://127.0.0.1:8080", true],
                    ["http://k.example.dk", false],
                    ["https://user:pw@k.example.dk", false],
                    ["ftp://k.example.dk", false],
                    ["k", false],
                ],
            ],
        ];
        for (const [field, policy, values] of table) {
            for (const [value, expected] of values) {
                it(`${field} ${JSON.stringify(value)}: ${expected ? "allowed" : "refused"} by both`, async function () {
                    const policyOk = (await runResource(policy, { ...good(), [field]: value })).length === 0;
                    const providerOk = !checkInputs(
                        {},
                        { ...good(), managedBy: "p/s/n", [field]: value },
                    ).failures.some((f) => f.property === field);
                    assert.deepEqual(
                        { policy: policyOk, provider: providerOk },
                        { policy: expected, provider: expected },
                    );
                });
            }
        }
    });

    it("the harness runs a list of validations and awaits each, as the engine does", async function () {
        const listed: ResourceValidationPolicy = {
            name: "fk-test-list",
            description: "two validations, the second asynchronous",
            validateResource: [
                (_args, report) => report("first"),
                async (_args, report) => {
                    await new Promise((r) => setTimeout(r, 5));
                    report("second, after a wait");
                },
            ],
        };
        assert.deepEqual(await runResource(listed, good()), ["first", "second, after a wait"]);
    });

    describe("fk-skemaversion", function () {
        it("passes 1.3", async () => assert.deepEqual(await runResource(skemaversionPolicy, good()), []));
        it("names resource, value and the expected version for 1.2", async function () {
            const [m] = await runResource(skemaversionPolicy, { ...good(), skemaversion: "1.2" });
            assert.equal(
                m,
                'SortimentSubscription "sub": skemaversion is "1.2", expected "1.3". Set skemaversion: "1.3" in the program.',
            );
        });
        it("flags a missing one", async () =>
            assert.equal((await runResource(skemaversionPolicy, { ...good(), skemaversion: undefined })).length, 1));
        it("takes allowed versions from config", async function () {
            assert.deepEqual(
                await runResource(
                    skemaversionPolicy,
                    { ...good(), skemaversion: "1.4" },
                    { allowedVersions: ["1.3", "1.4"] },
                ),
                [],
            );
        });
        it("a value unknown at preview is not judged: the SDK reports the policy as not run", async () =>
            assert.deepEqual(await runResource(skemaversionPolicy, { ...good(), skemaversion: UNKNOWN }), [NOT_RUN]));
    });

    describe("fk-it-systeminstans-uuid", function () {
        it("passes a uuid", async () => assert.deepEqual(await runResource(itSystemUuidPolicy, good()), []));
        it("flags a malformed one", async function () {
            const [m] = await runResource(itSystemUuidPolicy, { ...good(), itSystemInstans: "KMD Opus Debitor" });
            assert.match(m, /itSystemInstans is "KMD Opus Debitor", expected a uuid/);
        });
    });

    describe("fk-known-debtor-system", function () {
        it("is advisory and passes KMD Opus Debitor", async function () {
            assert.equal(knownDebtorSystemPolicy.enforcementLevel, "advisory");
            assert.deepEqual(await runResource(knownDebtorSystemPolicy, good()), []);
        });
        it("flags another system", async function () {
            const [m] = await runResource(knownDebtorSystemPolicy, {
                ...good(),
                itSystemInstans: "0a0a0a0a-1111-4222-8333-444455556666",
            });
            assert.match(m, /expected one of the known debtor systems \(362ebac2/);
        });
        it("takes the list from config", async function () {
            const other = "0a0a0a0a-1111-4222-8333-444455556666";
            assert.deepEqual(
                await runResource(
                    knownDebtorSystemPolicy,
                    { ...good(), itSystemInstans: other },
                    { knownSystems: [KMD, other] },
                ),
                [],
            );
        });
    });

    describe("fk-repair-plan", function () {
        const existing = {
            uuid: "0a0a0a0a-1111-4222-8333-444455556666",
            skemaversion: "1.2",
            validFrom: "2023-06-01",
            validTo: null,
            oprettet: "2023-06-01T08:12:00Z",
            oprettetAf: "bruger:mh (web-UI)",
        };
        it("names what a repair will end, before anything is written", async function () {
            const [message] = await runResource(repairPlanPolicy, { ...good(), plan: "repair", existing: [existing] });
            assert.match(
                message,
                /ends 0a0a0a0a-1111-4222-8333-444455556666 \(skemaversion 1\.2, Gyldig fra 2023-06-01, Gyldig til \(empty\); made by bruger:mh \(web-UI\) on 2023-06-01\)/,
            );
        });
        it("says nothing for a create or an adoption", async function () {
            assert.deepEqual(await runResource(repairPlanPolicy, { ...good(), plan: "create" }), []);
            assert.deepEqual(
                await runResource(repairPlanPolicy, { ...good(), plan: "adopt", existing: [existing] }),
                [],
            );
        });
    });

    describe("fk-valid-from-window", function () {
        const shift = (days: number) =>
            new Date(Date.parse(`${danishToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        it("passes a defaulted validFrom however old", async () =>
            assert.deepEqual(
                await runResource(validFromWindowPolicy, {
                    ...good(),
                    validFrom: "2020-01-01",
                    validFromDefaulted: true,
                }),
                [],
            ));
        it("passes an explicit date inside the window", async () =>
            assert.deepEqual(
                await runResource(validFromWindowPolicy, { ...good(), validFrom: shift(3), validFromDefaulted: false }),
                [],
            ));
        it("passes an explicit old date of a subscription that is adopted as it is (the provider's plan)", async function () {
            const old = { ...good(), validFrom: "2023-06-01", validFromDefaulted: false };
            assert.equal((await runResource(validFromWindowPolicy, old)).length, 1, "judged when it would be created");
            assert.deepEqual(await runResource(validFromWindowPolicy, { ...old, plan: "adopt" }), []);
            assert.equal((await runResource(validFromWindowPolicy, { ...old, plan: "repair" })).length, 1);
        });
        it("flags an explicit date too far back or ahead", async function () {
            assert.match(
                (
                    await runResource(validFromWindowPolicy, {
                        ...good(),
                        validFrom: shift(-8),
                        validFromDefaulted: false,
                    })
                )[0],
                /validFrom is ".*", expected a date from/,
            );
            assert.equal(
                (
                    await runResource(validFromWindowPolicy, {
                        ...good(),
                        validFrom: shift(32),
                        validFromDefaulted: false,
                    })
                ).length,
                1,
            );
        });
        it("takes the window from config", async () =>
            assert.deepEqual(
                await runResource(
                    validFromWindowPolicy,
                    { ...good(), validFrom: shift(-100), validFromDefaulted: false },
                    { pastToleranceDays: 365 },
                ),
                [],
            ));
    });

    describe("fk-valid-to-empty", function () {
        it("passes an open-ended Borgerblikket subscription", async () =>
            assert.deepEqual(await runResource(validToEmptyPolicy, good()), []));
        it("flags a Borgerblikket validTo", async () =>
            assert.match(
                (await runResource(validToEmptyPolicy, { ...good(), validTo: "2030-01-01" }))[0],
                /validTo is "2030-01-01", expected no value/,
            ));
        it("leaves other sortimenter alone", async () =>
            assert.deepEqual(
                await runResource(validToEmptyPolicy, { ...good(), sortiment: "KLE-emneplan", validTo: "2030-01-01" }),
                [],
            ));
    });

    describe("fk-https-endpoint", function () {
        it("passes https and loopback http", async function () {
            for (const endpoint of ["https://k.example.dk", "http://127.0.0.1:8787", "http://localhost:1"]) {
                assert.deepEqual(await runResource(httpsEndpointPolicy, { ...good(), endpoint }), []);
            }
        });
        it("flags plain http to another host", async () =>
            assert.match(
                (await runResource(httpsEndpointPolicy, { ...good(), endpoint: "http://k.example.dk" }))[0],
                /endpoint is "http:\/\/k\.example\.dk", expected an https:\/\/ URL/,
            ));
    });

    describe("fk-unique-subscription", function () {
        it("passes different pairs", () =>
            assert.deepEqual(
                runStack(uniqueSubscriptionPolicy, [
                    { name: "a", props: good() },
                    { name: "b", props: { ...good(), itSystemInstans: "0a0a0a0a-1111-4222-8333-444455556666" } },
                ]),
                [],
            ));
        it("flags two subscriptions for the same pair, also when the sortiment is named differently", function () {
            const m = runStack(uniqueSubscriptionPolicy, [
                { name: "a", props: { ...good(), sortimentUuid: "5b7c0d3e-8f1a-4c2b-9d6e-0a1b2c3d4e5f" } },
                { name: "b", props: { ...good(), sortiment: "5B7C0D3E-8F1A-4C2B-9D6E-0A1B2C3D4E5F" } },
            ]);
            assert.equal(m.length, 1);
            assert.match(m[0], /"a" and "b" both subscribe/);
        });
    });
});
