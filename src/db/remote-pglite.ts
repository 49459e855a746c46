/**
 * The embedded database from a worker thread. PGlite runs inside the thread that opened it and only one may open the
 * files, so a worker thread (the analysis worker) reaches it through a MessagePort: {@link RemotePglite} in the
 * worker has the few methods drizzle's PGlite driver calls (`query`, `exec`, `transaction`), and
 * {@link serveRemotePglite} in the owning thread runs them on the real client. The owning thread is busy only while
 * PGlite executes each statement; everything else the worker does (computing) leaves it free.
 */
import type { MessagePort } from "node:worker_threads";
import { type PGlite, type Transaction, types } from "@electric-sql/pglite";

interface Request {
  id: number;
  op: "query" | "exec" | "begin" | "end";
  /** The transaction the statement belongs to (from "begin"). */
  tx?: number | undefined;
  text?: string;
  params?: unknown[];
  rowMode?: "array" | "object";
  /** Keep dates, timestamps and intervals as text (what drizzle asks for). */
  keepText?: boolean;
  commit?: boolean;
  /** Text of the `/dev/blob` a COPY … FROM '/dev/blob' reads. */
  blobText?: string;
}

type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: RemoteError };

interface RemoteError {
  message: string;
  code?: string | undefined;
  detail?: string | undefined;
}

/** The types drizzle's PGlite driver reads as text (timestamps, dates, intervals and their arrays). */
const TEXT_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const keepTextParsers = Object.fromEntries(TEXT_TYPES.map((t) => [t, (value: string) => value]));

function failure(error: unknown): RemoteError {
  const e = error as { message?: string; code?: string; detail?: string };
  return { message: e?.message ?? String(error), code: e?.code, detail: e?.detail };
}

/** Runs the requests of a {@link RemotePglite} on `client`. Returns a function that stops serving. */
export function serveRemotePglite(client: PGlite, port: MessagePort): () => void {
  const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<unknown> }>();
  let nextTx = 1;
  let stopped = false;
  const reply = (r: Response) => port.postMessage(r);
  port.on("message", async (m: Request) => {
    if (stopped) return;
    try {
      if (m.op === "begin") {
        const id = nextTx++;
        let started!: () => void;
        const ready = new Promise<void>((resolve) => {
          started = resolve;
        });
        const done: Promise<unknown> = client.transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              // a transaction that begins only after serving stopped (it waited for another to end) would wait for
              // an end that never comes, holding the database for good: it is rolled back at once instead
              if (stopped) {
                reject(new Error("stopped serving"));
                return;
              }
              open.set(id, { tx, end: (commit) => (commit ? resolve(null) : reject(new Error("rolled back"))), done });
              started();
            }),
        );
        done.catch(() => {}); // its failure is reported to the worker by "end"
        await Promise.race([ready, done]); // `done` fails first when the transaction cannot begin
        reply({ id: m.id, ok: true, result: id });
        return;
      }
      if (m.op === "end") {
        const entry = open.get(m.tx!);
        if (!entry) throw new Error(`no open transaction ${m.tx}`);
        open.delete(m.tx!);
        entry.end(m.commit === true);
        try {
          await entry.done;
        } catch (error) {
          if (m.commit) throw error;
        }
        reply({ id: m.id, ok: true, result: null });
        return;
      }
      const target: Pick<PGlite, "query" | "exec"> = m.tx ? open.get(m.tx)!.tx : client;
      if (m.op === "exec") {
        reply({ id: m.id, ok: true, result: await target.exec(m.text!) });
        return;
      }
      const result = await target.query(m.text!, m.params ?? [], {
        rowMode: m.rowMode ?? "object",
        ...(m.keepText ? { parsers: keepTextParsers } : {}),
        ...(m.blobText !== undefined ? { blob: new Blob([m.blobText]) } : {}),
      });
      reply({
        id: m.id,
        ok: true,
        result: { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows },
      });
    } catch (error) {
      reply({ id: m.id, ok: false, error: failure(error) });
    }
  });
  port.start();
  port.unref();
  return () => {
    stopped = true;
    port.close();
    for (const entry of open.values()) entry.end(false);
    open.clear();
  };
}

interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: Record<number, unknown>;
  blob?: Blob;
}

/** A PGlite stand-in in a worker thread: what drizzle's PGlite driver needs, run by the owning thread. */
export class RemotePglite {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(
    private readonly port: MessagePort,
    private readonly tx?: number,
  ) {
    if (tx === undefined) {
      port.on("message", (r: Response) => {
        const w = this.waiting.get(r.id);
        if (!w) return;
        this.waiting.delete(r.id);
        if (r.ok) w.resolve(r.result);
        else w.reject(Object.assign(new Error(r.error.message), { code: r.error.code, detail: r.error.detail }));
      });
      port.unref();
    }
  }

  private root(): RemotePglite {
    return (this as unknown as { parent?: RemotePglite }).parent ?? this;
  }

  /** Sends a request and waits for its answer (through the root client, which owns the port's listener). */
  request(body: Omit<Request, "id">): Promise<unknown> {
    const root = this.root();
    const id = root.nextId++;
    return new Promise((resolve, reject) => {
      root.waiting.set(id, { resolve, reject });
      root.port.postMessage({ ...body, id, tx: body.tx ?? this.tx });
    });
  }

  async query(text: string, params?: unknown[], options?: QueryOptions): Promise<unknown> {
    return this.request({
      op: "query",
      text,
      params: params ?? [],
      rowMode: options?.rowMode,
      keepText: !!options?.parsers,
      ...(options?.blob ? { blobText: await options.blob.text() } : {}),
    });
  }

  exec(text: string): Promise<unknown> {
    return this.request({ op: "exec", text });
  }

  async transaction<T>(fn: (tx: RemotePglite) => Promise<T>): Promise<T> {
    const txId = (await this.request({ op: "begin" })) as number;
    const tx = new RemotePglite(this.port, txId);
    (tx as unknown as { parent: RemotePglite }).parent = this.root();
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      await this.request({ op: "end", tx: txId, commit: false }).catch(() => {});
      throw error;
    }
    await this.request({ op: "end", tx: txId, commit: true });
    return result;
  }
}
