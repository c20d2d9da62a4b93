// The demo's settings, shared by the main job (which makes the demo stack) and status (which checks
// it): one place for their defaults and their checks.
//
//   FK_DEMO_PORT             the stand-in's port            @default 47613
//   FK_DEMO_DELIVERY_DELAY   seconds until delivery         @default 86400 (a day, as in reality)
//   FK_DEMO_STACK            the demo stack's name          @default "demo"

/** The demo municipality. */
export const DEMO_KOMMUNE = { kode: "0101", navn: "København" } as const;

/** The demo's settings, read from the environment. */
export interface DemoSettings {
    port: number;
    deliveryDelaySeconds: number;
    stackName: string;
}

function wholeNumberFromEnv(name: string, fallback: number, max: number): number {
    const raw = process.env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) {
        throw new Error(`${name} is "${raw}"; expected a whole number from 0 to ${max}`);
    }
    return n;
}

/** Reads the demo's settings; a bad value is refused naming the variable, the value and what is allowed. */
export function demoSettings(): DemoSettings {
    return {
        port: wholeNumberFromEnv("FK_DEMO_PORT", 47613, 65535),
        deliveryDelaySeconds: wholeNumberFromEnv("FK_DEMO_DELIVERY_DELAY", 86_400, 365 * 86_400),
        stackName: process.env.FK_DEMO_STACK || "demo",
    };
}
