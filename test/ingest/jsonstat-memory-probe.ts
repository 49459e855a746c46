/**
 * Run as `node --expose-gc --import tsx test/ingest/jsonstat-memory-probe.ts FILE stream|reference [CHUNK [fast]]`:
 * reads a JSON-stat file (with LARGE_MAPPING) and prints, as JSON, the rows read, the peak growth of the live heap
 * while reading (a full GC before each sample, so garbage does not count; not sampled with `fast`), the peak
 * resident set size, the time and the CPU time.
 * Used by jsonstat-streaming.test.ts and for measuring large files by hand.
 */
import { parseMapping } from "../../src/ingest/observations/mapping.ts";
import { readJsonStat } from "../../src/ingest/observations/read-jsonstat.ts";
import { LARGE_MAPPING } from "./jsonstat-fixtures.ts";
import { readJsonStatReference } from "./jsonstat-reference.ts";

const [path, mode = "stream", chunk = "5000", timing] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!path || !gc) throw new Error("usage: node --expose-gc --import tsx jsonstat-memory-probe.ts FILE [mode] [chunk]");
const read = mode === "reference" ? readJsonStatReference : readJsonStat;

gc();
const base = process.memoryUsage().heapUsed;
let peak = 0;
let peakRss = process.memoryUsage().rss;
const sample = () => {
  if (timing === "fast") return;
  gc();
  const m = process.memoryUsage();
  peak = Math.max(peak, m.heapUsed - base);
  peakRss = Math.max(peakRss, m.rss);
};
const started = performance.now();
const cpuStarted = process.cpuUsage();
const source = await read(path, { mapping: parseMapping(LARGE_MAPPING), chunkSize: Number(chunk) });
sample();
let rows = 0;
let checksum = 0;
let chunks = 0;
for await (const rowsOfChunk of source.chunks) {
  rows += rowsOfChunk.length;
  for (const r of rowsOfChunk) checksum = (checksum * 31 + r.row + r.cells.join("|").length) % 1_000_000_007;
  if (++chunks % 4 === 1) sample();
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
sample();
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify({ mode, rows, checksum, peakHeapGrowth: peak, peakRss, seconds, cpuSeconds }));
