/** The file formats `omf import` reads and `omf export` writes (a leaf module: the CLI's help lists them). */
export const TABLE_FORMATS = ["csv", "xlsx", "wide", "jsonstat"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const EXPORT_FORMATS = ["csv", "xlsx", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
