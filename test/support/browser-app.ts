/**
 * A browser suite's fixture: the demo app listening on a loopback port, started before the suite's tests and closed
 * after them, and the worker process's Chromium (`sharedBrowser()`: the suite's contexts are closed after it, the
 * browser stays for the next file), with the screenshots the tests took listed at the end.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { closeContexts, listen, sharedBrowser } from "./browser.ts";
import { demoApp } from "./demo-app.ts";
import type { TestApp } from "./test-app.ts";

export interface BrowserApp {
  t: TestApp;
  base: string;
  browser: Browser;
  /** Paths of screenshots taken, printed after the suite. */
  shots: string[];
}

/**
 * Registers beforeAll/afterAll in the calling describe block; the fields are set once beforeAll has run. `setup` runs
 * on the app before it listens (e.g. to add demo plans).
 */
export function useDemoBrowserApp(setup?: (t: TestApp) => Promise<void>): BrowserApp {
  const s = { shots: [] } as unknown as BrowserApp;
  beforeAll(async () => {
    s.t = await demoApp();
    await setup?.(s.t);
    s.base = await listen(s.t.app);
    s.browser = await sharedBrowser();
  }, 180_000);
  afterAll(async () => {
    await closeContexts(s.browser);
    await s.t?.close();
    if (s.shots.length) console.log(`screenshots:\n${s.shots.join("\n")}`);
  });
  return s;
}
