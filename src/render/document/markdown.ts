/**
 * Narrative text (markdown source written by partnership editors) as safe HTML: raw HTML is off (a stored `<script>`
 * shows as text), links and images are allowed only to http(s) addresses (and in-page `#` anchors), and every
 * link opens in the same tab with rel="nofollow noopener".
 */
import MarkdownIt from "markdown-it";

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
