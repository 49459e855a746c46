/** Assertions every chart must pass: accessible root, escaped text, balanced tags, no inline styles (CSP). */
import { expect } from "vitest";

/** Checks that tags are balanced (a small XML well-formedness check; no DOM in node). */
export function expectWellFormed(svg: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let consumed = 0;
  for (const m of svg.matchAll(re)) {
    const between = svg.slice(consumed, m.index);
    expect(between, "stray < or > between tags").not.toMatch(/[<>]/);
    consumed = m.index + m[0].length;
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(svg.slice(consumed)).not.toMatch(/[<>]/);
  expect(stack).toEqual([]);
  // every & starts an entity
  expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
}

export function expectAccessibleSvg(svg: string, id: string, title: string): void {
  expectWellFormed(svg);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('role="img"');
  expect(svg).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
  expect(svg).toContain(`<title id="${id}-title">${title}</title>`);
  expect(svg).toMatch(new RegExp(`<desc id="${id}-desc">[^<]+</desc>`));
  expect(svg).not.toContain("<style");
  expect(svg).not.toMatch(/\sstyle="/);
  expect(svg).not.toContain("NaN");
  expect(svg).not.toContain("undefined");
}

export const STATUS_LABELS = {
  better: "Better than Wales",
  similar: "Similar to Wales",
  worse: "Worse than Wales",
  higher: "Higher than Wales",
  lower: "Lower than Wales",
  not_compared: "Not compared",
} as const;

export const fmt = (n: number) => n.toFixed(1);
