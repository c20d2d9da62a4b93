// Sends each request through fault injection and authentication to its route, and turns what the
// route throws into a problem document (RFC 9457).
import * as http from "node:http";
import type { Authenticator } from "./auth";
import { Exchange, RequestLogEntry } from "./exchange";
import type { FaultInjector } from "./faults";
import { readBody, readForm } from "./http-io";
import { ProblemError, problems } from "./problems";
import type { Route } from "./route";

/** Sends each request through fault injection and authentication to its route. */
export class Dispatcher {
    constructor(
        private readonly routes: Route[],
        private readonly auth: Authenticator,
        private readonly faults: FaultInjector,
        private readonly maxBody: number,
        private readonly finished: (entry: RequestLogEntry, operation: string) => void,
    ) {}

    async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const x = new Exchange(req, res, this.routes, this.finished);
        try {
            const route = x.mustRoute();
            if (!(await this.admit(x, route))) return x.drop();
            const params = x.url.pathname.match(route.pattern)!.slice(1);
            const reply = await route.handler(
                {
                    req,
                    url: x.url,
                    actor: x.actor,
                    body: () => readBody(req, this.maxBody),
                    form: () => readForm(req, this.maxBody),
                },
                params,
            );
            if (x.fault === "loseResponse") return x.drop();
            x.send(reply);
        } catch (err) {
            if (x.fault === "loseResponse") return x.drop();
            if (err instanceof ProblemError) {
                x.send({
                    status: err.problem.status,
                    body: err.problem,
                    headers: { ...err.headers, "Content-Type": "application/problem+json" },
                });
            } else {
                process.stderr.write(
                    `fk-standin: unexpected error in ${x.operation}: ${err instanceof Error ? err.stack : String(err)}\n`,
                );
                x.send({
                    status: 500,
                    body: problems.internal().problem,
                    headers: { "Content-Type": "application/problem+json" },
                });
            }
        }
    }

    /**
     * Admin routes need the admin token (else they do not exist); API routes first meet the injected
     * faults, then need a municipality's credentials. False: drop the connection.
     */
    private async admit(x: Exchange, route: Route): Promise<boolean> {
        if (route.admin) {
            if (!this.auth.isAdmin(x.req)) throw problems.notFound("Route", x.url.pathname);
            return true;
        }
        if (route.operation === "health") return true;
        if (!this.faults.appliesTo(route.operation)) return this.authenticate(x, route);
        if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
        const decision = this.faults.decide(route.write === true);
        if (decision !== "none") x.fault = decision;
        if (decision === "drop") return false;
        if (decision === "error500") throw problems.unavailable(500);
        if (decision === "error503") throw problems.unavailable(503);
        if (decision === "rateLimit") throw problems.tooManyRequests(this.faults.retryAfterSeconds);
        return this.authenticate(x, route);
    }

    /**
     * Who the request acts for; a request without credentials is refused (401). The STS's token route
     * checks its caller itself.
     */
    private async authenticate(x: Exchange, route: Route): Promise<boolean> {
        if (route.authenticatesItself) return true;
        x.actor = await this.auth.actor(x.req);
        if (!x.actor) {
            throw problems.unauthorized(
                "send Authorization: Bearer <token> or a client certificate registered for your municipality",
            );
        }
        return true;
    }
}
