// One request on its way through the stand-in: the route it matched, the fault it met, whom it acted
// for, and the request log line it ends with (never with credentials).
import * as http from "node:http";
import { header, Reply, writeReply } from "./http-io";
import { problems } from "./problems";
import type { Route } from "./route";
import type { Actor } from "./service";

/** One line of the request log. Never holds credentials. */
export interface RequestLogEntry {
    time: string;
    method: string;
    path: string;
    operation: string;
    status: number | "dropped";
    kommunekode?: string;
    /**
     * Which credential identified the municipality: its own client certificate, its own bearer token,
     * or a token from the STS bound to the client certificate.
     */
    credential?: "certificate" | "token" | "sts";
    /** The caller's x-TransaktionsId, as KOMBIT's services log it for support. */
    transaktionsId?: string;
    durationMs: number;
    fault?: string;
}

/** One request on its way through the stand-in: its route, fault, actor, and how it ended. */
export class Exchange {
    private readonly started = process.hrtime.bigint();
    readonly url: URL;
    readonly route: Route | undefined;
    private readonly pathMatches: boolean;
    fault: string | undefined;
    actor: Actor | undefined;

    constructor(
        readonly req: http.IncomingMessage,
        private readonly res: http.ServerResponse,
        routes: Route[],
        private readonly finished: (entry: RequestLogEntry, operation: string) => void,
    ) {
        this.url = new URL(req.url ?? "/", "http://standin.invalid");
        const candidates = routes.filter((r) => r.pattern.test(this.url.pathname));
        this.pathMatches = candidates.length > 0;
        this.route = candidates.find((r) => r.method === req.method);
    }

    get operation(): string {
        return this.route?.operation ?? "unknown";
    }

    /** The route, or the problem of a path or method the API does not have. */
    mustRoute(): Route {
        if (this.route) return this.route;
        if (this.pathMatches) throw problems.methodNotAllowed(this.req.method ?? "?", this.url.pathname);
        throw problems.notFound("Route", this.url.pathname);
    }

    send(reply: Reply): void {
        writeReply(this.res, reply);
        this.finish(reply.status);
    }

    drop(): void {
        this.req.socket.destroy();
        this.finish("dropped");
    }

    private finish(status: number | "dropped"): void {
        this.finished(
            {
                time: new Date().toISOString(),
                method: this.req.method ?? "?",
                path: this.url.pathname,
                operation: this.operation,
                status,
                ...(this.actor?.kind === "kommune" ? { kommunekode: this.actor.kommunekode } : {}),
                ...(this.actor?.kind === "kommune" && this.actor.by ? { credential: this.actor.by } : {}),
                ...(header(this.req, "x-transaktionsid")
                    ? { transaktionsId: header(this.req, "x-transaktionsid") }
                    : {}),
                durationMs: Number(process.hrtime.bigint() - this.started) / 1e6,
                ...(this.fault ? { fault: this.fault } : {}),
            },
            this.operation,
        );
    }
}
