/**
 * Versions of the framework (issue 15): a new version is imported as a draft (a copy of the previous version with
 * the file's changes, not live), then submitted, approved and published through the shared workflow
 * (src/services/workflow.ts), each step with its audit entry. Publishing makes the version current and supersedes
 * the version published before it; earlier versions stay readable, with the readable diff between any version and
 * the one before it (src/domain/framework-diff.ts). Drafts are seen only by those who may see drafts.
 */
import type { Db } from "../db/database.ts";
import { writeAudit } from "../db/queries/audit.ts";
import type { FrameworkRow } from "../db/queries/framework.ts";
import {
  listFrameworkVersions,
  lockFrameworkVersion,
  otherPublishedVersions,
  setFrameworkState,
} from "../db/queries/framework-versions.ts";
import { NotFoundError } from "../domain/errors.ts";
import { diffFrameworks, type FrameworkDiff, type FrameworkSnapshot } from "../domain/framework-diff.ts";
import { type Principal, permissions } from "../domain/permissions.ts";
import { actionsFrom, isWorkflowState, type WorkflowAction, type WorkflowState } from "../domain/workflow.ts";
import type { FrameworkFile } from "../ingest/framework/framework-file-schema.ts";
import type { FrameworkService, FrameworkView } from "./framework-service.ts";
import { type ImportFrameworkResult, importFramework } from "./import-framework.ts";
import { createWorkflow } from "./workflow.ts";

/** Who acts: the user (permissions are checked against it; null for the public) and their name for the audit log. */
export interface FrameworkActor {
  user: (Principal & { id: number | null }) | null;
  /** "web:ann@example.org", "cli". */
  name: string;
}

/** The steps people take on a framework version (superseding happens when a newer one is published). */
export const FRAMEWORK_ACTIONS = ["submit", "return", "approve", "publish"] as const;
export type FrameworkAction = (typeof FRAMEWORK_ACTIONS)[number];

export interface FrameworkVersionSummary {
  id: number;
  code: string;
  version: string;
  title: FrameworkRow["title"];
  state: WorkflowState;
  publishedDate: string | null;
  createdAt: Date;
  /** Whether it is the version the site shows. */
  current: boolean;
}

/** A version's state in the workflow ("retired" in an older content file reads as superseded). */
export function versionState(row: Pick<FrameworkRow, "status">): WorkflowState {
  return isWorkflowState(row.status) ? row.status : "superseded";
}

/** A framework version's content as the diff compares it: the national measures (not partnerships' local ones). */
export function frameworkSnapshot(view: FrameworkView): FrameworkSnapshot {
  return {
    version: view.framework.version,
    groups: view.aims
      .flatMap((a) => a.groups.map((g) => g.group))
      .map((g) => ({ code: g.code, coreAim: g.coreAimCode, title: g.title, description: g.description })),
    measures: view.measures
      .filter((m) => m.localAreaCode === null)
      .map((m) => ({
        ...m,
        group: m.group?.code ?? null,
        coreAims: m.coreAims,
        articles: m.articles,
        // "nsi:EDU/002i", as the API's ?reference= takes them
        crossReferences: (m.crossReferences ?? []).map((r) => `${r.framework}:${r.code}`),
      })),
  };
}

const todayIso = () => new Date().toISOString().slice(0, 10);

export function createFrameworkVersions(deps: {
  db: Db;
  framework: FrameworkService;
  /** Called after a version is published (cached pages name the version they show). */
  onPublished?: () => void;
}) {
  const { db, framework } = deps;

  /** The code of the framework whose versions these are (the current framework's). */
  async function frameworkCode(): Promise<string> {
    const current = await framework.current();
    if (!current) throw new NotFoundError("there is no framework yet");
    return current.framework.code;
  }

  async function summaries(): Promise<FrameworkVersionSummary[]> {
    const current = await framework.current();
    if (!current) return [];
    const rows = await listFrameworkVersions(db, current.framework.code);
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      version: r.version,
      title: r.title,
      state: versionState(r),
      publishedDate: r.publishedDate,
      createdAt: r.createdAt,
      current: r.id === current.framework.id,
    }));
  }

  /** Whether `user` may see a version in `state` (drafts and versions under review: those who may see drafts). */
  const mayRead = (user: FrameworkActor["user"], state: WorkflowState) =>
    state === "published" || state === "superseded" || permissions.canViewDrafts(user);

  async function find(user: FrameworkActor["user"], version: string): Promise<FrameworkVersionSummary> {
    const all = await summaries();
    const found = all.find((v) => v.version === version);
    if (!found || !mayRead(user, found.state)) throw new NotFoundError(`there is no framework version ${version}`);
    return found;
  }

  async function snapshotOf(id: number): Promise<FrameworkSnapshot> {
    const view = await framework.version(id);
    if (!view) throw new NotFoundError(`there is no framework version with id ${id}`);
    return frameworkSnapshot(view);
  }

  return {
    /** The versions `user` may see, oldest first. */
    async list(user: FrameworkActor["user"]): Promise<FrameworkVersionSummary[]> {
      return (await summaries()).filter((v) => mayRead(user, v.state));
    },

    /** One version (404 for a draft to who may not see drafts). */
    get: find,

    /** The version's full content (aims, groups, measures) as the framework pages show it. */
    async view(user: FrameworkActor["user"], version: string): Promise<FrameworkView> {
      const v = await find(user, version);
      const view = await framework.version(v.id);
      if (!view) throw new NotFoundError(`there is no framework version ${version}`);
      return view;
    },

    /** The version's id by its label (for plans pinned to it), or null. */
    async idOf(version: string): Promise<number | null> {
      return (await summaries()).find((v) => v.version === version)?.id ?? null;
    },

    /**
     * The readable difference between version `from` (by default the version before `version`) and `version`;
     * null when `version` is the first and no `from` is given.
     */
    async diff(user: FrameworkActor["user"], version: string, from?: string): Promise<FrameworkDiff | null> {
      const to = await find(user, version);
      const all = (await summaries()).filter((v) => mayRead(user, v.state));
      const base = from !== undefined ? await find(user, from) : all[all.findIndex((v) => v.id === to.id) - 1];
      if (!base) return null;
      return diffFrameworks(await snapshotOf(base.id), await snapshotOf(to.id));
    },

    /** Everything in `version` as if added to an empty framework (what the first version brought). */
    async contents(user: FrameworkActor["user"], version: string): Promise<FrameworkDiff> {
      const v = await find(user, version);
      return diffFrameworks({ version: "", groups: [], measures: [] }, await snapshotOf(v.id));
    },

    /** The diff between two versions by id (for a plan's migration report, checked by the plans service). */
    async diffById(fromId: number, toId: number): Promise<FrameworkDiff> {
      return diffFrameworks(await snapshotOf(fromId), await snapshotOf(toId));
    },

    /** The steps `user` may take on a version now. */
    actions(user: FrameworkActor["user"], v: Pick<FrameworkVersionSummary, "state">): FrameworkAction[] {
      if (!permissions.canManageFramework(user)) return [];
      return actionsFrom(v.state).filter((a): a is FrameworkAction => a !== "supersede");
    },

    /**
     * Imports a framework content file: a version not yet in the database is started as a draft (a copy of the
     * previous version with the file's changes); the first version of a framework takes the file's status.
     */
    async importFile(content: FrameworkFile, actor: { userId?: number; name: string }): Promise<ImportFrameworkResult> {
      const result = await importFramework(db, content, actor);
      framework.invalidate();
      return result;
    },

    /** Takes a workflow step on a version; publishing makes it current and supersedes the version before it. */
    async act(
      actor: FrameworkActor,
      version: string,
      action: FrameworkAction,
      reason?: string,
    ): Promise<{ from: WorkflowState; to: WorkflowState }> {
      const code = await frameworkCode();
      const workflow = createWorkflow<FrameworkRow>(db, {
        entity: "framework",
        store: {
          async load(tx) {
            const row = await lockFrameworkVersion(tx, code, version);
            return row ? { state: versionState(row), subject: row } : null;
          },
          save: (tx, _key, state) =>
            lockFrameworkVersion(tx, code, version).then((row) =>
              setFrameworkState(tx, row!.id, state, state === "published" ? todayIso() : undefined),
            ),
        },
        may: (a: WorkflowAction, user) => a !== "supersede" && permissions.canManageFramework(user),
        async effect(tx, change) {
          if (change.to !== "published") return;
          for (const older of await otherPublishedVersions(tx, code, change.subject.id)) {
            await setFrameworkState(tx, older.id, "superseded");
            await writeAudit(tx, {
              userId: actor.user?.id ?? null,
              actor: actor.name,
              action: "supersede",
              entity: "framework",
              entityKey: `${code}/${older.version}`,
              before: { state: older.status },
              after: { state: "superseded", by: version },
            });
          }
        },
      });
      try {
        const r = await workflow.transition({
          key: `${code}/${version}`,
          action,
          user: actor.user,
          actor: actor.name,
          reason,
        });
        return { from: r.from, to: r.to };
      } finally {
        framework.invalidate();
        if (action === "publish") deps.onPublished?.();
      }
    },
  };
}

export type FrameworkVersions = ReturnType<typeof createFrameworkVersions>;
