/** Every public page type with a representative URL (after /en or /cy), for route, Welsh and browser tests. */
export const PUBLIC_PAGES = [
  "/measures",
  "/measures?q=birth&tier=high_level",
  "/measures/low-birth-weight",
  "/measures/low-birth-weight?area=W06000015&sort=name",
  "/areas",
  "/areas/W06000015",
  "/areas/W92000004",
  "/overview",
  "/compare?measure=low-birth-weight&group=W11000029",
  "/map",
  "/map?mode=quintile",
  "/dashboard",
  "/api",
  "/plans",
] as const;
