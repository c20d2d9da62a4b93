// What a route of the stand-in is, what its handlers work on, and the helpers they share.
import { z } from "zod";
import { FaultInjector } from "./faults";
import { Reply, RequestContext } from "./http-io";
import { problems } from "./problems";
import { Actor, SubscriptionService } from "./service";
import type { OperationStats } from "./statistics";
import { Store } from "./store";
import { Clock } from "./time";
import { parseOrProblem, uuidSchema } from "./validation";

export interface Route {
    method: string;
    pattern: RegExp;
    operation: string;
    admin?: boolean;
    write?: boolean;
    /** The route checks its caller itself (the STS's token route): no municipality's credentials needed. */
    authenticatesItself?: boolean;
    handler: (ctx: RequestContext, params: string[]) => Promise<Reply> | Reply;
}

/** What the handlers work on. */
export interface RouteDeps {
    store: Store;
    service: SubscriptionService;
    faults: FaultInjector;
    clock: Clock;
    /** The municipality's name by kommunekode. */
    kommuneNavn: (kommunekode: string) => string | undefined;
    stats: { current(): Record<string, OperationStats>; reset(): void };
}

/** Where the contract's paths live. */
export const API = "/api/v1";
/** A path parameter. */
export const UUID = "([^/]+)";

/** A uuid in the path, checked. */
export function pathUuid(raw: string): string {
    return parseOrProblem(z.object({ uuid: uuidSchema }), { uuid: decodeURIComponent(raw) }, "query").uuid;
}

/** The municipality the request acts for (401 when it acts for none). */
export function kommuneOf(ctx: RequestContext): Actor & { kind: "kommune" } {
    if (ctx.actor?.kind !== "kommune") throw problems.unauthorized("this operation acts for a municipality");
    return ctx.actor;
}
