import { describe, expect, it } from "vitest";
import { isWebUrl, webUrlOrNull } from "../../src/domain/web-url.ts";

describe("web addresses", () => {
  it("accepts http and https addresses with a host only", () => {
    expect(isWebUrl("https://statswales.gov.wales")).toBe(true);
    expect(isWebUrl("http://example.org/a?b=c#d")).toBe(true);
    expect(isWebUrl("HTTPS://EXAMPLE.ORG")).toBe(true);
    for (const bad of [
      "javascript:alert('url')",
      " javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<b>x</b>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "ftp://example.org",
      "//example.org",
      "example.org",
      "",
    ]) {
      expect(isWebUrl(bad), bad).toBe(false);
    }
  });

  it("drops a stored address that is not a web address before it is served", () => {
    expect(webUrlOrNull("javascript:alert('url')")).toBeNull();
    expect(webUrlOrNull(null)).toBeNull();
    expect(webUrlOrNull("https://www.ons.gov.uk")).toBe("https://www.ons.gov.uk");
  });
});
