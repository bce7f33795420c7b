/** What test/run.ts and its shared test processes (test/worker/) say to each other. */

/** A file's results, from the reporter to the worker once the file's suite has ended. */
export interface FileReport {
  /** The suite's name: the file. */
  name: string;
  ok: boolean;
  /** Its results, formatted as the spec reporter prints them. */
  lines: string[];
  tests: number;
  failed: number;
}

/** Where the reporter finds the worker's callback (the reporter runs in the worker's process). */
export const FILE_DONE = Symbol.for("ops-monitoring.test-worker.file-done");

/** The worker's output lines around each file's block: `␞start <file>` and `␞end <ok 0|1> <wall s> <cpu s> <file>`. */
export const MARK = "\u001e";

export type Marker =
  { kind: "start"; file: string } | { kind: "end"; file: string; ok: boolean; wallS: number; cpuS: number };

export const startLine = (file: string) => `${MARK}start ${file}\n`;
export const endLine = (file: string, ok: boolean, wallS: number, cpuS: number) =>
  `${MARK}end ${ok ? 1 : 0} ${wallS.toFixed(3)} ${cpuS.toFixed(3)} ${file}\n`;

export function parseMarker(line: string): Marker | undefined {
  if (!line.startsWith(MARK)) return undefined;
  const start = /^start (.+)$/.exec(line.slice(MARK.length));
  if (start) return { kind: "start", file: start[1] };
  const end = /^end ([01]) ([\d.]+) ([\d.]+) (.+)$/.exec(line.slice(MARK.length));
  if (end) return { kind: "end", ok: end[1] === "1", wallS: Number(end[2]), cpuS: Number(end[3]), file: end[4] };
  return undefined;
}
