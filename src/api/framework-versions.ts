/**
 * GET /frameworks/{code}/versions/{version}/diff: what changed in a framework version (issue 15), from the version
 * before it or from `?from=`: measures added, retired and redefined field by field, breaks in series and groups
 * changed. Published and superseded versions only (drafts are not public). For the first version (and no `from`),
 * `from` is null and every measure and group is listed as added.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { FrameworkDiff } from "../domain/framework-diff.ts";
import { MEASURE_FIELDS } from "../domain/framework-diff.ts";
import { notFound } from "./errors.ts";
import { parseQuery } from "./query.ts";
import { sendJson } from "./respond.ts";
import { Text } from "./responses.ts";
import { text } from "./serialise.ts";

export const diffQuery = z.strictObject({
  from: z.string().max(40).optional().meta({ description: "The version to compare with (default: the one before)" }),
});

const fieldNames = MEASURE_FIELDS.map(([f]) => f) as [string, ...string[]];
const measureRef = { code: z.string(), title: Text, status: z.string(), tier: z.string() };
const FieldChange = z.object({
  field: z.enum(fieldNames),
  kind: z.enum(["text", "list", "value"]),
  before: z.unknown().meta({ description: "The value in the older version (text fields: { en, cy })" }),
  after: z.unknown().meta({ description: "The value in the newer version" }),
});

export const FrameworkDiffBody = z
  .object({
    code: z.string(),
    from: z.string().nullable().meta({ description: "The older version; null for the first version" }),
    to: z.string(),
    added: z.array(z.object({ ...measureRef, replaces: z.string().nullable() })),
    retired: z.array(z.object({ ...measureRef, replacedBy: z.array(z.string()), dropped: z.boolean() })),
    redefined: z.array(z.object({ ...measureRef, changes: z.array(FieldChange), affectsSeries: z.boolean() })),
    breaks: z.array(
      z.object({ code: z.string(), title: Text, note: z.string().nullable(), replaces: z.string().nullable() }),
    ),
    groups: z.object({
      added: z.array(z.object({ code: z.string(), coreAim: z.string(), title: Text })),
      removed: z.array(z.object({ code: z.string(), coreAim: z.string(), title: Text })),
      changed: z.array(
        z.object({
          code: z.string(),
          title: Text,
          changes: z.array(
            z.object({ field: z.enum(["title", "coreAim", "description"]), before: z.unknown(), after: z.unknown() }),
          ),
        }),
      ),
    }),
  })
  .meta({ id: "FrameworkDiff" });

/** Bilingual values as the API gives text ({ en, cy } with cy null when missing). */
function apiValue(kind: string, value: unknown): unknown {
  return kind === "text" ? text(value as Parameters<typeof text>[0]) : (value ?? null);
}

export function serialiseDiff(code: string, d: FrameworkDiff): z.infer<typeof FrameworkDiffBody> {
  const ref = (m: { code: string; title: Parameters<typeof text>[0]; status: string; tier: string }) => ({
    code: m.code,
    title: text(m.title)!,
    status: m.status,
    tier: m.tier,
  });
  const group = (g: FrameworkDiff["groups"]["added"][number]) => ({
    code: g.code,
    coreAim: g.coreAim,
    title: text(g.title)!,
  });
  return {
    code,
    from: d.from || null,
    to: d.to,
    added: d.added.map((m) => ({ ...ref(m), replaces: m.replaces })),
    retired: d.retired.map((m) => ({ ...ref(m), replacedBy: m.replacedBy, dropped: m.dropped })),
    redefined: d.redefined.map((m) => ({
      ...ref(m),
      affectsSeries: m.affectsSeries,
      changes: m.changes.map((c) => ({
        field: c.field,
        kind: c.kind,
        before: apiValue(c.kind, c.before),
        after: apiValue(c.kind, c.after),
      })),
    })),
    breaks: d.breaks.map((b) => ({ code: b.code, title: text(b.title)!, note: b.note, replaces: b.replaces })),
    groups: {
      added: d.groups.added.map(group),
      removed: d.groups.removed.map(group),
      changed: d.groups.changed.map((g) => ({
        code: g.code,
        title: text(g.title)!,
        changes: g.changes.map((c) => ({
          field: c.field,
          before: apiValue(c.field === "coreAim" ? "value" : "text", c.before),
          after: apiValue(c.field === "coreAim" ? "value" : "text", c.after),
        })),
      })),
    },
  };
}

export async function frameworkVersionApi(app: FastifyInstance): Promise<void> {
  app.get("/frameworks/:code/versions/:version/diff", async (request, reply) => {
    const q = parseQuery(diffQuery, request.query);
    const { code, version } = request.params as { code: string; version: string };
    const versions = await app.services.frameworkVersions.list(null);
    if (!versions.some((v) => v.code === code))
      throw notFound(`No framework with code "${code}"; see /api/v1/frameworks`);
    for (const v of [version, q.from]) {
      if (v !== undefined && !versions.some((x) => x.version === v))
        throw notFound(`Framework ${code} has no published version "${v}"; see /api/v1/frameworks/${code}`);
    }
    const fv = app.services.frameworkVersions;
    const diff = (await fv.diff(null, version, q.from)) ?? (await fv.contents(null, version));
    return sendJson(request, reply, { data: serialiseDiff(code, diff) });
  });
}
