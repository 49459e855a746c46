/**
 * A guide written in markdown in docs/ (our own text, not user input) as a page body in the GOV.UK style: headings
 * with ids (so "#disclosure-control" links work), tables that scroll in their own box on a narrow screen, code in
 * a box that scrolls, links to the guide's example files rewritten to where the site serves them, and links to other
 * documents of the repository shown as their text (the site does not serve them).
 */
import MarkdownIt from "markdown-it";

type Token = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>[number];

/** The id a heading gets: its text in lower case, words joined by hyphens (as GitHub makes them). */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
}

const HEADING_CLASS: Record<string, string> = {
  h1: "govuk-heading-xl",
  h2: "govuk-heading-l",
  h3: "govuk-heading-m",
  h4: "govuk-heading-s",
};

/**
 * Renders the guide. `exampleHref` gives the address of an example file named in a link "examples/NAME" (or null
 * when it is not served, and the link is shown as text).
 */
export function renderGuide(source: string, exampleHref: (name: string) => string | null): string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.validateLink = () => true;
  const rules = md.renderer.rules;
  const hrefOf = (url: string): string | null => {
    if (/^https?:\/\//i.test(url) || url.startsWith("#")) return url;
    const m = /^examples\/([\w.-]+)$/.exec(url);
    return m ? exampleHref(m[1]!) : null;
  };
  // a link the site cannot serve is its text alone: its opening and closing tags are dropped together
  const dropped = new WeakSet<Token>();
  rules.link_open = (tokens, idx) => {
    const token = tokens[idx]!;
    const href = hrefOf(String(token.attrGet("href") ?? ""));
    if (href === null) {
      let depth = 0;
      for (let j = idx + 1; j < tokens.length; j++) {
        if (tokens[j]!.type === "link_open") depth++;
        if (tokens[j]!.type === "link_close" && depth-- === 0) {
          dropped.add(tokens[j]!);
          break;
        }
      }
      return "";
    }
    return `<a class="govuk-link" href="${md.utils.escapeHtml(href)}">`;
  };
  rules.link_close = (tokens, idx) => (dropped.has(tokens[idx]!) ? "" : "</a>");
  // a table's scroll box is named by the heading above it
  let lastHeading = "";
  rules.heading_open = (tokens, idx) => {
    const tag = tokens[idx]!.tag;
    const text = tokens[idx + 1]?.content ?? "";
    lastHeading = text.replaceAll("`", "");
    return `<${tag} class="${HEADING_CLASS[tag] ?? "govuk-heading-s"}" id="${md.utils.escapeHtml(headingId(text))}">`;
  };
  rules.paragraph_open = () => '<p class="govuk-body">';
  rules.bullet_list_open = () => '<ul class="govuk-list govuk-list--bullet">';
  rules.ordered_list_open = () => '<ol class="govuk-list govuk-list--number">';
  rules.table_open = () =>
    `<div class="omf-table-scroll" tabindex="0" role="region" aria-label="${md.utils.escapeHtml(lastHeading)}"><table class="govuk-table">`;
  rules.table_close = () => "</table></div>";
  rules.thead_open = () => '<thead class="govuk-table__head">';
  rules.tbody_open = () => '<tbody class="govuk-table__body">';
  rules.tr_open = () => '<tr class="govuk-table__row">';
  rules.th_open = () => '<th scope="col" class="govuk-table__header">';
  rules.td_open = () => '<td class="govuk-table__cell">';
  const fence = (content: string) =>
    `<pre class="omf-code" tabindex="0"><code>${md.utils.escapeHtml(content)}</code></pre>\n`;
  rules.fence = (tokens, idx) => fence(tokens[idx]!.content);
  rules.code_block = (tokens, idx) => fence(tokens[idx]!.content);
  return md.render(source);
}
