// The rules the policies judge by: the provider's own (`provider/src/rules.ts`, no dependencies),
// compiled into this pack's dist/ at build time. So the pack and the provider never judge a value
// differently, and the pack needs no package of ours when `pulumi policy publish` ships it.
export * from "../provider/src/rules";
