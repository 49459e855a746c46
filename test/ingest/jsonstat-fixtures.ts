/** Large generated JSON-stat files for the streaming tests and the memory probe. */
import { closeSync, openSync, writeSync } from "node:fs";

export interface LargeDataset {
  areas: number;
  periods: number;
  sexes: number;
  /** Put the statistic dimension first (the rows then need the values out of file order). */
  statisticFirst?: boolean;
  /** Write `value` before `dimension`. */
  valueFirst?: boolean;
  /** Status as a sparse object with keys in descending order (else a dense array). */
  reversedStatus?: boolean;
}

const STATISTICS = ["rate", "count", "population", "lci", "uci"];

/** Number of values (cells) of such a dataset. */
export function cellCount(d: LargeDataset): number {
  return d.areas * d.periods * d.sexes * STATISTICS.length;
}

/** The value at index k (a decimal, or null for one cell in 97). */
export function valueAt(k: number): number | null {
  return k % 97 === 13 ? null : Math.round(((k * 7919) % 100000) * 1.37) / 100;
}
/** The status at index k ("p" for one cell in 10, else none). */
export function statusAt(k: number): string | null {
  return k % 10 === 3 ? "p" : null;
}

/** Writes the dataset to `path`, streaming (the text is never whole in memory). Returns the file's size. */
export function writeLargeJsonStat(path: string, d: LargeDataset): number {
  const fd = openSync(path, "w");
  let size = 0;
  let pending = "";
  const write = (text: string) => {
    pending += text;
    if (pending.length > 1 << 16) flush();
  };
  const flush = () => {
    size += writeSync(fd, pending);
    pending = "";
  };
  const n = cellCount(d);
  const dims: [string, string[]][] = [
    ["area", Array.from({ length: d.areas }, (_, i) => `W${String(6000000 + i).padStart(8, "0")}`)],
    ["period", Array.from({ length: d.periods }, (_, i) => String(1900 + i))],
    ["sex", Array.from({ length: d.sexes }, (_, i) => `s${i}`)],
  ];
  if (d.statisticFirst) dims.unshift(["statistic", STATISTICS]);
  else dims.push(["statistic", STATISTICS]);
  const writeValues = () => {
    write('"value":[');
    for (let k = 0; k < n; k++) write(`${k ? "," : ""}${JSON.stringify(valueAt(k))}`);
    write("],");
  };
  write('{"version":"2.0","class":"dataset","label":"generated",');
  if (d.valueFirst) writeValues();
  write(`"id":${JSON.stringify(dims.map(([id]) => id))},"size":${JSON.stringify(dims.map(([, c]) => c.length))},`);
  write('"role":{"geo":["area"],"time":["period"]},"dimension":{');
  write(dims.map(([id, cats]) => `${JSON.stringify(id)}:{"category":{"index":${JSON.stringify(cats)}}}`).join(","));
  write("},");
  if (!d.valueFirst) writeValues();
  if (d.reversedStatus) {
    write('"status":{');
    let first = true;
    for (let k = n - 1; k >= 0; k--) {
      const s = statusAt(k);
      if (s === null) continue;
      write(`${first ? "" : ","}"${k}":"${s}"`);
      first = false;
    }
    write("}}");
  } else {
    write('"status":[');
    for (let k = 0; k < n; k++) write(`${k ? "," : ""}${JSON.stringify(statusAt(k))}`);
    write("]}");
  }
  flush();
  closeSync(fd);
  return size;
}

/** The mapping for these datasets. */
export const LARGE_MAPPING = `
measure: m
jsonstat:
  statistic:
    dimension: statistic
    categories: { rate: value, count: numerator, population: denominator, lci: lower_ci, uci: upper_ci }
`;
