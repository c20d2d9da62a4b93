// The stand-in's routes, all of them: the contract's API (api-routes.ts) and the control API of tests
// and demos (admin-routes.ts); the STS's are in sts-routes.ts. What a route is: route.ts.
// Authentication and HTTP input/output live in auth.ts and http-io.ts; dispatch in dispatcher.ts.
import { abonnementReadRoutes, abonnementWriteRoutes, referenceRoutes } from "./api-routes";
import { adminControlRoutes, adminDataRoutes, adminNoteRoutes, clockAndHealthRoutes } from "./admin-routes";
import type { Route, RouteDeps } from "./route";

export type { Route, RouteDeps } from "./route";

/** Every route of the stand-in. */
export function allRoutes(deps: RouteDeps): Route[] {
    return [
        ...referenceRoutes(deps),
        ...abonnementReadRoutes(deps),
        ...abonnementWriteRoutes(deps),
        ...adminDataRoutes(deps),
        ...adminNoteRoutes(deps),
        ...adminControlRoutes(deps),
        ...clockAndHealthRoutes(deps),
    ];
}
