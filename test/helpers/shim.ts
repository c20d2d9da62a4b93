// The serialized provider (the `__provider` input every subscription's state holds) as today's code
// makes it: the SDK serializes it when the resource is constructed, here under the SDK's mocks.
import * as pulumi from "@pulumi/pulumi";

let serialized: Promise<string> | undefined;

/** Today's serialized shim text, made once per test process. */
export function serializedShim(): Promise<string> {
    serialized ??= capture();
    return serialized;
}

async function capture(): Promise<string> {
    let code = "";
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                if (args.type.endsWith(":SortimentSubscription")) code = args.inputs.__provider;
                return { id: "mock-id", state: args.inputs };
            },
            call: () => ({}),
        },
        "roundtrip",
        "dev",
        true,
    );
    const { SortimentSubscription, gb10Subscription } = await import("@fk-iac/klassifikation");
    const sub = new SortimentSubscription("sub", gb10Subscription);
    await new Promise<void>((resolve) => sub.urn.apply(() => resolve()));
    if (!code) throw new Error("the mocks saw no serialized provider");
    return code;
}
