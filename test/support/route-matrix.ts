/**
 * The authorisation matrix (issue 19): what each role gets from every route of the app. test/web/authorisation-matrix
 * enumerates the routes of the running app and fails on any route not declared here, so a new route cannot be missed:
 * declare it with one line, `"METHOD /path": PROFILE`, page routes once as `/:lang/...` (checked in English and Welsh).
 *
 * The roles: `public` (signed out, no token), `viewer`, `editorA` (partnership editor of area A, which holds the
 * resources every path is filled with: a draft plan and an agreement), `editorB` (partnership editor of another area,
 * acting on A's resources), `analyst` (national analyst) and `admin` (national administrator). Signed-in roles use
 * their session on pages and an API token of their own on the API.
 *
 * What each may get: `ok` (allowed: 2xx, 3xx other than to sign-in, or a 400/409/413 refusal of the request's content
 * or of the resource's state, i.e. the guard let it through), `signin` (sent to sign in: 303 to /:lang/sign-in),
 * `forbidden` (403), `hidden` (404: a draft is not found for who may not see it) or `unauthorised` (401: the API
 * without a valid token).
 */
export const ROLES = ["public", "viewer", "editorA", "editorB", "analyst", "admin"] as const;
export type MatrixRole = (typeof ROLES)[number];
export type Outcome = "ok" | "signin" | "forbidden" | "hidden" | "unauthorised";
export type Profile = Readonly<Record<MatrixRole, Outcome>>;

/** Everyone, signed in or not. */
const ANYONE: Profile = { public: "ok", viewer: "ok", editorA: "ok", editorB: "ok", analyst: "ok", admin: "ok" };
/** Data management (upload, batches, value history, moderation): national administrators and analysts. */
const DATA_MANAGERS: Profile = {
  public: "signin",
  viewer: "forbidden",
  editorA: "forbidden",
  editorB: "forbidden",
  analyst: "ok",
  admin: "ok",
};
/** Editing an area's plan or agreement: its partnership editors and national administrators. */
const AREA_EDITORS: Profile = { ...DATA_MANAGERS, editorA: "ok", analyst: "forbidden" };
/** Reviewing an area's plan: its partnership editors and the national reviewers. */
const AREA_REVIEWERS: Profile = { ...DATA_MANAGERS, editorA: "ok" };
/** Starting a plan: partnership editors (for their own areas, checked on the form) and national administrators. */
const PLAN_STARTERS: Profile = { ...AREA_EDITORS, editorB: "ok" };
/** Reading area A's draft plan: not found for the public, viewers and other areas' editors. */
const DRAFT_READERS: Profile = { ...AREA_REVIEWERS, public: "hidden", viewer: "hidden", editorB: "hidden" };
/** Anyone signed in (their own work). */
const SIGNED_IN: Profile = { ...ANYONE, public: "signin" };
/** The API's import endpoint: a token of a data manager. */
const API_IMPORTERS: Profile = { ...DATA_MANAGERS, public: "unauthorised" };

/** Every route of the app, by method and path as registered (page routes under `/:lang`). */
export const ROUTE_EXPECTATIONS: Readonly<Record<string, Profile>> = {
  "GET /": ANYONE,
  "GET /health": ANYONE,
  "GET /ready": ANYONE,
  "GET /favicon.ico": ANYONE,
  "GET /assets/*": ANYONE,
  "GET /govuk/*": ANYONE,
  "GET /static/*": ANYONE,
  "GET /govuk/govuk-frontend.min.css": ANYONE,
  // the open data API
  "GET /api/v1": ANYONE,
  "OPTIONS /api/v1/*": ANYONE,
  "GET /api/v1/openapi.json": ANYONE,
  "GET /api/v1/agreements": ANYONE,
  "GET /api/v1/agreements/:area/:period": ANYONE,
  "GET /api/v1/frameworks": ANYONE,
  "GET /api/v1/frameworks/:code": ANYONE,
  "GET /api/v1/frameworks/:code/versions/:version/diff": ANYONE,
  "GET /api/v1/core-aims": ANYONE,
  "GET /api/v1/core-aims/:code": ANYONE,
  "GET /api/v1/measures": ANYONE,
  "GET /api/v1/measures/:code": ANYONE,
  "GET /api/v1/areas": ANYONE,
  "GET /api/v1/areas/:code": ANYONE,
  "GET /api/v1/periods": ANYONE,
  "GET /api/v1/data": ANYONE,
  "GET /api/v1/data.csv": ANYONE,
  "GET /api/v1/analysis": ANYONE,
  "GET /api/v1/analysis.csv": ANYONE,
  "GET /api/v1/analysis/gaps": ANYONE,
  "GET /api/v1/analysis/compare": ANYONE,
  "GET /api/v1/analysis/summary": ANYONE,
  "GET /api/v1/plans": ANYONE,
  "GET /api/v1/plans/:area/:period": ANYONE,
  "GET /api/v1/plans/:area/:period/versions": ANYONE,
  "GET /api/v1/plans/:area/:period/versions/:version": ANYONE,
  "POST /api/v1/imports": API_IMPORTERS,
  // public pages
  "GET /:lang": ANYONE,
  "GET /:lang/framework": ANYONE,
  "GET /:lang/aims/:code": ANYONE,
  "GET /:lang/areas": ANYONE,
  "GET /:lang/areas/:code": ANYONE,
  "GET /:lang/areas/:code/download": ANYONE,
  "GET /:lang/api": ANYONE,
  "GET /:lang/measures": ANYONE,
  "GET /:lang/measures/download": ANYONE,
  "GET /:lang/measures/:code": ANYONE,
  "GET /:lang/measures/:code/download": ANYONE,
  "GET /:lang/map": ANYONE,
  "GET /:lang/overview": ANYONE,
  "GET /:lang/compare": ANYONE,
  "GET /:lang/dashboard": ANYONE,
  "GET /:lang/data-format": ANYONE,
  "GET /:lang/data-format/examples/:name": ANYONE,
  "GET /:lang/reports/rights": ANYONE,
  "GET /:lang/reports/rights.docx": ANYONE,
  "GET /:lang/reports/rights/download": ANYONE,
  "GET /:lang/reports/data-development": ANYONE,
  "GET /:lang/framework/versions": ANYONE,
  "GET /:lang/framework/versions/:version": ANYONE,
  "GET /:lang/framework/versions/:version/diff": ANYONE,
  "POST /:lang/framework/versions/:version/workflow": DATA_MANAGERS,
  "GET /:lang/reports/data-development/manage": DATA_MANAGERS,
  "POST /:lang/reports/data-development/measures/:code/stage": { ...DATA_MANAGERS, public: "forbidden" },
  "POST /:lang/reports/data-development/measures/:code": { ...DATA_MANAGERS, public: "forbidden" },
  "POST /:lang/reports/data-development/tasks": { ...DATA_MANAGERS, public: "forbidden" },
  // signing in and out
  "GET /:lang/sign-in": ANYONE,
  "POST /:lang/sign-in": ANYONE,
  "POST /:lang/sign-out": { ...ANYONE, public: "forbidden" },
  // data management
  "GET /:lang/data/import": DATA_MANAGERS,
  "POST /:lang/data/import": DATA_MANAGERS,
  "GET /:lang/data/import/:id": DATA_MANAGERS,
  "GET /:lang/data/import/:id/problems.csv": DATA_MANAGERS,
  "POST /:lang/data/import/:id/confirm": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/data/batches": DATA_MANAGERS,
  "POST /:lang/data/batches/:id/publish": { ...DATA_MANAGERS, public: "forbidden" },
  "POST /:lang/data/batches/:id/rollback": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/data/history": DATA_MANAGERS,
  "GET /:lang/data/history.csv": DATA_MANAGERS,
  // outcome agreements
  "GET /:lang/agreements": ANYONE,
  "GET /:lang/agreements/:area/:period": ANYONE,
  "GET /:lang/agreements/:area/:period/assess": AREA_EDITORS,
  "POST /:lang/agreements/:area/:period/assess": { ...AREA_EDITORS, public: "forbidden" },
  "GET /:lang/agreements/:area/:period/moderate": DATA_MANAGERS,
  "POST /:lang/agreements/:area/:period/moderate": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/agreements/download": ANYONE,
  "GET /:lang/agreements/:area/:period/download": ANYONE,
  "GET /:lang/agreements/:area/:period/assessment.docx": ANYONE,
  "GET /:lang/agreements/new": DATA_MANAGERS,
  "GET /:lang/agreements/schemes": { ...DATA_MANAGERS, analyst: "forbidden" },
  "GET /:lang/agreements/schemes/:code": { ...DATA_MANAGERS, analyst: "forbidden" },
  "POST /:lang/agreements/schemes/:code": { ...DATA_MANAGERS, analyst: "forbidden", public: "forbidden" },
  "GET /:lang/agreements/:area/:period/judge": DATA_MANAGERS,
  "POST /:lang/agreements/:area/:period/judge": { ...DATA_MANAGERS, public: "forbidden" },
  "POST /:lang/agreements/new": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/agreements/:area/:period/outcomes": DATA_MANAGERS,
  "POST /:lang/agreements/:area/:period/outcomes": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/agreements/:area/:period/agree": DATA_MANAGERS,
  "POST /:lang/agreements/:area/:period/agree": { ...DATA_MANAGERS, public: "forbidden" },
  "GET /:lang/agreements/:area/:period/vary": DATA_MANAGERS,
  "POST /:lang/agreements/:area/:period/vary": { ...DATA_MANAGERS, public: "forbidden" },
  "POST /:lang/agreements/:area/:period/publish": { ...DATA_MANAGERS, analyst: "forbidden", public: "forbidden" },
  // partnership plans: public pages (area A's plan is a draft)
  "GET /:lang/plans": ANYONE,
  "GET /:lang/plans/choices": ANYONE,
  "GET /:lang/plans/choices/:code": ANYONE,
  "GET /:lang/plans/engagement": ANYONE,
  "GET /:lang/plans/:area/:period": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/engagement": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/measures/:code": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/programmes/:code": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/programmes/:code/measures/:pm": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/plan.docx": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/compare": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/versions/:version": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/versions/:version/measures/:code": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/versions/:version/plan.docx": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/versions/:version/programmes/:code": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/versions/:version/programmes/:code/measures/:pm": DRAFT_READERS,
  "GET /:lang/plans/:area/:period/new-version": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/new-version": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/edit/framework": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/framework": AREA_EDITORS,
  // national roles' audit log; everyone's own work
  "GET /:lang/audit": DATA_MANAGERS,
  "GET /:lang/audit.csv": DATA_MANAGERS,
  "GET /:lang/my-work": SIGNED_IN,
  // partnership plans: review and editing
  "GET /:lang/plans/:area/:period/review": AREA_REVIEWERS,
  "POST /:lang/plans/:area/:period/review": AREA_REVIEWERS,
  "GET /:lang/plans/new": PLAN_STARTERS,
  "POST /:lang/plans/new": PLAN_STARTERS,
  "GET /:lang/plans/:area/:period/edit": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/edit/history": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/priorities": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/edit/priorities/:id": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/priorities/:id": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/priorities/:id/remove": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/programmes": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/measures": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/edit/local-measure": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/edit/local-measure": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/measures/:code/edit": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/selection": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/remove": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/targets": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/narratives/:section": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/narratives/:section/restore": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/actions": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/actions/:id": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/measures/:code/edit/actions/:id/updates": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/programmes/:code/edit": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/edit/values": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/edit/values/import": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/edit/measures": AREA_EDITORS,
  "GET /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit/narratives/:section": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit/narratives/:section/restore": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit/actions": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit/actions/:id": AREA_EDITORS,
  "POST /:lang/plans/:area/:period/programmes/:code/measures/:pm/edit/actions/:id/updates": AREA_EDITORS,
};

/** Methods that change state: every route with one must refuse a request without a valid CSRF token (pages). */
export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `GET /en/plans` → `GET /:lang/plans`: the key a registered route is declared under. */
export function routeKey(method: string, url: string): string {
  return `${method} ${url.replace(/^\/(en|cy)(?=\/|$)/, "/:lang")}`;
}
