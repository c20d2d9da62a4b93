// The provider's response schemas (provider/src/wire.ts) and the written contract (contract/openapi.yaml)
// are one contract: a test that fails on any drift. The provider must accept every response the
// contract allows (each type, each enum value, null where the contract allows it), must not require a
// property the contract does not guarantee, and must read no property the contract does not have.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { z } from "zod";
import {
    abonnementPageSchema,
    abonnementSchema,
    itSystemInstansSchema,
    myndighedSchema,
    problemSchema,
    sortimentListSchema,
    sortimentSchema,
} from "../../../provider/src/wire";

const root = path.resolve(__dirname, "..", "..", "..");
const contract = YAML.parse(fs.readFileSync(path.join(root, "contract", "openapi.yaml"), "utf8"));

type Schema = Record<string, any>;

/** A contract schema with its $ref followed (local references only). */
function resolved(schema: Schema): Schema {
    if (typeof schema.$ref !== "string") return schema;
    const target = schema.$ref
        .replace(/^#\//, "")
        .split("/")
        .reduce((node: any, key) => node[key], contract);
    return resolved(target);
}

/** The alternatives of a schema: each branch of anyOf/oneOf, resolved. */
function branches(schema: Schema): Schema[] {
    const s = resolved(schema);
    const alternatives = s.anyOf ?? s.oneOf;
    return alternatives ? (alternatives as Schema[]).flatMap(branches) : [s];
}

/** The JSON types a schema admits. */
function typesOf(schema: Schema): Set<string> {
    return new Set(branches(schema).flatMap((b) => [b.type ?? []].flat() as string[]));
}

const enumOf = (schema: Schema) => branches(schema).flatMap((b) => (b.enum as unknown[] | undefined) ?? []);
const objectOf = (schema: Schema) => branches(schema).find((b) => b.type === "object" || b.properties);
const arrayOf = (schema: Schema) => branches(schema).find((b) => b.type === "array");

/** Where the provider's schema (read) and the contract's (given) disagree, as "path: what". */
function drift(read: Schema, given: Schema, at: string): string[] {
    const problems: string[] = [];
    const readTypes = typesOf(read);
    for (const t of typesOf(given)) {
        const accepted = readTypes.has(t) || (t === "integer" && readTypes.has("number"));
        if (!accepted) problems.push(`${at}: the contract allows ${t}, the provider rejects it`);
    }
    const readEnum = enumOf(read);
    if (readEnum.length > 0) {
        for (const v of enumOf(given))
            if (!readEnum.includes(v)) problems.push(`${at}: the contract allows ${String(v)}, the provider does not`);
    }
    const readObject = objectOf(read);
    const givenObject = objectOf(given);
    if (readObject && givenObject) {
        const guaranteed = new Set<string>((givenObject.required as string[] | undefined) ?? []);
        for (const name of (readObject.required as string[] | undefined) ?? []) {
            if (!guaranteed.has(name)) problems.push(`${at}.${name}: the provider requires it, the contract does not`);
        }
        for (const [name, schema] of Object.entries<Schema>(readObject.properties ?? {})) {
            const there = (givenObject.properties as Record<string, Schema> | undefined)?.[name];
            if (!there) problems.push(`${at}.${name}: the provider reads it, the contract has no such property`);
            else problems.push(...drift(schema, there, `${at}.${name}`));
        }
    }
    const readArray = arrayOf(read);
    const givenArray = arrayOf(given);
    if (readArray?.items && givenArray?.items) problems.push(...drift(readArray.items, givenArray.items, `${at}[]`));
    return problems;
}

/** The schema of an operation's response body in the contract. */
function responseOf(operationId: string, status: string): Schema {
    for (const item of Object.values<any>(contract.paths)) {
        for (const op of Object.values<any>(item)) {
            if (op?.operationId !== operationId) continue;
            const response = resolved(op.responses[status]);
            return Object.values<any>(response.content)[0].schema;
        }
    }
    throw new Error(`the contract has no operation ${operationId}`);
}

describe("the provider's response schemas against the written contract", function () {
    const pairs: Array<[string, z.ZodType, Schema]> = [
        ["laesMyndighed 200", myndighedSchema, responseOf("laesMyndighed", "200")],
        ["soegSortiment 200", sortimentListSchema, responseOf("soegSortiment", "200")],
        ["laesSortiment 200", sortimentSchema, responseOf("laesSortiment", "200")],
        ["laesItSystemInstans 200", itSystemInstansSchema, responseOf("laesItSystemInstans", "200")],
        ["soegAbonnement 200", abonnementPageSchema, responseOf("soegAbonnement", "200")],
        ["laesAbonnement 200", abonnementSchema, responseOf("laesAbonnement", "200")],
        ["opretAbonnement 201", abonnementSchema, responseOf("opretAbonnement", "201")],
        ["retAbonnement 200", abonnementSchema, responseOf("retAbonnement", "200")],
        ["passiverAbonnement 200", abonnementSchema, responseOf("passiverAbonnement", "200")],
        ["a problem document", problemSchema, contract.components.schemas.Problem],
    ];
    for (const [name, zod, given] of pairs) {
        it(`${name}: the provider accepts all the contract allows, and requires nothing more`, function () {
            assert.deepEqual(drift(z.toJSONSchema(zod, { io: "input" }) as Schema, given, name), []);
        });
    }

    it("notices drift: a property the contract lacks, one it does not guarantee, a type or value it allows", function () {
        const given = {
            type: "object",
            required: ["a"],
            properties: { a: { type: ["string", "null"] }, b: { enum: ["x", "y"] } },
        };
        const read = z.toJSONSchema(z.object({ a: z.string(), b: z.enum(["x"]), c: z.string() }), { io: "input" });
        assert.deepEqual(drift(read as Schema, given, "t"), [
            "t.b: the provider requires it, the contract does not",
            "t.c: the provider requires it, the contract does not",
            "t.a: the contract allows null, the provider rejects it",
            "t.b: the contract allows y, the provider does not",
            "t.c: the provider reads it, the contract has no such property",
        ]);
    });
});
