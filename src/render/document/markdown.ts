/**
 * Narrative text (markdown source written by partnership editors) as safe HTML: raw HTML is off (a stored `<script>`
 * shows as text), links and images are allowed only to http(s) addresses (and in-page `#` anchors), and every
 * link opens in the same tab with rel="nofollow noopener".
 */
import MarkdownIt from "markdown-it";
import type { Block } from "./index.ts";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(["image"]);
md.validateLink = (url: string) => /^(https?:\/\/|#)/i.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow noopener");
  tokens[idx]!.attrJoin("class", "govuk-link");
  return defaultLinkOpen(tokens, idx, options, env, self);
};
md.renderer.rules.paragraph_open = () => '<p class="govuk-body">';
md.renderer.rules.bullet_list_open = () => '<ul class="govuk-list govuk-list--bullet">';
md.renderer.rules.ordered_list_open = () => '<ol class="govuk-list govuk-list--number">';

/** Markdown source to HTML, safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/**
 * Markdown source as document blocks (for a DOCX): paragraphs, bullet and numbered lists (as lists) and headings (as
 * level-3 headings under the section's own), with inline formatting reduced to its text and a link written as
 * "text (address)". Raw HTML stays text, as on the page.
 */
export function markdownBlocks(source: string): Block[] {
  const tokens = md.parse(source, {});
  const blocks: Block[] = [];
  let list: string[] | null = null;
  let heading = false;
  for (const token of tokens) {
    if (token.type === "bullet_list_open" || token.type === "ordered_list_open") list = [];
    else if ((token.type === "bullet_list_close" || token.type === "ordered_list_close") && list) {
      blocks.push({ kind: "list", items: list });
      list = null;
    } else if (token.type === "heading_open") heading = true;
    else if (token.type === "heading_close") heading = false;
    else if (token.type === "inline") {
      const text = inlineText(token.children ?? []);
      if (list) list.push(text);
      else if (heading) blocks.push({ kind: "heading", level: 3, text });
      else blocks.push({ kind: "paragraph", text });
    } else if (token.type === "fence" || token.type === "code_block") {
      blocks.push({ kind: "paragraph", text: token.content.replace(/\n$/, "") });
    }
  }
  return blocks;
}

type Token = ReturnType<typeof md.parse>[number];

function inlineText(children: readonly Token[]): string {
  let text = "";
  let href: string | null = null;
  for (const c of children) {
    if (c.type === "link_open") href = String(c.attrGet("href") ?? "") || null;
    else if (c.type === "link_close") {
      if (href && !text.endsWith(href)) text += ` (${href})`;
      href = null;
    } else if (c.type === "softbreak" || c.type === "hardbreak") text += " ";
    else if (c.type === "text" || c.type === "code_inline") text += c.content;
  }
  return text;
}
