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

function runResource(
    policy: ResourceValidationPolicy,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
    type = TYPE,
): string[] {
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
    try {
        (policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => void)(args, (m) =>
            messages.push(m),
        );
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

    it("ignores resources of other types, even other dynamic resources", function () {
        for (const p of policies.filter((x): x is ResourceValidationPolicy => "validateResource" in x)) {
            assert.deepEqual(
                runResource(
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
        it("passes each of the 98 municipalities and a value unknown at preview", function () {
            for (const kode of ["0101", "0147", "0751", "0860"])
                assert.deepEqual(runResource(kommunekodePolicy, { ...good(), kommunekode: kode }), []);
            assert.deepEqual(runResource(kommunekodePolicy, { ...good(), kommunekode: UNKNOWN }), [NOT_RUN]);
        });

        it("blocks a code of no municipality, three digits, a number, or none, naming value and fix", function () {
            for (const bad of ["0999", "101", 101, undefined, "0101 "]) {
                const [m] = runResource(kommunekodePolicy, { ...good(), kommunekode: bad });
                assert.match(
                    m,
                    /SortimentSubscription "sub": kommunekode is .*, expected one of the 98 municipalities' kommunekoder.*pulumi config set kommune:kode/,
                );
            }
        });

        it("cuts a huge value to a readable length", function () {
            const [m] = runResource(kommunekodePolicy, { ...good(), kommunekode: "9".repeat(10_000) });
            assert.ok(m.length < 400, `${m.length} characters`);
            assert.match(m, /\(10000 characters\)/);
        });
    });

    describe("the policies and the provider's check judge the same values alike", function () {
        const cases: Array<[string, ResourceValidationPolicy, Record<string, unknown>]> = [
            ...["0101", "0999", "101", "", "0751", "9999"].map(
                (v) =>
                    ["kommunekode", kommunekodePolicy, { kommunekode: v }] as [
                        string,
                        ResourceValidationPolicy,
                        Record<string, unknown>,
                    ],
            ),
            ...[KMD, KMD.toUpperCase(), "362ebac2-761b-4a44-abc6", `{${KMD}}`, "KMD Opus Debitor", ""].map(
                (v) =>
                    ["itSystemInstans", itSystemUuidPolicy, { itSystemInstans: v }] as [
                        string,
                        ResourceValidationPolicy,
                        Record<string, unknown>,
                    ],
            ),
            ...[
                "https://k.example.dk",
                "http://127.0.0.1:8080",
                "http://k.example.dk",
                "https://user:pw@k.example.dk",
                "ftp://k.example.dk",
                "k",
            ].map(
                (v) =>
                    ["endpoint", httpsEndpointPolicy, { endpoint: v }] as [
                        string,
                        ResourceValidationPolicy,
                        Record<string, unknown>,
                    ],
            ),
        ];
        for (const [field, policy, over] of cases) {
            it(`${field} ${JSON.stringify(over[field])}`, function () {
                const policyOk = runResource(policy, { ...good(), ...over }).length === 0;
                const providerOk = !checkInputs({}, { ...good(), managedBy: "p/s/n", ...over }).failures.some(
                    (f) => f.property === field,
                );
                assert.equal(
                    policyOk,
                    providerOk,
                    `policy says ${policyOk ? "ok" : "bad"}, provider says ${providerOk ? "ok" : "bad"}`,
                );
            });
        }
    });

    describe("fk-skemaversion", function () {
        it("passes 1.3", () => assert.deepEqual(runResource(skemaversionPolicy, good()), []));
        it("names resource, value and the expected version for 1.2", function () {
            const [m] = runResource(skemaversionPolicy, { ...good(), skemaversion: "1.2" });
            assert.equal(
                m,
                'SortimentSubscription "sub": skemaversion is "1.2", expected "1.3". Set skemaversion: "1.3" in the program.',
            );
        });
        it("flags a missing one", () =>
            assert.equal(runResource(skemaversionPolicy, { ...good(), skemaversion: undefined }).length, 1));
        it("takes allowed versions from config", function () {
            assert.deepEqual(
                runResource(
                    skemaversionPolicy,
                    { ...good(), skemaversion: "1.4" },
                    { allowedVersions: ["1.3", "1.4"] },
                ),
                [],
            );
        });
        it("a value unknown at preview is not judged: the SDK reports the policy as not run", () =>
            assert.deepEqual(runResource(skemaversionPolicy, { ...good(), skemaversion: UNKNOWN }), [NOT_RUN]));
    });

    describe("fk-it-systeminstans-uuid", function () {
        it("passes a uuid", () => assert.deepEqual(runResource(itSystemUuidPolicy, good()), []));
        it("flags a malformed one", function () {
            const [m] = runResource(itSystemUuidPolicy, { ...good(), itSystemInstans: "KMD Opus Debitor" });
            assert.match(m, /itSystemInstans is "KMD Opus Debitor", expected a uuid/);
        });
    });

    describe("fk-known-debtor-system", function () {
        it("is advisory and passes KMD Opus Debitor", function () {
            assert.equal(knownDebtorSystemPolicy.enforcementLevel, "advisory");
            assert.deepEqual(runResource(knownDebtorSystemPolicy, good()), []);
        });
        it("flags another system", function () {
            const [m] = runResource(knownDebtorSystemPolicy, {
                ...good(),
                itSystemInstans: "0a0a0a0a-1111-4222-8333-444455556666",
            });
            assert.match(m, /expected one of the known debtor systems \(362ebac2/);
        });
        it("takes the list from config", function () {
            const other = "0a0a0a0a-1111-4222-8333-444455556666";
            assert.deepEqual(
                runResource(
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
        it("names what a repair will end, before anything is written", function () {
            const [message] = runResource(repairPlanPolicy, { ...good(), plan: "repair", existing: [existing] });
            assert.match(
                message,
                /ends 0a0a0a0a-1111-4222-8333-444455556666 \(skemaversion 1\.2, Gyldig fra 2023-06-01, Gyldig til \(empty\); made by bruger:mh \(web-UI\) on 2023-06-01\)/,
            );
        });
        it("says nothing for a create or an adoption", function () {
            assert.deepEqual(runResource(repairPlanPolicy, { ...good(), plan: "create" }), []);
            assert.deepEqual(runResource(repairPlanPolicy, { ...good(), plan: "adopt", existing: [existing] }), []);
        });
    });

    describe("fk-valid-from-window", function () {
        const shift = (days: number) =>
            new Date(Date.parse(`${danishToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        it("passes a defaulted validFrom however old", () =>
            assert.deepEqual(
                runResource(validFromWindowPolicy, { ...good(), validFrom: "2020-01-01", validFromDefaulted: true }),
                [],
            ));
        it("passes an explicit date inside the window", () =>
            assert.deepEqual(
                runResource(validFromWindowPolicy, { ...good(), validFrom: shift(3), validFromDefaulted: false }),
                [],
            ));
        it("passes an explicit old date of a subscription that is adopted as it is (the provider's plan)", function () {
            const old = { ...good(), validFrom: "2023-06-01", validFromDefaulted: false };
            assert.equal(runResource(validFromWindowPolicy, old).length, 1, "judged when it would be created");
            assert.deepEqual(runResource(validFromWindowPolicy, { ...old, plan: "adopt" }), []);
            assert.equal(runResource(validFromWindowPolicy, { ...old, plan: "repair" }).length, 1);
        });
        it("flags an explicit date too far back or ahead", function () {
            assert.match(
                runResource(validFromWindowPolicy, { ...good(), validFrom: shift(-8), validFromDefaulted: false })[0],
                /validFrom is ".*", expected a date from/,
            );
            assert.equal(
                runResource(validFromWindowPolicy, { ...good(), validFrom: shift(32), validFromDefaulted: false })
                    .length,
                1,
            );
        });
        it("takes the window from config", () =>
            assert.deepEqual(
                runResource(
                    validFromWindowPolicy,
                    { ...good(), validFrom: shift(-100), validFromDefaulted: false },
                    { pastToleranceDays: 365 },
                ),
                [],
            ));
    });

    describe("fk-valid-to-empty", function () {
        it("passes an open-ended Borgerblikket subscription", () =>
            assert.deepEqual(runResource(validToEmptyPolicy, good()), []));
        it("flags a Borgerblikket validTo", () =>
            assert.match(
                runResource(validToEmptyPolicy, { ...good(), validTo: "2030-01-01" })[0],
                /validTo is "2030-01-01", expected no value/,
            ));
        it("leaves other sortimenter alone", () =>
            assert.deepEqual(
                runResource(validToEmptyPolicy, { ...good(), sortiment: "KLE-emneplan", validTo: "2030-01-01" }),
                [],
            ));
    });

    describe("fk-https-endpoint", function () {
        it("passes https and loopback http", function () {
            for (const endpoint of ["https://k.example.dk", "http://127.0.0.1:8787", "http://localhost:1"]) {
                assert.deepEqual(runResource(httpsEndpointPolicy, { ...good(), endpoint }), []);
            }
        });
        it("flags plain http to another host", () =>
            assert.match(
                runResource(httpsEndpointPolicy, { ...good(), endpoint: "http://k.example.dk" })[0],
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
