import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("fk-klassifikation", {
    description: "Rules of a correct FK Klassifikation sortiment subscription (task GB1.0: Borgerblikket, KMD Opus Debitor, skemaversion 1.3).",
    policies,
});
