import { describe, expect, it } from "vitest";
import {
  ACTION_UPDATE_DAYS,
  actionsCurrent,
  ENGAGEMENT_COMPONENTS,
  type MeasureEngagementInput,
  measureEngagement,
  planEngagement,
} from "../../../src/domain/plans/engagement.ts";

const TODAY = "2026-12-07";
const full: MeasureEngagementInput = {
  storyAt: "2026-10-01T10:00:00.000Z",
  latestDataAt: "2026-09-01T09:00:00.000Z",
  hasForecast: true,
  hasTargets: true,
  actions: [{ status: "on_track", dueDate: "2027-03-31", lastUpdate: null }],
  areaLatestPeriodEnd: "2025-03-31",
  measureLatestPeriodEnd: "2025-03-31",
};
const missing = (e: ReturnType<typeof measureEngagement>) => e.components.filter((c) => !c.met).map((c) => c.key);

describe("engagement score", () => {
  it("has weights adding up to 100, and a measure doing everything scores 100", () => {
    expect(ENGAGEMENT_COMPONENTS.reduce((s, c) => s + c.weight, 0)).toBe(100);
    const e = measureEngagement(full, TODAY);
    expect(e.score).toBe(100);
    expect(missing(e)).toEqual([]);
  });

  it("loses each component's weight, and only that, when it is not met", () => {
    const cases: [Partial<MeasureEngagementInput>, string[]][] = [
      [{ storyAt: null }, ["story", "storyCurrent"]],
      [{ latestDataAt: "2026-11-01T00:00:00.000Z" }, ["storyCurrent"]],
      [{ hasForecast: false }, ["forecast"]],
      [{ hasTargets: false }, ["targets"]],
      [{ actions: [] }, ["actionsCurrent"]],
      [{ areaLatestPeriodEnd: "2024-03-31" }, ["dataCurrent"]],
      [{ areaLatestPeriodEnd: null, latestDataAt: null }, ["dataCurrent"]],
    ];
    for (const [change, keys] of cases) {
      const e = measureEngagement({ ...full, ...change }, TODAY);
      expect(missing(e), JSON.stringify(change)).toEqual(keys);
      const lost = ENGAGEMENT_COMPONENTS.filter((c) => keys.includes(c.key)).reduce((s, c) => s + c.weight, 0);
      expect(e.score).toBe(100 - lost);
      for (const c of e.components) expect(c.earned).toBe(c.met ? c.weight : 0);
    }
  });

  it("counts an overdue action as current only with a progress update in the last 90 days", () => {
    const due = "2026-11-30";
    const edge = new Date(Date.parse(`${TODAY}T00:00:00Z`) - ACTION_UPDATE_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const dayBefore = new Date(Date.parse(`${edge}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(actionsCurrent([{ status: "on_track", dueDate: due, lastUpdate: null }], TODAY)).toBe(false);
    expect(actionsCurrent([{ status: "on_track", dueDate: due, lastUpdate: edge }], TODAY)).toBe(true);
    expect(actionsCurrent([{ status: "on_track", dueDate: due, lastUpdate: dayBefore }], TODAY)).toBe(false);
    expect(actionsCurrent([{ status: "done", dueDate: due, lastUpdate: null }], TODAY)).toBe(true);
    expect(actionsCurrent([{ status: "at_risk", dueDate: TODAY, lastUpdate: null }], TODAY)).toBe(true);
    expect(actionsCurrent([{ status: "at_risk", dueDate: null, lastUpdate: null }], TODAY)).toBe(true);
    // one stale overdue action spoils the rest
    expect(
      actionsCurrent(
        [
          { status: "done", dueDate: null, lastUpdate: null },
          { status: "not_started", dueDate: "2026-01-01", lastUpdate: "2026-02-01" },
        ],
        TODAY,
      ),
    ).toBe(false);
  });

  it("scores a plan as the mean of its measures, with how many meet each component", () => {
    const a = measureEngagement(full, TODAY);
    const b = measureEngagement({ ...full, storyAt: null, hasTargets: false }, TODAY);
    const c = measureEngagement({ ...full, actions: [] }, TODAY);
    const p = planEngagement([a, b, c])!;
    expect(p.score).toBe(Math.round((100 + 45 + 80) / 3));
    expect(p.measures).toBe(3);
    expect(p.met.story).toBe(2);
    expect(p.met.targets).toBe(2);
    expect(p.met.actionsCurrent).toBe(2);
    expect(p.met.forecast).toBe(3);
    expect(planEngagement([])).toBeNull();
  });
});
