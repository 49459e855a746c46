import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./test/support/sequencer.ts";

export default defineConfig({
  test: {
    globalSetup: ["./test/support/global-setup.ts"],
    // generous: on a loaded machine creating a database, starting a process or a browser walk-through takes minutes
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    // longest files first (by the last run's durations, or a guess by folder), so both workers finish together
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        // test files run one after another in each worker process, sharing its loaded modules: importing the app
        // and warming it up once per process instead of once per file halves the suite's time. Test support that
        // keeps state between files must not assume a fresh process (see test/support/import-fixtures.ts).
        test: { name: "shared", include: ["test/**/*.test.ts"], isolate: false },
      },
    ],
  },
});
