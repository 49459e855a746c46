/**
 * What each role may do: the one place permissions are decided. Route guards (src/web/guards.ts), the API and the
 * workflow transitions (src/services/workflow.ts) all ask here. Public visitors (no user) may only read published
 * data.
 */
import type { Role } from "./enums.ts";

/** The parts of a user that permissions look at. */
export interface Principal {
  role: Role;
  areaCodes: readonly string[];
}

/** Roles that manage data: upload, publish, roll back, see the revision history. */
export const DATA_MANAGERS: readonly Role[] = ["national_admin", "national_analyst"];

export const permissions = {
  canViewDrafts: (user: Pick<Principal, "role"> | null) =>
    user !== null && user.role !== "viewer" && user.role !== "partnership_editor",
  canManageData: (user: Pick<Principal, "role"> | null) => user !== null && DATA_MANAGERS.includes(user.role),
  canManageUsers: (user: Pick<Principal, "role"> | null) => user?.role === "national_admin",
  /** Partnership editors edit only their own areas; national administrators edit all. */
  canEditArea: (user: Pick<Principal, "role" | "areaCodes"> | null, areaCode: string) =>
    user?.role === "national_admin" ||
    (user?.role === "partnership_editor" && user.areaCodes.includes(areaCode.toUpperCase())),
  /** National reviewers return, approve and publish partnership plans. */
  canReviewPlans: (user: Pick<Principal, "role"> | null) =>
    user?.role === "national_admin" || user?.role === "national_analyst",
  /** National administrators and analysts import, submit, approve and publish framework versions. */
  canManageFramework: (user: Pick<Principal, "role"> | null) => user !== null && DATA_MANAGERS.includes(user.role),
};

/** Whether the user has one of the roles. */
export function hasRole(user: Pick<Principal, "role"> | null, roles: readonly Role[]): boolean {
  return user !== null && roles.includes(user.role);
}
