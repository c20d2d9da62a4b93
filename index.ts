// Task GB1.0 as a Pulumi program. One stack per municipality: the stack config names the municipality
// (kommune:kode, kommune:navn) and how to reach FK Klassifikation (fk:endpoint, fk:token or a client
// certificate). The resources and outputs are in program.ts, which the fleet runs for many stacks.
import { gb10Program } from "./program.ts";

export const { kommuneInfo, abonnementUuid, endpoint, abonnement, levering } = gb10Program();
