import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./test/support/sequencer.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/support/global-setup.ts"],
    // generous: on a loaded machine creating a database, starting a process or a browser walk-through takes minutes
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    // longest files first (by the last run's durations, or a guess by folder), so both workers finish together
    sequence: { sequencer: LongestFirstSequencer },
  },
});
