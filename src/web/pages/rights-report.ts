/**
 * The children's rights report (src/services/reports/rights.ts) as the document model (src/render/document): one
 * model for the page /{lang}/reports/rights and its DOCX, so the two say the same. Status is always in words; the
 * Wales sentences are the stored summaries (src/render/wording/summary.ts) in the document's language.
 */
import type { BilingualText, Language } from "../../domain/enums.ts";
import type { Block, RenderedDocument, TableModel } from "../../render/document/index.ts";
import { cell, linkCell } from "../../render/document/table.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { breakdownLabel } from "../../services/public/breakdown-label.ts";
import type { AgendaEntry, AgendaView } from "../../services/reports/agenda.ts";
import type { PlanQuote, RightsMeasure, RightsReport, RightsSection } from "../../services/reports/rights.ts";
import type { Services } from "../../services/index.ts";
import { formatNumber, translator } from "../i18n.ts";
import { displayValue, trendText } from "./labels.ts";
import { inLanguage } from "./plan-view.ts";

export interface RightsContext {
  lang: Language;
  t: Translate;
  /** An area's name in the document's language. */
  areaName: (code: string) => string;
  dimensions: Parameters<typeof breakdownLabel>[0];
  /** The page's public address, for the citation. */
  address: string;
}

function textTable(id: string, caption: string, headers: string[], rows: string[][], numeric: number[] = []) {
  const model: TableModel = {
    id,
    caption,
    rowHeader: "c0",
    columns: headers.map((header, i) => ({
      key: `c${i}`,
      header,
      kind: "text" as const,
      numeric: numeric.includes(i),
    })),
    rows: rows.map((r) => Object.fromEntries(r.map((text, i) => [`c${i}`, cell(text)]))),
  };
  return model;
}

/** A difference in the measure's unit: percentage points for percentages. */
function difference(c: RightsContext, spec: RightsMeasure["measure"], x: number): string {
  const n = formatNumber(x, c.lang, spec.decimals);
  return spec.unit === "percentage" ? c.t("rights.percentagePoints", { n }) : n;
}

function measureRow(m: RightsMeasure, c: RightsContext): string[] {
  const { t, lang } = c;
  const spec = m.measure;
  const w = m.wales;
  const gap = m.widestGap;
  return [
    inLanguage(spec.title, lang),
    m.local ? t("rights.level.local") : t("rights.level.national"),
    m.period ?? t("rights.noData"),
    w && !w.suppressed && w.value !== null ? displayValue(lang, spec, w.value) : "",
    w ? trendText(t, w) : "",
    m.period && m.local ? String(m.areas.better + m.areas.higher) : "",
    m.period && m.local ? String(m.areas.worse + m.areas.lower) : "",
    gap
      ? t("rights.gapBetween", {
          difference: difference(c, spec, gap.difference),
          highest: c.areaName(gap.highest.areaCode),
          highestValue: displayValue(lang, spec, gap.highest.value),
          lowest: c.areaName(gap.lowest.areaCode),
          lowestValue: displayValue(lang, spec, gap.lowest.value),
        })
      : "",
    t("rights.planCounts", { priorities: m.priorities.length, actions: m.actions.length }),
  ];
}

function measuresTable(id: string, caption: string, measures: RightsMeasure[], c: RightsContext): TableModel {
  const { t } = c;
  return textTable(
    id,
    caption,
    [
      t("rights.col.measure"),
      t("rights.col.level"),
      t("rights.col.period"),
      t("rights.col.wales"),
      t("rights.col.trend"),
      t("rights.col.better"),
      t("rights.col.worse"),
      t("rights.col.widestGap"),
      t("rights.col.plans"),
    ],
    measures.map((m) => measureRow(m, c)),
    [5, 6],
  );
}

function quote(q: PlanQuote, kind: "priority" | "action", c: RightsContext): string {
  const { t, lang } = c;
  const status = q.status ? ` (${t(`plans.action.${q.status}`)})` : "";
  return `${c.areaName(q.areaCode)}, ${t(`rights.quote.${kind}`)}${status}: “${inLanguage(q.text, lang)}”`;
}

/** The blocks of one aim's or article's section, after its heading. */
function sectionBlocks(id: string, title: string, s: RightsSection, c: RightsContext): Block[] {
  const { t, lang } = c;
  const blocks: Block[] = [{ kind: "paragraph", text: t(`rights.coverage.${s.coverage}`) }];
  if (s.measures.length > 0) {
    blocks.push({ kind: "table", table: measuresTable(id, t("rights.measuresCaption", { title }), s.measures, c) });
    const sentences = s.measures.flatMap((m) =>
      m.wales ? [`${inLanguage(m.measure.title, lang)}: ${inLanguage(m.wales.summary, lang)}`] : [],
    );
    if (sentences.length > 0) {
      blocks.push({ kind: "paragraph", text: t("rights.walesSentences") });
      blocks.push({ kind: "list", items: sentences });
    }
    const gaps = s.measures.flatMap((m) =>
      m.groupGaps.map((g) =>
        t("rights.groupGap", {
          measure: inLanguage(m.measure.title, lang),
          groups: t("measures.page.gapBetween", {
            a: breakdownLabel(c.dimensions, g.groupA, lang) ?? g.groupA,
            b: breakdownLabel(c.dimensions, g.groupB, lang) ?? g.groupB,
          }),
          gap: difference(c, m.measure, g.absolute),
          significant: g.significant ? t("measures.page.gapYes") : t("measures.page.gapNo"),
          trend: t(`measures.page.gapTrends.${g.gapTrend}`),
        }),
      ),
    );
    if (gaps.length > 0) {
      blocks.push({ kind: "paragraph", text: t("rights.groupGaps") });
      blocks.push({ kind: "list", items: gaps });
    }
  }
  blocks.push({
    kind: "paragraph",
    text: t("rights.plansSay", {
      priorities: s.plans.priorities,
      actions: s.plans.actions,
      partnerships: s.plans.partnerships,
    }),
  });
  const quotes = s.measures.flatMap((m) => [
    ...m.priorities.map((q) => quote(q, "priority", c)),
    ...m.actions.map((q) => quote(q, "action", c)),
  ]);
  if (quotes.length > 0) blocks.push({ kind: "list", items: [...new Set(quotes)] });
  if (s.inDevelopment.length > 0) {
    blocks.push({ kind: "paragraph", text: t("rights.inDevelopment") });
    blocks.push({ kind: "list", items: s.inDevelopment.map((m) => inLanguage(m.title, lang)) });
  }
  return blocks;
}

/** The whole report as a document: coverage, then each core aim, then each UNCRC article. */
export function rightsDocument(r: RightsReport, c: RightsContext): RenderedDocument {
  const { t, lang } = c;
  const blocks: Block[] = [
    { kind: "paragraph", text: t("rights.intro", { version: r.frameworkVersion }) },
    {
      kind: "paragraph",
      text: r.plans.count
        ? t("rights.plansQuoted", { count: r.plans.count, period: r.plans.period ?? "" })
        : t("rights.noPlans"),
    },
    { kind: "paragraph", text: r.asAt ? t("rights.asAt.then", { date: r.asAt }) : t("rights.asAt.now") },
  ];
  const all = [...r.aims, ...r.articles].flatMap((s) => s.measures);
  if (all.some((m) => m.illustrative))
    blocks.push({ kind: "paragraph", text: `${t("plans.page.warning")}: ${t("rights.illustrative")}` });

  blocks.push({ kind: "heading", level: 1, text: t("rights.coverageHeading") });
  blocks.push({ kind: "paragraph", text: t("rights.coverageAims", { ...r.coverage.aims, total: r.aims.length }) });
  blocks.push({
    kind: "paragraph",
    text: t("rights.coverageArticles", { ...r.coverage.articles, total: r.articles.length }),
  });
  const coverageTable = (id: string, caption: string, first: string, rows: [string, RightsSection][]) =>
    textTable(
      id,
      caption,
      [first, t("rights.col.coverage"), t("rights.col.measures"), t("rights.col.inDevelopment")],
      rows.map(([title, x]) => [
        title,
        t(`rights.level.${x.coverage}`),
        String(x.measures.length),
        String(x.inDevelopment.length),
      ]),
      [2, 3],
    );
  blocks.push({
    kind: "table",
    table: coverageTable(
      "coverage-aims",
      t("rights.coverageAimsCaption"),
      t("rights.col.aim"),
      r.aims.map((a) => [`${a.number}. ${inLanguage(a.title, lang)}`, a]),
    ),
  });
  blocks.push({
    kind: "table",
    table: coverageTable(
      "coverage-articles",
      t("rights.coverageArticlesCaption"),
      t("rights.col.article"),
      r.articles.map((a) => [t("rights.articleTitle", { number: a.number, title: inLanguage(a.title, lang) }), a]),
    ),
  });

  blocks.push({ kind: "heading", level: 1, text: t("rights.aimsHeading") });
  for (const a of r.aims) {
    const title = `${a.number}. ${inLanguage(a.title, lang)}`;
    blocks.push({ kind: "heading", level: 2, text: title });
    if (a.articles.length > 0)
      blocks.push({
        kind: "paragraph",
        text: `${t("rights.articlesServed")}: ${a.articles
          .map((x) =>
            t("rights.articleWithConfidence", {
              number: x.number,
              title: inLanguage(x.title, lang),
              confidence: t(`rights.confidence.${x.confidence}`),
            }),
          )
          .join("; ")}`,
      });
    blocks.push(...sectionBlocks(`aim-${a.code}`, title, a, c));
  }

  blocks.push({ kind: "heading", level: 1, text: t("rights.articlesHeading") });
  for (const a of r.articles) {
    const title = t("rights.articleTitle", { number: a.number, title: inLanguage(a.title, lang) });
    blocks.push({ kind: "heading", level: 2, text: title });
    if (a.summary) blocks.push({ kind: "paragraph", text: inLanguage(a.summary, lang) });
    if (a.aims.length > 0)
      blocks.push({
        kind: "paragraph",
        text: `${t("rights.aimsServing")}: ${a.aims
          .map((x) => {
            const aim = r.aims.find((y) => y.code === x.code);
            return t("rights.aimWithConfidence", {
              title: aim ? `${aim.number}. ${inLanguage(aim.title, lang)}` : x.code,
              confidence: t(`rights.confidence.${x.confidence}`),
            });
          })
          .join("; ")}`,
      });
    blocks.push(...sectionBlocks(`article-${a.number}`, title, a, c));
  }
  return {
    lang,
    title: t("rights.title"),
    blocks,
    citation: t("rights.citation", { version: r.frameworkVersion, address: c.address }),
  };
}

/** The report as a document in one language, with the areas' and breakdowns' names from the public views. */
export async function rightsDocumentIn(
  services: Pick<Services, "publicViews">,
  r: RightsReport,
  lang: Language,
  address: string,
): Promise<RenderedDocument> {
  const pv = services.publicViews;
  const [areas, dimensions] = await Promise.all([pv.areas(), pv.dimensions()]);
  return rightsDocument(r, {
    lang,
    t: translator(lang),
    areaName: (code) => {
      const a = areas.byCode.get(code);
      return a ? inLanguage(a.name, lang) : code;
    },
    dimensions,
    address,
  });
}

/** The report as a Word document: one part per language, in the order given (bilingual: Welsh first). */
export async function rightsDocx(
  services: Pick<Services, "publicViews">,
  r: RightsReport,
  languages: Language[],
  addressOf: (lang: Language) => string,
): Promise<Buffer> {
  const parts = [];
  for (const l of languages) {
    const tl = translator(l);
    parts.push({
      doc: await rightsDocumentIn(services, r, l, addressOf(l)),
      header: r.asAt
        ? `${tl("rights.header", { version: r.frameworkVersion })}, ${tl("rights.asAt.header", { date: r.asAt })}`
        : tl("rights.header", { version: r.frameworkVersion }),
      pageLabel: tl("plandoc.pageLabel"),
    });
  }
  const { renderDocx } = await import("../../render/document/docx.ts"); // large (docx, resvg): loaded for the first DOCX
  return renderDocx(parts, {
    title: parts.map((p) => p.doc.title).join(" / "),
    creator: translator(languages[0]!)("plandoc.creator"),
    description: addressOf(languages[0]!),
  });
}

/** A document as plain text (for `omf report rights --format text`): headings, paragraphs, bullets, tables by tabs. */
export function plainText(doc: RenderedDocument): string {
  const lines: string[] = [doc.title, "=".repeat(doc.title.length), ""];
  const table = (m: TableModel) => {
    const columns = m.columns.filter((c) => !c.downloadOnly);
    lines.push(m.caption, columns.map((c) => c.header).join("\t"));
    for (const row of m.rows) lines.push(columns.map((c) => row[c.key]?.text ?? "").join("\t"));
    lines.push("");
  };
  for (const b of doc.blocks) {
    if (b.kind === "heading") lines.push(b.text, (b.level === 1 ? "-" : "~").repeat(b.text.length), "");
    else if (b.kind === "paragraph") lines.push(b.text, "");
    else if (b.kind === "list") lines.push(...b.items.map((i) => `- ${i}`), "");
    else if (b.kind === "table") table(b.table);
    else {
      lines.push(b.title, b.description, "");
      if (b.table) table(b.table);
    }
  }
  if (doc.citation) lines.push(doc.citation);
  return `${lines.join("\n")}\n`;
}

/** The data development agenda as a document: the measures in development, the coverage gaps, then the tasks. */
export function agendaDocument(
  a: AgendaView,
  c: { lang: Language; t: Translate; aims: { code: string; number: number; title: BilingualText }[] },
): RenderedDocument {
  const { t, lang } = c;
  const aimTitle = (code: string) => {
    const aim = c.aims.find((x) => x.code === code);
    return aim ? `${aim.number}. ${inLanguage(aim.title, lang)}` : code;
  };
  const stageText = (e: AgendaEntry) => {
    const stage = t(`agenda.stage.${e.stage}`);
    const date = e.stageDates[e.stage];
    const since = date ? t("agenda.stageSince", { stage, date }) : stage;
    return e.framework ? `${since}. ${t(`agenda.entering.${e.framework}`, { version: a.frameworkVersion })}` : since;
  };
  const blocks: Block[] = [
    { kind: "paragraph", text: t("agenda.intro", { version: a.frameworkVersion }) },
    { kind: "heading", level: 1, text: t("agenda.inDevelopmentHeading") },
    { kind: "paragraph", text: t("agenda.stagesLeft") },
  ];
  if (a.entries.length === 0) blocks.push({ kind: "paragraph", text: t("agenda.noneInDevelopment") });
  else
    blocks.push({
      kind: "table",
      table: {
        id: "in-development",
        caption: t("agenda.inDevelopmentCaption", { count: a.entries.length }),
        rowHeader: "measure",
        columns: [
          { key: "measure", header: t("rights.col.measure"), kind: "text" },
          { key: "stage", header: t("agenda.col.stage"), kind: "text" },
          { key: "owner", header: t("agenda.owner"), kind: "text" },
          { key: "aims", header: t("rights.aimsServing"), kind: "text" },
          { key: "articles", header: t("rights.articlesServed"), kind: "text" },
          { key: "review", header: t("agenda.nextReview"), kind: "text" },
          { key: "what", header: t("agenda.what"), kind: "text" },
          { key: "notes", header: t("agenda.col.notes"), kind: "text" },
        ],
        rows: a.entries.map(({ measure: m, ...e }) => ({
          measure: linkCell(inLanguage(m.title, lang), `/${lang}/measures/${m.code}`),
          stage: cell(stageText({ measure: m, ...e })),
          owner: cell(e.owner ?? ""),
          aims: cell(m.coreAims.map(aimTitle).join("; ")),
          articles: cell(m.articles.join(", ")),
          review: cell(m.nextReview ?? ""),
          what: cell(inLanguage(m.layDefinition, lang)),
          notes: cell(e.notes ? inLanguage(e.notes, lang) : ""),
        })),
      },
    });
  blocks.push({ kind: "heading", level: 1, text: t("agenda.gapsHeading") });
  blocks.push({ kind: "paragraph", text: t("agenda.gapsIntro") });
  for (const kind of ["aim", "article"] as const) {
    const gaps = a.gaps.filter((g) => g.kind === kind);
    if (gaps.length === 0) {
      blocks.push({ kind: "paragraph", text: t(`agenda.noGaps.${kind}`) });
      continue;
    }
    blocks.push({
      kind: "table",
      table: textTable(
        `gaps-${kind}`,
        t(`agenda.gapsCaption.${kind}`, { count: gaps.length }),
        [
          kind === "aim" ? t("rights.col.aim") : t("rights.col.article"),
          t("rights.col.coverage"),
          t("rights.col.inDevelopment"),
        ],
        gaps.map((g) => [
          kind === "aim"
            ? `${g.number}. ${inLanguage(g.title, lang)}`
            : t("rights.articleTitle", { number: g.number, title: inLanguage(g.title, lang) }),
          t(`rights.level.${g.coverage}`),
          g.inDevelopment.map((m) => inLanguage(m.title, lang)).join("; ") || t("agenda.noneProposed"),
        ]),
      ),
    });
  }
  blocks.push({ kind: "heading", level: 1, text: t("agenda.tasksHeading") });
  if (a.tasks.length === 0) blocks.push({ kind: "paragraph", text: t("agenda.noTasks") });
  else {
    const titleOf = (code: string | null) => {
      const e = code ? a.entries.find((x) => x.measure.code === code) : undefined;
      return e ? inLanguage(e.measure.title, lang) : (code ?? "");
    };
    blocks.push({
      kind: "table",
      table: textTable(
        "tasks",
        t("agenda.tasksCaption", { count: a.tasks.length }),
        [t("agenda.col.task"), t("agenda.owner"), t("agenda.col.due"), t("agenda.col.status"), t("agenda.col.about")],
        a.tasks.map((task) => [
          inLanguage(task.title, lang),
          task.owner,
          task.dueDate ?? "",
          task.overdue ? t("agenda.taskStatus.overdue") : t(`agenda.taskStatus.${task.status}`),
          titleOf(task.measureCode),
        ]),
      ),
    });
  }
  return { lang, title: t("agenda.title"), blocks };
}
