import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dnorm,
  dpois,
  dt,
  inverseRegularizedGammaP,
  lbeta,
  lgamma,
  pbinom,
  pchisq,
  pnorm,
  ppois,
  pt,
  qchisq,
  qnorm,
  qt,
  regularizedBetaI,
  regularizedGammaP,
  regularizedGammaQ,
  stirlingCorrection,
} from "../../src/stats/distributions.ts";

/** Reference values computed with 40-digit arithmetic (mpmath) or quoted from R in METHODS.md §1. */
const closeTo = (actual: number, expected: number, rel = 1e-13) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));

describe("qnorm / pnorm / dnorm", () => {
  it("matches R's qnorm at the METHODS.md §1 levels", () => {
    closeTo(qnorm(0.975), 1.959963984540054, 1e-15);
    closeTo(qnorm(0.999), 3.090232306167813, 1e-15);
    closeTo(qnorm(0.95), 1.644853626951472, 1e-15);
    closeTo(qnorm(0.995), 2.5758293035489, 1e-15);
  });
  it("is antisymmetric, handles the extremes and the upper tail", () => {
    expect(qnorm(0.5)).toBe(0);
    expect(qnorm(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(qnorm(1)).toBe(Number.POSITIVE_INFINITY);
    closeTo(qnorm(1e-300), -37.0470962993612, 1e-14);
    closeTo(qnorm(1e-20, false), -qnorm(1e-20), 1e-15);
  });
  it("pnorm matches 40-digit references in both tails", () => {
    closeTo(pnorm(-1.96), 0.024997895148220435);
    closeTo(pnorm(-8), 6.220960574271784e-16);
    closeTo(pnorm(0.5), 0.6914624612740131);
    closeTo(pnorm(3), 0.9986501019683699);
    closeTo(pnorm(8, false), 6.220960574271784e-16);
    expect(pnorm(0)).toBe(0.5);
  });
  it("dnorm(0) = 1/sqrt(2 pi)", () => closeTo(dnorm(0), 0.3989422804014327, 1e-15));
  it("pnorm inverts qnorm", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        const back = p < 0.5 ? pnorm(qnorm(p)) : pnorm(qnorm(p), false);
        const target = p < 0.5 ? p : 1 - p;
        return Math.abs(back - target) <= 1e-13 * target;
      }),
    );
  });
});

describe("gamma function helpers", () => {
  it("lgamma matches 40-digit references", () => {
    closeTo(lgamma(0.001), 6.907178885383853, 1e-15);
    closeTo(lgamma(0.5), 0.5723649429247001, 1e-15);
    closeTo(lgamma(1.5), -0.12078223763524522, 1e-14);
    closeTo(lgamma(7.25), 7.0521854507385395, 1e-15);
    closeTo(lgamma(30), 71.25703896716801, 1e-15);
    closeTo(lgamma(1000.5), 5908.674175848678, 1e-15);
    expect(Math.abs(lgamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(lgamma(2))).toBeLessThan(1e-15);
  });
  it("lgamma satisfies the recurrence lgamma(x+1) = lgamma(x) + ln x", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e4, noNaN: true }), (x) => {
        return Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x)) <= 1e-12 * Math.max(1, Math.abs(lgamma(x + 1)));
      }),
    );
  });
  it("lbeta agrees with lgamma and is symmetric", () => {
    closeTo(lbeta(2, 3), Math.log(1 / 12), 1e-14);
    closeTo(lbeta(0.5, 0.5), Math.log(Math.PI), 1e-14);
    expect(lbeta(3.5, 200)).toBe(lbeta(200, 3.5));
  });
  it("stirlingCorrection tends to 1/(12x)", () => closeTo(stirlingCorrection(1e6), 1 / 12e6, 1e-10));
});

describe("regularised incomplete gamma and beta", () => {
  it("match 40-digit references", () => {
    closeTo(regularizedGammaP(0.5, 0.1), 0.34527915398142295);
    closeTo(regularizedGammaP(3, 2.5), 0.45618688411667047);
    closeTo(regularizedGammaP(10, 15), 0.9301463393005902);
    closeTo(regularizedGammaP(150.5, 140), 0.19785296167780378, 1e-12);
    closeTo(regularizedGammaQ(0.5, 30), 9.485737571073848e-15, 1e-12);
    closeTo(regularizedGammaQ(3, 2.5), 0.5438131158833295);
    closeTo(regularizedGammaQ(10, 15), 0.06985366069940976);
    closeTo(regularizedGammaQ(150.5, 200), 0.00011284440060793548, 1e-12);
    closeTo(regularizedBetaI(0.3, 2, 3), 0.3483);
    closeTo(regularizedBetaI(0.9, 0.5, 12.5), 0.9999999999999476);
    closeTo(regularizedBetaI(0.01, 50, 0.5), 7.998227417904812e-102, 1e-12);
    closeTo(regularizedBetaI(0.6, 200, 150), 0.8601906604801528, 1e-12);
  });
  it("P + Q = 1", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, x) => {
          return Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1) <= 1e-14;
        },
      ),
    );
  });
  it("rejects invalid parameters", () => {
    expect(() => regularizedGammaP(0, 1)).toThrow(/a must be > 0/);
    expect(() => regularizedGammaP(1, -1)).toThrow(/x must be >= 0/);
    expect(() => regularizedBetaI(1.5, 1, 1)).toThrow(/x must be a probability/);
    expect(() => regularizedBetaI(0.5, -1, 1)).toThrow(/a must be > 0/);
    expect(() => lgamma(Number.NaN)).toThrow(/x must be a number/);
  });
});

describe("chi-square", () => {
  it("qchisq matches 40-digit references", () => {
    closeTo(qchisq(0.025, 2), 0.05063561596857975);
    closeTo(qchisq(0.975, 20), 34.16960690283834);
    closeTo(qchisq(0.001, 6), 0.3810667551368064);
    closeTo(qchisq(0.999, 1), 10.827566170662733);
    closeTo(qchisq(0.5, 0.5), 0.08734760470574682);
  });
  it("qchisq(p, 0) = 0, qchisq(0, df) = 0, qchisq(1, df) = Infinity", () => {
    expect(qchisq(0.3, 0)).toBe(0);
    expect(qchisq(0, 4)).toBe(0);
    expect(qchisq(1, 4)).toBe(Number.POSITIVE_INFINITY);
  });
  it("pchisq inverts qchisq", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-10, max: 1 - 1e-10, noNaN: true }), fc.integer({ min: 1, max: 400 }), (p, df) => {
        const x = qchisq(p, df);
        const back = p < 0.5 ? pchisq(x, df) : pchisq(x, df, false);
        const target = p < 0.5 ? p : 1 - p;
        return Math.abs(back - target) <= 1e-12 * target;
      }),
    );
  });
  it("inverseRegularizedGammaP is the gamma quantile", () =>
    closeTo(inverseRegularizedGammaP(0.5, 1), Math.LN2, 1e-15));
  it("rejects invalid arguments", () => {
    expect(() => qchisq(1.1, 2)).toThrow(/p must be a probability/);
    expect(() => qchisq(0.5, -1)).toThrow(/df must be >= 0/);
  });
});

describe("Student t", () => {
  it("qt matches 40-digit references", () => {
    closeTo(qt(0.975, 1), 12.706204736174705, 1e-13);
    closeTo(qt(0.975, 3), 3.1824463052837095);
    closeTo(qt(0.999, 10), 4.143700494046589);
    closeTo(qt(0.9995, 100), 3.39049131116423);
    closeTo(qt(0.975, 2.5), 3.574654842003683);
    closeTo(qt(0.975, 7), 2.364624251592785);
  });
  it("is antisymmetric and approaches the normal for large df", () => {
    expect(qt(0.025, 9)).toBe(-qt(0.975, 9));
    expect(qt(0.5, 4)).toBe(0);
    closeTo(qt(0.975, 1e9), qnorm(0.975), 1e-8);
  });
  it("pt inverts qt", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 1 - 1e-8, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        (p, df) => {
          const t = qt(p, df);
          const back = p < 0.5 ? pt(t, df) : pt(t, df, false);
          const target = p < 0.5 ? p : 1 - p;
          return Math.abs(back - target) <= 1e-12 * target;
        },
      ),
    );
  });
  it("dt integrates to the cdf difference (midpoint check)", () => {
    const h = 1e-4;
    closeTo((pt(1 + h, 5) - pt(1 - h, 5)) / (2 * h), dt(1, 5), 1e-7);
  });
});

describe("discrete cdfs", () => {
  it("ppois and dpois agree with direct sums", () => {
    const lambda = 3.7;
    let sum = 0;
    for (let k = 0; k <= 6; k++) {
      const direct = (Math.exp(-lambda) * lambda ** k) / [1, 1, 2, 6, 24, 120, 720][k]!;
      closeTo(dpois(k, lambda), direct, 1e-14);
      sum += direct;
      closeTo(ppois(k, lambda), sum, 1e-14);
    }
    closeTo(ppois(6, lambda, false), 1 - sum, 1e-13);
    expect(ppois(-1, 2)).toBe(0);
  });
  it("pbinom agrees with a direct sum", () => {
    const n = 12;
    const p = 0.3;
    let sum = 0;
    let choose = 1;
    for (let k = 0; k <= 5; k++) {
      if (k > 0) choose = (choose * (n - k + 1)) / k;
      sum += choose * p ** k * (1 - p) ** (n - k);
      closeTo(pbinom(k, n, p), sum, 1e-14);
    }
    expect(pbinom(12, 12, 0.3)).toBe(1);
    expect(() => pbinom(1, 2.5, 0.3)).toThrow(/n must be a non-negative integer/);
  });
});
