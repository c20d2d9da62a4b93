// The status page: its words (labels.ts, details.ts), what it shows (model.ts), and how it is made
// (render.ts, status.mustache, status.css, status.js).
export * from "./details";
export * from "./labels";
export * from "./model";
export * from "./render";
