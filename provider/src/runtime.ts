// What the serialized shim in state loads when an operation runs (`@fk-iac/klassifikation/runtime`,
// see resource.ts): one provider per process, each operation's failure reported once, without a stack
// trace (console-echo.ts). Every state ever written names this entry, so its name and `handler` stay.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CheckedInputs } from "./inputs";
import { SortimentSubscriptionProvider, type SubscriptionOutputs } from "./provider";
import { forEngine } from "./check-failures";
import { reported } from "./console-echo";

export * from "./provider";

type Inputs = Record<string, unknown> | undefined;
type Outputs = SubscriptionOutputs;
type Checked = CheckedInputs;
let instance: dynamic.ResourceProvider | undefined;

/** The provider the shim hands each operation to (made once per process). */
export function handler(): dynamic.ResourceProvider {
    if (!instance) {
        // A line on stdout reaches the user: the engine shows a dynamic provider's output as info.
        const p = new SortimentSubscriptionProvider(undefined, (line) => console.log(line));
        instance = {
            // The engine hands over untyped values: news as the program sent them, olds and props as
            // this provider's check and create/read/update returned them (the shapes typed here).
            configure: (req) => reported(() => p.configure(req)),
            check: (olds: Inputs, news: Inputs) =>
                reported(async () => {
                    const result = await p.check(olds, news);
                    return { ...result, failures: forEngine(result.failures, news ?? {}) };
                }),
            diff: (id, olds: Outputs, news: Checked) => reported(() => p.diff(id, olds, news)),
            create: (inputs: Checked) => reported(() => p.create(inputs)),
            read: (id, props: Outputs) => reported(() => p.read(id, props)),
            update: (id, olds: Outputs, news: Checked) => reported(() => p.update(id, olds, news)),
            delete: (id, props: Outputs) => reported(() => p.delete(id, props)),
        };
    }
    return instance;
}
