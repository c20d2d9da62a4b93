// The stand-in's HTTP input and output: request headers and JSON bodies in, replies out.
import * as http from "node:http";
import { problems } from "./problems";
import { Actor } from "./service";

/** A handler's answer. */
export interface Reply {
    status: number;
    body?: unknown;
    /** A body sent as it is, instead of `body` as JSON (with the handler's Content-Type). */
    raw?: string;
    headers?: Record<string, string>;
}

/** What a route handler gets. */
export interface RequestContext {
    req: http.IncomingMessage;
    url: URL;
    actor?: Actor;
    body: () => Promise<unknown>;
    /** An application/x-www-form-urlencoded body. */
    form: () => Promise<URLSearchParams>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    return { status, body, headers };
}

/** A request header's first value. */
export function header(req: http.IncomingMessage, name: string): string | undefined {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
}

/** The request's media type, without parameters. */
function mediaType(req: http.IncomingMessage): string {
    return (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** Reads a JSON body of at most maxBody bytes; a problem document explains anything else. */
export async function readBody(req: http.IncomingMessage, maxBody: number): Promise<unknown> {
    const type = mediaType(req);
    if (type !== "application/json") throw problems.unsupportedMediaType(type, "application/json");
    const text = await readText(req, maxBody);
    try {
        return JSON.parse(text);
    } catch (err) {
        throw problems.badRequest(`the body is not valid JSON: ${(err as Error).message}`);
    }
}

/** Reads a form body (application/x-www-form-urlencoded) of at most maxBody bytes. */
export async function readForm(req: http.IncomingMessage, maxBody: number): Promise<URLSearchParams> {
    const type = mediaType(req);
    const form = "application/x-www-form-urlencoded";
    if (type !== form) throw problems.unsupportedMediaType(type, form);
    return new URLSearchParams(await readText(req, maxBody));
}

function readText(req: http.IncomingMessage, maxBody: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBody) {
                reject(problems.payloadTooLarge(maxBody));
                req.resume();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

/** Writes a reply: JSON unless the handler set another content type. */
export function writeReply(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: string | undefined = reply.raw;
    if (payload === undefined && reply.body !== undefined) {
        payload = JSON.stringify(reply.body);
        headers["Content-Type"] ??= "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
}
