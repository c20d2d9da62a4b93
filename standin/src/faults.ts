// Fault injection for reliability tests: set per run, reproducible through a seed.
import { z } from "zod";
import { seededRandom } from "./random";

export const faultSettingsSchema = z
    .object({
        /** Share of requests answered 503 (half) or 500 (half). */
        errorRate: z.number().min(0).max(1).default(0),
        /** Share of requests answered 429 with Retry-After. */
        rateLimitRate: z.number().min(0).max(1).default(0),
        retryAfterSeconds: z.number().int().min(0).max(60).default(1),
        /** Added latency per request, in milliseconds. */
        latencyMs: z.number().int().min(0).max(60_000).default(0),
        /** Share of requests whose connection is dropped before anything is done. */
        dropRate: z.number().min(0).max(1).default(0),
        /** Share of writes (POST/PATCH/DELETE) that are carried out, then the connection dropped. */
        lostResponseRate: z.number().min(0).max(1).default(0),
        /** Seed of the pseudo-random sequence; the same seed gives the same faults for the same requests. */
        seed: z.number().int().default(1),
        /**
         * The operations (operationIds, e.g. "opretAbonnement") the faults and the latency apply to; every
         * other request is served as usual. @default every operation
         */
        operations: z.array(z.string().min(1).max(100)).max(50).optional(),
    })
    .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export type FaultDecision = "none" | "drop" | "error500" | "error503" | "rateLimit" | "loseResponse";

export class FaultInjector {
    private settings: FaultSettings = faultSettingsSchema.parse({});
    private random = seededRandom(1);
    readonly injected: Record<Exclude<FaultDecision, "none">, number> = {
        drop: 0,
        error500: 0,
        error503: 0,
        rateLimit: 0,
        loseResponse: 0,
    };

    configure(input: unknown): FaultSettings {
        this.settings = faultSettingsSchema.parse(input);
        this.random = seededRandom(this.settings.seed);
        return this.settings;
    }

    current(): FaultSettings {
        return { ...this.settings };
    }

    /** True when the faults apply to this operation (see `operations`). */
    appliesTo(operation: string): boolean {
        return this.settings.operations === undefined || this.settings.operations.includes(operation);
    }

    get latencyMs(): number {
        return this.settings.latencyMs;
    }

    get retryAfterSeconds(): number {
        return this.settings.retryAfterSeconds;
    }

    /** Decides the fault for one request; writes may also lose their response. */
    decide(isWrite: boolean): FaultDecision {
        const s = this.settings;
        const r = this.random();
        // The rates are consecutive bands of [0, 1): drop, then 5xx, then 429.
        const errorEdge = s.dropRate + s.errorRate;
        let decision: FaultDecision = "none";
        if (r < s.dropRate) decision = "drop";
        else if (r < errorEdge) decision = this.random() < 0.5 ? "error500" : "error503";
        else if (r < errorEdge + s.rateLimitRate) decision = "rateLimit";
        else if (isWrite && this.random() < s.lostResponseRate) decision = "loseResponse";
        if (decision !== "none") this.injected[decision]++;
        return decision;
    }
}
