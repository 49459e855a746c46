/**
 * The audit log for national analysts and administrators (issue 14), under /en and /cy: GET /audit lists every
 * recorded action on plans and data, newest first, a page at a time (keyset pagination: "newer" and "older" links),
 * filtered by partnership, user, kind and dates (UTC) from a GET form; GET /audit.csv streams every entry the same
 * filters match, headed in the page language. Read-only: no route changes or deletes an entry (and the database
 * refuses to). Others get 403; the public is sent to sign in. Nothing here is cached.
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AuditRecord } from "../../domain/audit.ts";
import { DATA_MANAGERS } from "../../domain/permissions.ts";
import { compareByLang } from "../../domain/welsh-collation.ts";
import { csvChunks } from "../../render/tables/csv.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { areaName, sortAreas } from "../../services/public/area-directory.ts";
import { requireRole } from "../guards.ts";
import { pick } from "../i18n.ts";
import {
  type AuditChoices,
  auditCsvColumns,
  auditCsvRow,
  auditRows,
  auditUrl,
  kindName,
  NO_ACCOUNT,
  parseAuditQuery,
} from "../pages/audit-view.ts";
import { pageLanguage } from "../pages/page-kit.ts";

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const guard = { preHandler: requireRole(DATA_MANAGERS) };

  /** What the filters may name, in the page language. */
  async function choicesOf(request: FastifyRequest) {
    const { lang } = pageLanguage(request);
    const [dir, users, kinds] = await Promise.all([
      app.services.publicViews.areas(),
      app.services.accounts.list(),
      app.services.audit.kinds(),
    ]);
    const partnerships = new Map(sortAreas(dir.localAuthorities, lang).map((a) => [a.code, areaName(a, lang)]));
    return {
      partnerships,
      users: new Map(users.map((u) => [u.id, u.email])),
      kinds,
    } satisfies AuditChoices;
  }

  app.get("/audit", guard, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const choices = await choicesOf(request);
    const q = parseAuditQuery(request.query, choices);
    const selected = (value: string, chosen: string) => value === chosen;
    const cmp = compareByLang(lang);
    const form = {
      partnerships: [
        { value: "", text: t("audit.any") },
        ...[...choices.partnerships].map(([code, name]) => ({
          value: code,
          text: name,
          selected: selected(code, q.values.partnership.toUpperCase()),
        })),
      ],
      users: [
        { value: "", text: t("audit.any") },
        { value: NO_ACCOUNT, text: t("audit.noAccount"), selected: q.values.user === NO_ACCOUNT },
        ...[...choices.users].map(([id, email]) => ({
          value: String(id),
          text: email,
          selected: selected(String(id), q.values.user),
        })),
      ],
      kinds: [
        { value: "", text: t("audit.any") },
        ...choices.kinds
          .map((k) => ({ value: k, text: kindName(t, k), selected: selected(k, q.values.kind) }))
          .sort((a, b) => cmp(a.text, b.text)),
      ],
    };
    reply.header("cache-control", "no-store");
    if (!q.ok) {
      const hidden = t("errors.prefix").replace(":", "");
      return reply.code(400).render("audit/log.njk", {
        form,
        values: q.values,
        errors: q.errors.map((e) => ({ text: t(e.key), href: `#${e.field}` })),
        fieldErrors: Object.fromEntries(q.errors.map((e) => [e.field, { text: t(e.key), visuallyHiddenText: hidden }])),
      });
    }
    const page = await app.services.audit.page(q.filter, { before: q.before, after: q.after });
    const framework = await app.services.framework.current();
    const measures = new Map((framework?.measures ?? []).map((m) => [m.code, pick(m.title, lang).text]));
    const rows = auditRows(t, lang, page.records, choices.partnerships, measures);
    const first = page.records[0];
    const lastRecord = page.records.at(-1);
    return reply.render("audit/log.njk", {
      form,
      values: q.values,
      rows,
      filtered: Object.values(q.values).some(Boolean),
      links: {
        newer: page.newer && first ? auditUrl(lang, q.values, { after: first.id }) : null,
        older: page.older && lastRecord ? auditUrl(lang, q.values, { before: lastRecord.id }) : null,
        newest: q.before !== undefined || q.after !== undefined ? auditUrl(lang, q.values) : null,
        csv: auditUrl(lang, q.values, { csv: true }),
      },
    });
  });

  app.get("/audit.csv", guard, async (request, reply) => {
    const { t } = pageLanguage(request);
    const choices = await choicesOf(request);
    const q = parseAuditQuery(request.query, choices);
    if (!q.ok) {
      return reply
        .code(400)
        .header("cache-control", "no-store")
        .type("text/plain; charset=utf-8")
        .send(q.errors.map((e) => t(e.key)).join("\n"));
    }
    const rows = async function* (): AsyncGenerator<Record<string, string | number | null>[]> {
      for await (const batch of app.services.audit.all(q.filter))
        yield batch.map((r: AuditRecord) => auditCsvRow(t, r, choices.partnerships));
    };
    const fileName = `${t("audit.fileName")}-${new Date().toISOString().slice(0, 10)}`;
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", attachment(fileName, "csv"))
      .type("text/csv; charset=utf-8")
      .send(Readable.from(csvChunks(auditCsvColumns(t), rows())));
  });
}
