/**
 * Shared helpers for browser tests: Debian Chromium through playwright-core, axe accessibility checks and
 * screenshots. Browser tests are skipped (with the reason) when OMF_SKIP_BROWSER=1 or Chromium is missing, except in
 * CI (CI=true), where a missing Chromium is a failure.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type axe from "axe-core";
import type { FastifyInstance } from "fastify";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** WCAG 2.2 AA, as the issue asks. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;

export const SCREENSHOT_DIR = "test-results/screenshots";

/** How long one browser action, navigation or wait may take before it fails (generous: the machine may be loaded). */
export const BROWSER_WAIT_MS = 180_000;

/** Why browser tests cannot run here, or null when they can. Never skips in CI. */
export function browserSkipReason(): string | null {
  const ci = process.env.CI === "true";
  if (!ci && process.env.OMF_SKIP_BROWSER === "1") return "OMF_SKIP_BROWSER=1";
  if (!existsSync(CHROMIUM_PATH)) {
    if (ci) throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} for the browser tests (apt-get install chromium)`);
    return `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
  }
  return null;
}

/** A new Chromium process. Test files use `sharedBrowser()`, which launches one per worker process. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let shared: Promise<Browser> | null = null;

/**
 * The worker process's Chromium, launched by the first browser test file that asks and shared by the files after it
 * (they run one after another in the process; each works in contexts of its own, `openPage`, and closes them, see
 * `closeContexts`). It is not closed by a test file: Playwright kills the browsers it launched when the process exits.
 * Launching Chromium costs about a CPU second; ten files launched ten. Should the browser crash or be closed, the
 * next file launches another.
 */
export function sharedBrowser(): Promise<Browser> {
  if (!shared) {
    const launched = launchBrowser();
    shared = launched;
    launched.then(
      (b) =>
        b.on("disconnected", () => {
          if (shared === launched) shared = null;
        }),
      () => {
        if (shared === launched) shared = null;
      },
    );
  }
  return shared;
}

/** Closes every context still open in `browser` (a test file's afterAll: the next file starts with none). */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  await Promise.all((browser?.contexts() ?? []).map((c) => c.close()));
}

/** Starts the app on a free loopback port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  // a port freed by an earlier file may be given again: that file's sign-ins are not this app's
  for (const key of signedInStates.keys()) if (key.startsWith(`${base} `)) signedInStates.delete(key);
  return base;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests seen so far (CSP violations show up here). */
  errors: string[];
}

/** A page in a fresh context, collecting console errors and page errors. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  // Playwright's default of 30 s per action or wait is too short on a loaded machine; a test's own timeout still holds
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  context.setDefaultNavigationTimeout(BROWSER_WAIT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // a failed load names no address in its text: add the address, so a failure says what failed
    const url = m.location().url;
    errors.push(url && !m.text().includes(url) ? `${m.text()} (${url})` : m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

export interface AxeViolationSummary {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * Runs axe with the WCAG 2.2 AA tags and returns the violations in a readable form (expect it to equal []).
 *
 * axe runs in the page itself (what @axe-core/playwright calls legacy mode; our pages have no frames), injected once
 * per loaded document, and hands back only its violations. `resultTypes: ["violations"]` changes no rule's outcome:
 * axe-core reads it only after every rule has run (`processAggregate`), to keep one node of each passing, incomplete
 * or inapplicable rule instead of all of them, which spares it a CSS selector per node and the browser a transfer of
 * every passing node. That and the single injection make a check two to three times cheaper than
 * `new AxeBuilder({ page }).setLegacyMode().analyze()`, with the same violations (test/browser/pages.test.ts breaks a
 * page on purpose to show they are still found). What is injected is axe-core's own minified build (`axe.min.js`, the
 * same version and rules as `axe.source`, which is its unminified `axe.js`): 0.6 MB instead of 1.3 MB to send to the
 * page and parse for every checked document (about 100 ms each on a quiet machine for the 1.3 MB).
 */
export async function axeViolations(page: Page, tags: readonly string[] = AXE_TAGS): Promise<AxeViolationSummary[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource());
  return page.evaluate(async (values) => {
    const { axe: inPage } = window as unknown as { axe: typeof axe };
    const { violations } = await inPage.run(document, {
      runOnly: { type: "tag", values },
      resultTypes: ["violations"],
    });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
    }));
  }, tags as string[]);
}

let axeMin: string | null = null;

/** axe-core's minified build, read once per process. */
function axeSource(): string {
  axeMin ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeMin;
}

/**
 * Expects no axe violations on the page and no console errors, both named after the check. `allowStatus` lists the
 * statuses a refused form is answered with by design (Chromium logs "the server responded with a status of 400"):
 * those lines are let through, nothing else.
 */
export async function expectClean(
  page: Page,
  name: string,
  errors: string[],
  allowStatus: readonly number[] = [],
): Promise<void> {
  expect(await axeViolations(page), name).toEqual([]);
  const allowed = new RegExp(`status of (${allowStatus.join("|")}) \\(`);
  expect(
    errors.filter((e) => !(allowStatus.length && allowed.test(e))),
    name,
  ).toEqual([]);
}

/** The password the browser tests give the accounts they create. */
export const TEST_PASSWORD = "a long passphrase here";

/** Signs `page` in as `email` through the sign-in form, and waits for the page it lands on. */
export async function signIn(page: Page, base: string, lang: string, email: string): Promise<void> {
  await page.goto(`${base}/${lang}/sign-in`);
  await page.fill("#email", email);
  await page.fill("#password", TEST_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("#sign-in-button")]);
}

/**
 * Signed-in cookies by base URL and email. Test files share their worker process, so this outlives a file: `listen`
 * forgets the states of a base URL when another app starts listening on it.
 */
const signedInStates = new Map<string, Awaited<ReturnType<BrowserContext["storageState"]>>>();

/**
 * A page in a fresh context signed in as `email`. The first time for an email it signs in through the form (and
 * expects to land on "my work"); after that the new context starts with the cookies that sign-in stored (Playwright's
 * storageState) and a blank page, so neither the form nor the password check is repeated.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  lang: string,
  email: string,
  options: BrowserContextOptions = {},
): Promise<TestPage> {
  const key = `${base} ${email}`;
  const stored = signedInStates.get(key);
  if (stored) return openPage(browser, { ...options, storageState: stored });
  const tp = await openPage(browser, options);
  await signIn(tp.page, base, lang, email);
  expect(tp.page.url(), `${email} signed in`).toBe(`${base}/${lang}/my-work`);
  signedInStates.set(key, await tp.context.storageState());
  return tp;
}

/** Whether browser tests save screenshots: only when asked (OMF_SCREENSHOTS=1), as each costs a second or so. */
export const SCREENSHOTS = process.env.OMF_SCREENSHOTS === "1";

/**
 * With OMF_SCREENSHOTS=1, saves a full-page screenshot under test-results/screenshots/ and adds its path to `shots`
 * (to be listed after the suite); otherwise does nothing.
 */
export async function screenshot(page: Page, name: string, shots?: string[]): Promise<void> {
  if (!SCREENSHOTS) return;
  const path = `${SCREENSHOT_DIR}/${name.replace(/[^\w.-]+/g, "-")}.png`;
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  shots?.push(path);
}

/** Describes the element that has keyboard focus (tag, id, text), for focus-order checks. */
export async function focused(page: Page): Promise<{ tag: string; id: string; text: string; href: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      id: el?.id ?? "",
      text: (el?.textContent ?? "").trim().replace(/\s+/g, " "),
      href: el?.getAttribute("href") ?? null,
    };
  });
}

/** True when the focused element shows a visible focus indicator (outline or box-shadow). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow !== "none" && s.boxShadow !== "") || s.backgroundColor === "rgb(255, 221, 0)";
  });
}
