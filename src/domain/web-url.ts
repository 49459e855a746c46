/**
 * Web addresses that may be shown as links or served by the API: `http:` and `https:` only, with a host. Anything
 * else (`javascript:`, `data:`, `file:` …) would run or open something in the reader's browser. Pure: no I/O.
 */

/** True when `text` is an absolute http(s) address with a host. */
export function isWebUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** The address when it is a web address ({@link isWebUrl}), else null (for values stored before the check). */
export function webUrlOrNull(text: string | null | undefined): string | null {
  return typeof text === "string" && isWebUrl(text) ? text : null;
}
