/**
 * Workflow transitions for any kind of thing that follows src/domain/workflow.ts (plans, framework versions,
 * agreements). A transition is, in one transaction: load the thing (locked), check that the workflow allows the
 * action from its state (409 otherwise) and that the user may make it (403 otherwise, and nothing is written),
 * change its state, write the audit entry (who, when, before/after, reason), and run the kind's own effects. If any
 * step fails, nothing is kept: not the state, not the audit row.
 */
import type { Db } from "../db/database.ts";
import { writeAudit } from "../db/queries/audit.ts";
import { withTransaction } from "../db/queries/transaction.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../domain/errors.ts";
import type { Principal } from "../domain/permissions.ts";
import { nextState, type WorkflowAction, type WorkflowState } from "../domain/workflow.ts";

/** Where a kind of thing keeps its state (an adapter over its table in src/db). */
export interface WorkflowStore<S, St extends string = WorkflowState> {
  /** The thing and its state, locked for update within `tx`; null when there is none. */
  load(tx: Db, key: string): Promise<{ state: St; subject: S } | null>;
  /** Sets its state within `tx`. */
  save(tx: Db, key: string, state: St): Promise<void>;
}

/**
 * A kind of thing's own states and moves, for things that do not follow the shared draft → published workflow (e.g.
 * the data development agenda's proposed → live); by default {@link nextState} of src/domain/workflow.ts.
 */
export interface Lifecycle<St extends string, A extends string> {
  next(from: St, action: A): St | null;
}

export interface WorkflowDefinition<S, St extends string = WorkflowState, A extends string = WorkflowAction> {
  /** The audit log's entity name, e.g. "plan". */
  entity: string;
  store: WorkflowStore<S, St>;
  /** Whether `user` may make `action` on `subject` (e.g. an editor of the plan's area may submit it). */
  may(action: A, user: Principal | null, subject: S): boolean;
  /** What else the transition does, within the same transaction (e.g. publishing supersedes the older version). */
  effect?(tx: Db, change: { key: string; action: A; from: St; to: St; subject: S }): Promise<void>;
  /** The kind's own states and moves (default: the shared workflow). */
  lifecycle?: Lifecycle<St, A>;
}

export interface TransitionRequest<A extends string = WorkflowAction> {
  key: string;
  action: A;
  /** The user making the change (permissions are checked against it). */
  user: (Principal & { id: number | null }) | null;
  /** Who, for the audit log: "web:ann@example.org", "cli:alice". */
  actor: string;
  reason?: string | undefined;
}

export interface TransitionResult<St extends string = WorkflowState> {
  key: string;
  from: St;
  to: St;
}

export function createWorkflow<S, St extends string = WorkflowState, A extends string = WorkflowAction>(
  db: Db,
  definition: WorkflowDefinition<S, St, A>,
) {
  const next =
    definition.lifecycle?.next ??
    ((from: St, action: A) =>
      nextState(from as unknown as WorkflowState, action as unknown as WorkflowAction) as St | null);
  return {
    async transition(request: TransitionRequest<A>): Promise<TransitionResult<St>> {
      return withTransaction(db, async (tx) => {
        const found = await definition.store.load(tx, request.key);
        if (!found) throw new NotFoundError(`there is no ${definition.entity} ${request.key}`);
        const to = next(found.state, request.action);
        if (!to) {
          throw new ConflictError(
            definition.lifecycle
              ? `a ${definition.entity} at ${found.state} cannot ${request.action} (${definition.entity} ${request.key})`
              : `a ${found.state} ${definition.entity} cannot be ${pastTense(request.action as unknown as WorkflowAction)} (${definition.entity} ${request.key})`,
            { code: "transition_not_allowed" },
          );
        }
        if (!definition.may(request.action, request.user, found.subject)) {
          throw new ForbiddenError(`may not ${request.action} ${definition.entity} ${request.key}`);
        }
        await definition.store.save(tx, request.key, to);
        await writeAudit(tx, {
          userId: request.user?.id ?? null,
          actor: request.actor,
          action: request.action,
          entity: definition.entity,
          entityKey: request.key,
          before: { state: found.state },
          after: { state: to },
          reason: request.reason,
        });
        await definition.effect?.(tx, {
          key: request.key,
          action: request.action,
          from: found.state,
          to,
          subject: found.subject,
        });
        return { key: request.key, from: found.state, to };
      });
    },
  };
}

export type Workflow<S, St extends string = WorkflowState, A extends string = WorkflowAction> = ReturnType<
  typeof createWorkflow<S, St, A>
>;

function pastTense(action: WorkflowAction): string {
  return {
    submit: "submitted",
    return: "returned",
    approve: "approved",
    publish: "published",
    supersede: "superseded",
  }[action];
}
