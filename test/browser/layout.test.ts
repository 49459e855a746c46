/**
 * Every public page type, in English and Welsh, fits a 320, 390 and 1280 px wide screen without sideways page
 * scrolling (wide tables and charts scroll inside their own box), and every visible chart label is at least 12 px at
 * the size it is shown and inside its chart. With OMF_SCREENSHOTS=1, screenshots of the overview, a measure page and an
 * area page at 320 and 1280 px go to test-results/screenshots/.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import { browserSkipReason, openPage, screenshot } from "../support/browser.ts";
import { useDemoBrowserApp } from "../support/browser-app.ts";
import { PUBLIC_PAGES } from "../support/public-pages.ts";

const skip = browserSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);

const WIDTHS = [320, 390, 1280] as const;
const MIN_TEXT_PX = 12;

const PERIOD = demoPlanPeriod();

/** Page URLs of every type; the map pages name a measure so that the map itself is drawn; the demo plans' pages. */
const PAGES = [
  "/",
  "/framework",
  "/aims/CA1",
  ...PUBLIC_PAGES,
  "/map?measure=low-birth-weight",
  "/measures/low-birth-weight?area=W06000015",
  "/plans/choices",
  "/data-format",
  "/sign-in",
  `/plans/W06000015/${PERIOD}`,
  `/plans/W06000002/${PERIOD}/programmes/young-carers`,
];

/**
 * How far the page scrolls sideways, every visible chart text smaller than the minimum (as it is shown), and every
 * chart text that runs past the edge of its chart (and is cut off there).
 */
async function measure(page: Page): Promise<{ overflow: number; small: string[]; clipped: string[] }> {
  return page.evaluate((min) => {
    const root = document.scrollingElement ?? document.documentElement;
    const small: string[] = [];
    const clipped: string[] = [];
    for (const t of document.querySelectorAll("svg text")) {
      const box = t.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || !(t.textContent ?? "").trim()) continue;
      const svg = (t as SVGTextElement).ownerSVGElement;
      const edge = svg?.getBoundingClientRect();
      if (edge && (box.left < edge.left - 1 || box.right > edge.right + 1)) {
        clipped.push(`${svg?.id ?? "svg"}: "${t.textContent?.trim()}" runs past the chart's edge`);
      }
      const fontPx = Number.parseFloat(getComputedStyle(t).fontSize);
      // the shown size: the font size in user units times the scale from the user units to the screen
      const ctm = (t as SVGTextElement).getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const shown = fontPx * scale;
      if (shown < min - 0.01) {
        small.push(
          `${svg?.getAttribute("aria-labelledby") ?? svg?.id ?? "svg"}: "${t.textContent?.trim()}" ${shown.toFixed(1)}px`,
        );
      }
    }
    return {
      overflow: root.scrollWidth - root.clientWidth,
      small: [...new Set(small)].slice(0, 10),
      clipped: [...new Set(clipped)].slice(0, 10),
    };
  }, MIN_TEXT_PX);
}

describe.skipIf(skip !== null)("layouts on narrow and wide screens", () => {
  const s = useDemoBrowserApp(async (t) => {
    await seedDemoPlans(t.app.services.plans);
    // a plan's turn-the-curve report (its chart and action table), as linked from the plan page
    const plan = await t.app.inject({ url: `/en/plans/W06000015/${PERIOD}` });
    const report = /href="\/en(\/plans\/W06000015\/[^"/]+\/measures\/[^"#?]+)"/.exec(plan.body);
    expect(report).not.toBeNull();
    PAGES.push(report![1]!);
  });

  // Each page is loaded once, at the narrowest width, and measured at every width in turn (the page is laid out again
  // on each resize; no script of ours depends on the width it was loaded at): a third of the page loads.
  it.each(["en", "cy"] as const)(
    "%s: every page type at 320, 390 and 1280 px: no sideways page scroll, chart text >= 12 px and inside its chart",
    async (lang) => {
      const { page, context } = await openPage(s.browser, { viewport: { width: WIDTHS[0], height: 800 } });
      const problems: string[] = [];
      try {
        for (const path of PAGES) {
          const r = await page.goto(`${s.base}/${lang}${path}`);
          expect(r?.status(), path).toBe(200);
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 800 });
            const { overflow, small, clipped } = await measure(page);
            if (overflow > 0) problems.push(`${path} at ${width} px: page scrolls sideways by ${overflow}px`);
            for (const p of [...small, ...clipped]) problems.push(`${path} at ${width} px: ${p}`);
          }
          await page.setViewportSize({ width: WIDTHS[0], height: 800 });
        }
      } finally {
        await context.close();
      }
      expect(problems).toEqual([]);
    },
  );

  it.each([320, 1280])("screenshots at %i px", async (width) => {
    const { page, context } = await openPage(s.browser, { viewport: { width, height: 800 } });
    try {
      for (const [name, path] of [
        ["overview", "/overview"],
        ["measure", "/measures/low-birth-weight?area=W06000015"],
        ["area", "/areas/W06000015"],
      ] as const) {
        expect((await page.goto(`${s.base}/cy${path}`))?.status(), path).toBe(200);
        await screenshot(page, `layout-${width}-cy-${name}`, s.shots);
      }
    } finally {
      await context.close();
    }
  });

  it.each(["en", "cy"] as const)(
    "%s: the service navigation is one line at 1280 px (no item alone on a second line)",
    async (lang) => {
      const { page, context } = await openPage(s.browser, { viewport: { width: 1280, height: 800 } });
      try {
        await page.goto(`${s.base}/${lang}/`);
        const tops = await page.$$eval(".govuk-service-navigation__item", (items) =>
          items.map((i) => Math.round(i.getBoundingClientRect().top)),
        );
        expect(tops.length).toBeGreaterThanOrEqual(8);
        expect(new Set(tops).size).toBe(1);
      } finally {
        await context.close();
      }
    },
  );

  it("the overview shows all 22 areas in its own scroll box with the area names fixed", async () => {
    const { page, context } = await openPage(s.browser, { viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${s.base}/en/overview`);
      const root = await page.evaluate(() => {
        const r = document.scrollingElement ?? document.documentElement;
        return r.scrollWidth - r.clientWidth;
      });
      expect(root).toBeLessThanOrEqual(0);
      const box = page.locator(".omf-table-scroll:has(table.omf-rug)");
      expect(await box.getAttribute("tabindex")).toBe("0");
      expect((await box.getAttribute("aria-labelledby")) ?? (await box.getAttribute("aria-label"))).toBeTruthy();
      const areaHeaders = await page.$$eval("table.omf-rug thead th", (ths) => ths.length);
      expect(areaHeaders).toBeGreaterThanOrEqual(23);
      // scrolled to the far right, the first column stays in view
      await box.evaluate((el) => {
        el.scrollLeft = el.scrollWidth;
      });
      const first = await page.$eval("table.omf-rug tbody th", (th) => {
        const b = th.getBoundingClientRect();
        const s = th.closest(".omf-table-scroll")!.getBoundingClientRect();
        return { left: b.left - s.left, position: getComputedStyle(th).position };
      });
      expect(first.position).toBe("sticky");
      expect(first.left).toBeLessThanOrEqual(1);
    } finally {
      await context.close();
    }
  });
});
