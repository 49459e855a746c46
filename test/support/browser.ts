/**
 * Shared helpers for browser tests: Debian Chromium through playwright-core, axe accessibility checks and
 * screenshots. Browser tests are skipped (with the reason) when OMF_SKIP_BROWSER=1 or Chromium is missing, except in
 * CI (CI=true), where a missing Chromium is a failure.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { FastifyInstance } from "fastify";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";

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

/** Starts the app on a free loopback port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: "127.0.0.1" });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests seen so far (CSP violations show up here). */
  errors: string[];
}

/** A page in a fresh context (AxeBuilder needs a context), collecting console errors and page errors. */
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
 * Legacy mode runs `axe.run` in the page itself. The default instead runs axe per frame, copies every result (passes
 * included) as JSON into a new blank page and finishes there: the same violations for our pages (they have no frames
 * from another origin, the only thing legacy mode leaves out), at about twice the cost. Do not narrow `resultTypes` to
 * save time: in a trial it made axe report a violation on the measure page that a full run does not.
 */
export async function axeViolations(page: Page, tags: readonly string[] = AXE_TAGS): Promise<AxeViolationSummary[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags([...tags])
    .setLegacyMode()
    .analyze();
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
  }));
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
