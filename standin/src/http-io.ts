// The stand-in's HTTP input and output: request headers and JSON bodies in, replies out.
import * as http from "node:http";
import { problems } from "./problems";
import { Actor } from "./service";

/** A handler's answer. */
export interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

/** What a route handler gets. */
export interface RequestContext {
    req: http.IncomingMessage;
    url: URL;
    actor?: Actor;
    body: () => Promise<unknown>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    return { status, body, headers };
}

/** A request header's first value. */
export function header(req: http.IncomingMessage, name: string): string | undefined {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
}

/** Reads a JSON body of at most maxBody bytes; a problem document explains anything else. */
export function readBody(req: http.IncomingMessage, maxBody: number): Promise<unknown> {
    const type = (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") return Promise.reject(problems.unsupportedMediaType(type));
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
        req.on("end", () => {
            try {
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
            } catch (err) {
                reject(problems.badRequest(`the body is not valid JSON: ${(err as Error).message}`));
            }
        });
        req.on("error", reject);
    });
}

/** Writes a reply: JSON unless the handler set another content type. */
export function writeReply(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: string | undefined;
    if (reply.body !== undefined) {
        payload = JSON.stringify(reply.body);
        headers["Content-Type"] ??= "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
}
