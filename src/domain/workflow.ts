/**
 * The workflow that partnership plans, framework versions and outcome agreements share: a thing is drafted,
 * submitted for approval, returned for changes or approved, published, and later superseded by a newer version.
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published ──supersede──▶ superseded
 *     ▲                  │
 *     └──── returned ◀─return          (a returned thing is edited and submitted again)
 *
 * Pure: which transitions exist. Who may make them is decided per kind of thing (src/domain/permissions.ts and the
 * definition given to src/services/workflow.ts), which also does the change and its audit in one transaction.
 */

export const WORKFLOW_STATES = ["draft", "submitted", "returned", "approved", "published", "superseded"] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const WORKFLOW_ACTIONS = ["submit", "return", "approve", "publish", "supersede"] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** Each action: the states it may start from and the state it leads to. */
export const TRANSITIONS: Readonly<Record<WorkflowAction, { from: readonly WorkflowState[]; to: WorkflowState }>> = {
  submit: { from: ["draft", "returned"], to: "submitted" },
  return: { from: ["submitted"], to: "returned" },
  approve: { from: ["submitted"], to: "approved" },
  publish: { from: ["approved"], to: "published" },
  supersede: { from: ["published"], to: "superseded" },
};

/** The state `action` leads to from `from`, or null when the workflow has no such transition. */
export function nextState(from: WorkflowState, action: WorkflowAction): WorkflowState | null {
  const t = TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

/** The actions possible from a state (for the buttons a page offers). */
export function actionsFrom(state: WorkflowState): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(state));
}

export function isWorkflowState(value: string): value is WorkflowState {
  return (WORKFLOW_STATES as readonly string[]).includes(value);
}
