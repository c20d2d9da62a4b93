// Validates real HTTP traffic against the written wire contract (contract/openapi.yaml).
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { repoRoot } from "./pulumi";

const doc = YAML.parse(fs.readFileSync(path.join(repoRoot, "contract", "openapi.yaml"), "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "openapi.json", components: doc.components });

interface Operation {
    template: string;
    pattern: RegExp;
    method: string;
    spec: any;
}

const operations: Operation[] = [];
for (const [template, item] of Object.entries<any>(doc.paths)) {
    const pattern = new RegExp(`^/api/v1${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    for (const method of ["get", "post", "patch", "put", "delete"]) {
        if (item[method]) operations.push({ template, pattern, method: method.toUpperCase(), spec: item[method] });
    }
}

/** Operation ids the tests exercised, to check that every one was covered. */
export const exercised = new Set<string>();
/** Response statuses seen per operation id. */
export const statusesSeen = new Map<string, Set<number>>();

export function allOperationIds(): string[] {
    return operations.map((o) => o.spec.operationId);
}

function rewriteRefs(schema: unknown): unknown {
    return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/'));
}

function resolve(obj: any): any {
    if (obj && typeof obj.$ref === "string") {
        const parts = obj.$ref.replace(/^#\//, "").split("/");
        return parts.reduce((o: any, k: string) => o[k], doc);
    }
    return obj;
}

const cache = new Map<string, ReturnType<typeof ajv.compile>>();
function validator(key: string, schema: unknown) {
    let v = cache.get(key);
    if (!v) {
        v = ajv.compile(rewriteRefs(schema) as object);
        cache.set(key, v);
    }
    return v;
}

function findOperation(method: string, pathname: string): Operation {
    const op = operations.find((o) => o.method === method && o.pattern.test(pathname));
    if (!op) throw new Error(`contract: no operation ${method} ${pathname} in contract/openapi.yaml`);
    return op;
}

/** Throws unless the request body matches the operation's request schema. */
export function checkRequest(method: string, pathname: string, body: unknown): void {
    const op = findOperation(method, pathname);
    const schema = op.spec.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return;
    const v = validator(`${op.spec.operationId}:request`, schema);
    if (!v(body)) throw new Error(`contract: request of ${op.spec.operationId} invalid: ${ajv.errorsText(v.errors)}`);
}

/** Throws unless status, content type and body match the operation's documented response. */
export function checkResponse(
    method: string,
    pathname: string,
    status: number,
    contentType: string | undefined,
    body: unknown,
): void {
    const op = findOperation(method, pathname);
    exercised.add(op.spec.operationId);
    if (!statusesSeen.has(op.spec.operationId)) statusesSeen.set(op.spec.operationId, new Set());
    statusesSeen.get(op.spec.operationId)!.add(status);
    const response = resolve(op.spec.responses[String(status)]);
    if (!response) {
        throw new Error(`contract: ${op.spec.operationId} answered ${status}, which the contract does not list`);
    }
    if (!response.content) {
        if (body !== undefined && body !== "")
            throw new Error(`contract: ${op.spec.operationId} ${status} must have no body`);
        return;
    }
    const type = (contentType ?? "").split(";")[0].trim();
    const media = response.content[type];
    if (!media) {
        throw new Error(
            `contract: ${op.spec.operationId} ${status} has content type ${type}, contract lists ${Object.keys(response.content).join(", ")}`,
        );
    }
    const v = validator(`${op.spec.operationId}:${status}:${type}`, media.schema);
    if (!v(body)) {
        throw new Error(
            `contract: ${op.spec.operationId} ${status} body invalid: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`,
        );
    }
}
