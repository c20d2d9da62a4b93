import { PolicyPack } from "@pulumi/policy";
import { assertBuiltFromCurrentSources } from "./fresh";
import { policies } from "./policies";

assertBuiltFromCurrentSources(__dirname);

new PolicyPack("fk-klassifikation", {
    description:
        "Rules of a correct FK Klassifikation sortiment subscription (task GB1.0: Borgerblikket, KMD Opus Debitor, skemaversion 1.3).",
    policies,
});
