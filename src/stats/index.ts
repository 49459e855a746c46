// Public API of src/stats: one `export *` line per file (keep it a plain list so merges are easy).

export * from "./benchmark.ts";
export * from "./byars.ts";
export * from "./confidence.ts";
export * from "./distributions.ts";
export * from "./dsr.ts";
export * from "./exact-poisson.ts";
export * from "./forecast.ts";
export * from "./funnel.ts";
export * from "./gap.ts";
export * from "./interval-estimate.ts";
export * from "./isr.ts";
export * from "./life-expectancy.ts";
export * from "./mean.ts";
export * from "./poisson-count-limits.ts";
export * from "./poisson-funnel.ts";
export * from "./proportion.ts";
export * from "./quantiles.ts";
export * from "./rate.ts";
export * from "./trend.ts";
export * from "./types.ts";
export * from "./wilson.ts";
