export * from "./brownfield";
export * from "./faults";
export * from "./problems";
export * from "./seed";
export * from "./server";
export * from "./service";
export * from "./time";
export * from "./sts";
