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

/** Runs axe with the WCAG 2.2 AA tags and returns the violations in a readable form (expect it to equal []). */
export async function axeViolations(page: Page, tags: readonly string[] = AXE_TAGS): Promise<AxeViolationSummary[]> {
  const { violations } = await new AxeBuilder({ page }).withTags([...tags]).analyze();
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
  }));
}

/** Saves a full-page screenshot under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${SCREENSHOT_DIR}/${name.replace(/[^\w.-]+/g, "-")}.png`;
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
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
