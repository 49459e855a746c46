/** HTML for a status in a table cell: the status shape (decorative) followed by the status in words. */

import type { Status } from "../../render/charts/status-style.ts";
import { esc } from "../../render/charts/svg.ts";
import { tartanCell } from "../../render/charts/tartan-rug.ts";

/** Visible words plus a decorative shape; the words carry the meaning. */
export function statusHtml(status: Status, label: string): string {
  return `<span class="omf-status">${tartanCell({ id: "x", status, label, decorative: true })}<span>${esc(label)}</span></span>`;
}
