/**
 * Opens a DOCX as Word would: the zip package, its content types and relationships, every XML part parsed strictly,
 * and the WordprocessingML rules of the parts a document uses (body, paragraphs and runs, tables, headers and footers,
 * drawings), so a test can say what is wrong with a file, then read its text, headings, tables and images.
 */
import JSZip from "jszip";
import { SaxesParser } from "saxes";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML strictly (any error in well-formedness or namespaces throws). */
export function parseXml(xml: string, part: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  parser.on("error", (e) => {
    throw new Error(`${part}: ${e.message}`);
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[k] = typeof v === "string" ? v : v.value;
    const el: XmlElement = { name: tag.name, attributes, children: [], text: "" };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on("text", (t) => {
    stack.at(-1)!.text += t;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(xml).close();
  const [top] = root.children;
  if (!top) throw new Error(`${part}: no root element`);
  return top;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

function texts(el: XmlElement): string {
  let s = "";
  for (const e of walk(el)) if (e.name === "w:t") s += e.text;
  return s;
}

export interface DocxContent {
  parts: string[];
  /** Paragraph texts of the body, in order. */
  paragraphs: { style: string | null; text: string }[];
  headings: { level: number; text: string }[];
  /** Each table as rows of cell texts; `header` when its first row repeats on each page. */
  tables: { header: boolean; rows: string[][] }[];
  images: { description: string; title: string; svg: boolean; png: boolean }[];
  headerTexts: string[];
  footerTexts: string[];
  /** Whether a footer holds the PAGE field. */
  pageNumbers: boolean;
  /** Languages set on runs (w:lang w:val). */
  languages: Set<string>;
}

const CONTAINERS_OF_P = new Set([
  "w:body",
  "w:tc",
  "w:hdr",
  "w:ftr",
  "w:footnote",
  "w:endnote",
  "w:comment",
  "w:txbxContent",
  "w:sdtContent",
]);

/** The WordprocessingML rules of the elements used: what Word refuses to open or repairs. */
function checkWordprocessing(root: XmlElement, part: string): string[] {
  const problems: string[] = [];
  const check = (el: XmlElement, parent: XmlElement | null) => {
    if (el.name === "w:p" && parent && !CONTAINERS_OF_P.has(parent.name)) {
      problems.push(`${part}: a paragraph inside ${parent.name}`);
    }
    if (el.name === "w:r" && parent && !["w:p", "w:hyperlink", "w:fldSimple", "w:ins", "w:del"].includes(parent.name)) {
      problems.push(`${part}: a run inside ${parent.name}`);
    }
    if (el.name === "w:t" && parent?.name !== "w:r") problems.push(`${part}: text outside a run`);
    if (el.name === "w:tbl") {
      if (!el.children.some((c) => c.name === "w:tblGrid")) problems.push(`${part}: a table without w:tblGrid`);
      if (!el.children.some((c) => c.name === "w:tr")) problems.push(`${part}: a table without rows`);
    }
    if (el.name === "w:tr" && parent?.name !== "w:tbl") problems.push(`${part}: a table row outside a table`);
    if (el.name === "w:tc") {
      if (parent?.name !== "w:tr") problems.push(`${part}: a cell outside a row`);
      const last = el.children.filter((c) => c.name !== "w:tcPr").at(-1);
      if (last?.name !== "w:p" && last?.name !== "w:tbl")
        problems.push(`${part}: a table cell not ending with a paragraph`);
      if (last?.name === "w:tbl")
        problems.push(`${part}: a table cell ending with a table (Word needs a paragraph after)`);
    }
    if (el.name === "w:body") {
      const sect = el.children.findIndex((c) => c.name === "w:sectPr");
      if (sect >= 0 && sect !== el.children.length - 1) problems.push(`${part}: the body's w:sectPr is not last`);
    }
    if (el.name === "wp:docPr" && !(el.attributes.descr ?? "").trim()) {
      problems.push(`${part}: an image without alternative text`);
    }
    for (const c of el.children) check(c, el);
  };
  check(root, null);
  return problems;
}

/** Opens a DOCX; throws with every problem found in the package or its XML. */
export async function openDocx(buffer: Buffer | Uint8Array): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(buffer);
  const parts = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const problems: string[] = [];
  const xml = new Map<string, XmlElement>();
  for (const name of parts.filter((n) => n.endsWith(".xml") || n.endsWith(".rels"))) {
    xml.set(name, parseXml(await zip.file(name)!.async("string"), name));
  }
  // content types: every part has one
  const types = xml.get("[Content_Types].xml");
  if (!types) throw new Error("no [Content_Types].xml: not an Office package");
  const defaults = new Set(
    types.children.filter((c) => c.name === "Default").map((c) => c.attributes.Extension!.toLowerCase()),
  );
  const overrides = new Set(types.children.filter((c) => c.name === "Override").map((c) => c.attributes.PartName!));
  for (const p of parts) {
    if (p === "[Content_Types].xml") continue;
    const ext = p.split(".").pop()!.toLowerCase();
    if (!overrides.has(`/${p}`) && !defaults.has(ext)) problems.push(`${p}: no content type`);
  }
  for (const o of overrides) if (!parts.includes(o.slice(1))) problems.push(`content type for a missing part ${o}`);
  // relationships: every internal target exists
  for (const [name, rels] of xml) {
    if (!name.endsWith(".rels")) continue;
    const base = name.replace(/_rels\/[^/]*\.rels$/, "");
    for (const r of rels.children) {
      if (r.attributes.TargetMode === "External") continue;
      const target = r.attributes.Target!;
      const resolved = target.startsWith("/") ? target.slice(1) : normalise(base + target);
      if (!parts.includes(resolved)) problems.push(`${name}: relationship ${r.attributes.Id} to missing ${resolved}`);
    }
  }
  const document = xml.get("word/document.xml");
  if (!document) throw new Error("no word/document.xml: not a Word document");
  if (document.name !== "w:document" || document.children[0]?.name !== "w:body") {
    problems.push("word/document.xml: not w:document > w:body");
  }
  for (const [name, el] of xml)
    if (name.startsWith("word/") && name.endsWith(".xml")) problems.push(...checkWordprocessing(el, name));
  if (problems.length > 0) throw new Error(`the DOCX has problems:\n${problems.join("\n")}`);

  const body = document.children[0]!;
  const paragraphs: DocxContent["paragraphs"] = [];
  const headings: DocxContent["headings"] = [];
  for (const p of body.children.filter((c) => c.name === "w:p")) {
    const style = [...walk(p)].find((e) => e.name === "w:pStyle")?.attributes["w:val"] ?? null;
    const text = texts(p);
    paragraphs.push({ style, text });
    const level = /^Heading(\d)$/.exec(style ?? "");
    if (level) headings.push({ level: Number(level[1]), text });
  }
  const tables = [...walk(body)]
    .filter((e) => e.name === "w:tbl")
    .map((t) => {
      const rows = t.children.filter((c) => c.name === "w:tr");
      return {
        header: [...walk(rows[0]!)].some((e) => e.name === "w:tblHeader"),
        rows: rows.map((r) => r.children.filter((c) => c.name === "w:tc").map(texts)),
      };
    });
  const images = [...walk(body)]
    .filter((e) => e.name === "wp:docPr")
    .map((d) => ({ description: d.attributes.descr ?? "", title: d.attributes.title ?? "", svg: false, png: false }));
  const media = parts.filter((p) => p.startsWith("word/media/"));
  if (images.length > 0) {
    images.forEach((i) => {
      i.svg = media.some((m) => m.endsWith(".svg"));
      i.png = media.some((m) => m.endsWith(".png"));
    });
  }
  const partsNamed = (re: RegExp) => [...xml].filter(([n]) => re.test(n)).map(([, el]) => el);
  const footers = partsNamed(/^word\/footer\d*\.xml$/);
  const languages = new Set<string>();
  for (const el of xml.values())
    for (const e of walk(el)) if (e.name === "w:lang" && e.attributes["w:val"]) languages.add(e.attributes["w:val"]);
  return {
    parts,
    paragraphs,
    headings,
    tables,
    images,
    headerTexts: partsNamed(/^word\/header\d*\.xml$/).map(texts),
    footerTexts: footers.map(texts),
    pageNumbers: footers.some((f) => [...walk(f)].some((e) => e.name === "w:instrText" && /\bPAGE\b/.test(e.text))),
    languages,
  };
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "..") out.pop();
    else if (seg !== "." && seg !== "") out.push(seg);
  }
  return out.join("/");
}
