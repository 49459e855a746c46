/**
 * Wording in the reader's language. The strings themselves are the locale files (src/web/locales/en|cy, loaded by
 * src/web/i18n.ts); what renders text (tables, documents, charts' labels) takes a {@link Translate} for the page or
 * document language, so it works the same for a page, a download and a DOCX export.
 */
export type Translate = (key: string, params?: Record<string, string | number>) => string;
