/**
 * The document model (./index.ts) as a Word document (DOCX, WordprocessingML), built with the `docx` library: headings
 * as real Word headings, tables as real tables with a repeated header row, lists as real lists, charts as images (SVG,
 * with a PNG fallback for older Word) with alternative text followed by their table, the document's language set on
 * its text, and on every page a header (e.g. a plan's status and version) and a footer with page numbers.
 *
 * One document, or several in one file (a bilingual document: Welsh first, each language in its own section, as the
 * Welsh Language Standards ask of bilingual documents).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { Language } from "../../domain/enums.ts";
import type { Block, RenderedDocument } from "./index.ts";
import { pageColumns, type TableModel } from "./table.ts";

/** What one language's part of a DOCX says around its blocks. */
export interface DocxPart {
  doc: RenderedDocument;
  /** Shown in the header of every page of this part (e.g. "Published plan · version 2"). */
  header: string;
  /** The footer's page-number wording: "Page {page} of {pages}" with those two placeholders. */
  pageLabel: string;
}

export interface DocxOptions {
  /** Document properties (File > Info in Word). */
  title: string;
  creator: string;
  description?: string | undefined;
}

const WORD_LANGUAGE: Record<Language, string> = { en: "en-GB", cy: "cy-GB" };
/** A4 less 2.54 cm margins, in pixels at 96 dpi (what `docx` image sizes are in). */
const TEXT_WIDTH_PX = 602;

const require = createRequire(import.meta.url);
let rasteriser: Promise<{ fonts: Uint8Array[] }> | null = null;

/** Loads the SVG rasteriser (WebAssembly) and its font (DejaVu Sans, shipped as an npm package) once. */
function loadRasteriser(): Promise<{ fonts: Uint8Array[] }> {
  rasteriser ??= (async () => {
    await initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
    const fontDir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    return {
      fonts: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => new Uint8Array(readFileSync(fontDir + f))),
    };
  })();
  return rasteriser;
}

/** The width and height of an SVG from its viewBox (charts always have one). */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
  if (!m) throw new Error("a chart SVG without a viewBox cannot be placed in a document");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** A cache of rasterised charts (see `pngCache`). */
export interface PngCache {
  /** The PNG of `svg` at `width`, rasterised once (a copy of its own: the caller may change it). */
  get(svg: string, width: number): Promise<Uint8Array>;
  usage(): { entries: number; bytes: number };
}

/**
 * Charts already rasterised, by width and SVG text (the whole text is the key, so a hit is the very same input), least
 * recently used dropped first once the approximate bytes held (PNGs and keys) pass `maxBytes`. Concurrent requests for
 * one chart share its rasterising; a failure is not kept.
 */
export function pngCache(maxBytes: number, rasterise: (svg: string, width: number) => Promise<Uint8Array>): PngCache {
  const entries = new Map<string, { png: Promise<Uint8Array>; bytes: number }>();
  let bytes = 0;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  return {
    async get(svg, width) {
      const key = `${width}|${svg}`;
      let entry = entries.get(key);
      if (entry) {
        entries.delete(key); // most recently used last
        entries.set(key, entry);
      } else {
        const added = { png: rasterise(svg, width), bytes: key.length * 2 };
        entry = added;
        entries.set(key, added);
        bytes += added.bytes;
        added.png.then(
          (png) => {
            if (entries.get(key) !== added) return; // dropped meanwhile
            added.bytes += png.byteLength;
            bytes += png.byteLength;
            while (bytes > maxBytes && entries.size > 1) drop(entries.keys().next().value as string);
          },
          () => {
            if (entries.get(key) === added) drop(key);
          },
        );
      }
      return (await entry.png).slice();
    },
    usage: () => ({ entries: entries.size, bytes }),
  };
}

/**
 * The charts this process rasterised. Rasterising is the dearest part of a plan's document (about a fifth of a second
 * for its charts, more than laying out and zipping the rest), and a chart's SVG stays the same until its data or
 * wording changes: a plan or report downloaded again, by anyone, in the same language, reuses its PNGs. 16 MB holds a
 * few hundred charts.
 */
export const chartPngs = pngCache(16 * 1024 * 1024, rasteriseSvg);

/** A PNG of an SVG chart, `width` pixels wide (from `chartPngs` when it was rasterised before). */
export function svgToPng(svg: string, width: number): Promise<Uint8Array> {
  return chartPngs.get(svg, width);
}

/** A PNG of an SVG chart, `width` pixels wide, rasterised now. */
export async function rasteriseSvg(svg: string, width: number): Promise<Uint8Array> {
  const { fonts } = await loadRasteriser();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    background: "#ffffff",
    font: { fontBuffers: fonts, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

function run(text: string, lang: Language, options: { bold?: boolean } = {}): TextRun {
  return new TextRun({ text, language: { value: WORD_LANGUAGE[lang] }, ...options });
}

function tableOf(table: TableModel, lang: Language): (Paragraph | Table)[] {
  const columns = pageColumns(table);
  const header = new TableRow({
    tableHeader: true,
    children: columns.map(
      (c) => new TableCell({ children: [new Paragraph({ children: [run(c.header, lang, { bold: true })] })] }),
    ),
  });
  const rows = table.rows.map(
    (r) =>
      new TableRow({
        children: columns.map(
          (c) =>
            new TableCell({
              children: [
                new Paragraph({
                  alignment: c.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
                  children: [run(r[c.key]?.text ?? "", lang, { bold: c.key === table.rowHeader })],
                }),
              ],
            }),
        ),
      }),
  );
  return [
    new Paragraph({ style: "Caption", keepNext: true, children: [run(table.caption, lang)] }),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
    new Paragraph({ children: [] }),
  ];
}

const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

async function blockChildren(block: Block, lang: Language): Promise<(Paragraph | Table)[]> {
  switch (block.kind) {
    case "heading":
      return [new Paragraph({ heading: HEADING[block.level], children: [run(block.text, lang)] })];
    case "paragraph":
      return [new Paragraph({ children: [run(block.text, lang)] })];
    case "list":
      return block.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: [run(item, lang)] }));
    case "table":
      return tableOf(block.table, lang);
    case "chart": {
      const size = svgSize(block.svg);
      const width = Math.min(TEXT_WIDTH_PX, size.width);
      const height = Math.round((size.height * width) / size.width);
      const image = new ImageRun({
        type: "svg",
        data: Buffer.from(block.svg, "utf8"),
        // the SVG is what Word 2016 and later and LibreOffice show; the PNG is only for older Word, so it is not enlarged
        fallback: { type: "png", data: await svgToPng(block.svg, width) },
        transformation: { width, height },
        altText: { name: block.title, title: block.title, description: block.description },
      });
      return [
        new Paragraph({ style: "Caption", keepNext: true, children: [run(block.title, lang)] }),
        new Paragraph({ keepNext: block.table !== undefined, children: [image] }),
        new Paragraph({ children: [run(block.description, lang)] }),
        ...(block.table ? tableOf(block.table, lang) : []),
      ];
    }
  }
}

function pageNumbers(label: string, lang: Language): Paragraph {
  const children: ParagraphChild[] = [];
  for (const piece of label.split(/(\{page\}|\{pages\})/)) {
    if (piece === "{page}") children.push(new TextRun({ children: [PageNumber.CURRENT] }));
    else if (piece === "{pages}") children.push(new TextRun({ children: [PageNumber.TOTAL_PAGES] }));
    else if (piece !== "") children.push(run(piece, lang));
  }
  return new Paragraph({ alignment: AlignmentType.CENTER, children });
}

/** The DOCX of one or more language parts (in the order given), as a Buffer. */
export async function renderDocx(parts: DocxPart[], options: DocxOptions): Promise<Buffer> {
  if (parts.length === 0) throw new Error("a document needs at least one part");
  const sections = [];
  for (const part of parts) {
    const lang = part.doc.lang;
    const children: (Paragraph | Table)[] = [
      new Paragraph({ heading: HeadingLevel.TITLE, children: [run(part.doc.title, lang)] }),
    ];
    for (const block of part.doc.blocks) children.push(...(await blockChildren(block, lang)));
    if (part.doc.citation) children.push(new Paragraph({ style: "Quote", children: [run(part.doc.citation, lang)] }));
    sections.push({
      properties: {},
      headers: { default: new Header({ children: [new Paragraph({ children: [run(part.header, lang)] })] }) },
      footers: { default: new Footer({ children: [pageNumbers(part.pageLabel, lang)] }) },
      children,
    });
  }
  const first = parts[0]!.doc.lang;
  const document = new Document({
    title: options.title,
    creator: options.creator,
    description: options.description ?? "",
    styles: { default: { document: { run: { font: "Arial", size: 24, language: { value: WORD_LANGUAGE[first] } } } } },
    sections,
  });
  return Packer.toBuffer(document);
}
