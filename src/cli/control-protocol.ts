/** Messages on the control socket of `omf serve`: one JSON object per line. */

export interface ClientSettings {
  cliUser: string | undefined;
  progressSeconds: number;
  debug: boolean;
}

export type ToServer =
  | {
      type: "run";
      /** The command line after `omf`. */
      args: string[];
      /** The client's working directory (relative paths on the command line are resolved against it). */
      cwd: string;
      /** The client's settings a command reads (OMF_USER, OMF_PROGRESS_SECONDS, OMF_DEBUG). */
      settings: ClientSettings;
      stdoutIsTTY: boolean;
    }
  | { type: "stdin"; text: string };

export type ToClient =
  | { type: "out"; data: string /* base64 */ }
  | { type: "err"; text: string }
  | { type: "stdin" }
  | { type: "exit"; code: number };

/** A 'data' listener that calls `onMessage` for each complete JSON line. */
export function lineReader<T>(onMessage: (m: T) => void): (chunk: Buffer) => void {
  let buffered = "";
  return (chunk) => {
    buffered += chunk.toString("utf8");
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) onMessage(JSON.parse(line) as T);
      nl = buffered.indexOf("\n");
    }
  };
}
