// A small HTTP client for tests that talk to the stand-in directly, with optional client
// certificates, checking every /api/v1 exchange against the contract.
import * as http from "node:http";
import * as https from "node:https";
import { checkRequest, checkResponse } from "./contract";

export interface Exchange {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: any;
}

export interface CallOptions {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    /** TLS client options (ca, cert, key). */
    tls?: https.RequestOptions;
    /** Skip the contract checks (for deliberately malformed requests). */
    unchecked?: boolean;
}

export function call(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Exchange> {
    const url = new URL(path, baseUrl);
    const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (opts.body !== undefined && !opts.unchecked && url.pathname.startsWith("/api/")) {
        checkRequest(method, url.pathname, opts.body);
    }
    const headers: Record<string, string> = { Accept: "application/json", ...(opts.headers ?? {}) };
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["Content-Type"] = "application/json";
    }
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = lib.request(url, { method, headers, agent: false, ...(opts.tls ?? {}) }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let body: any = text;
                if (text && /json/.test(res.headers["content-type"] ?? "")) body = JSON.parse(text);
                try {
                    if (!opts.unchecked && url.pathname.startsWith("/api/")) {
                        checkResponse(
                            method,
                            url.pathname,
                            res.statusCode!,
                            res.headers["content-type"],
                            text ? body : undefined,
                        );
                    }
                } catch (err) {
                    reject(err instanceof Error ? err : new Error(String(err)));
                    return;
                }
                resolve({ status: res.statusCode!, headers: res.headers, body: text ? body : undefined });
            });
        });
        req.on("error", reject);
        if (payload !== undefined) req.write(payload);
        req.end();
    });
}
