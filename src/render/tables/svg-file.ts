/** SVG downloads: the chart's own markup (it already has xmlns, title and description) as a standalone file. */

/** A standalone SVG document for a chart. */
export function svgFile(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
