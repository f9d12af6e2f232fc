// The fuzz harness: runs generated cases against a target and sorts each outcome into
// accepted / typed error / wrong / crash / hang. "Typed" means an AlignSamGymError subclass
// (the library's contract for bad input); "wrong" means an accepted input broke an invariant
// (or a typed error left state corrupted); "crash" is any other exception.
import { AlignSamGymError } from "../../src/core";

/** One outcome class of a case. */
export type Outcome = "ok" | "typed" | "wrong" | "crash" | "hang";

/** A failure to report: what was tried and what happened. */
export interface Finding {
  target: string;
  outcome: Outcome;
  input: string;
  detail: string;
}

/** Counts of one target (a row of the table). */
export interface TargetReport {
  target: string;
  tried: number;
  ok: number;
  typed: number;
  wrong: number;
  crash: number;
  hang: number;
  /** Peak RSS above the baseline, MB (children: the largest case; in-process: the growth of the high-water mark). */
  peakRssMb: number;
  seconds: number;
  findings: Finding[];
}

/** Thrown by a case body when an accepted input breaks an invariant. */
export class InvariantError extends Error {}

/** A fuzz target: generates `count` inputs and checks one. */
export interface FuzzTarget<I> {
  name: string;
  /** Inputs for this budget (deterministic from the seed). */
  inputs(count: number, seed: number): I[];
  /**
   * Run one input; throw InvariantError when an accepted input gives a wrong result. Return
   * "typed" when the case ended well but only after the library refused part of it with a
   * typed error (e.g. an env that rejected some actions and kept working).
   */
  check(input: I): Promise<"typed" | void | undefined> | "typed" | void | undefined;
  /** Release resources after the run. */
  teardown?(): Promise<void> | void;
  /** Short text of an input for findings. */
  show?(input: I): string;
}

/** Budget of one run: cases per target, a time cap per target and per case. */
export interface Budget {
  cases: number;
  secondsPerTarget: number;
  caseTimeoutMs: number;
  seed: number;
}

const HANG = Symbol("hang");

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Run `target` within `budget` and count outcomes. */
export async function runTarget<I>(target: FuzzTarget<I>, budget: Budget): Promise<TargetReport> {
  const start = Date.now();
  const rss0 = maxRssMb();
  const report: TargetReport = {
    target: target.name,
    tried: 0,
    ok: 0,
    typed: 0,
    wrong: 0,
    crash: 0,
    hang: 0,
    peakRssMb: 0,
    seconds: 0,
    findings: [],
  };
  const inputs = target.inputs(budget.cases, budget.seed);
  for (const input of inputs) {
    if (Date.now() - start > budget.secondsPerTarget * 1000) break;
    report.tried++;
    const outcome = await classify(() => target.check(input), budget.caseTimeoutMs);
    report[outcome.kind]++;
    if (outcome.kind !== "ok" && outcome.kind !== "typed" && report.findings.length < 20) {
      report.findings.push({
        target: target.name,
        outcome: outcome.kind,
        input: (target.show ?? defaultShow)(input),
        detail: outcome.detail,
      });
    }
    if (outcome.kind === "hang") break; // a hung case may still hold the target's state
  }
  await target.teardown?.();
  report.peakRssMb = Math.max(0, maxRssMb() - rss0);
  report.seconds = (Date.now() - start) / 1000;
  return report;
}

/** Classify one call. */
export async function classify(
  fn: () => Promise<unknown> | unknown,
  timeoutMs: number,
): Promise<{ kind: Outcome; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      Promise.resolve().then(fn),
      new Promise<typeof HANG>((resolve) => {
        timer = setTimeout(() => resolve(HANG), timeoutMs);
      }),
    ]);
    if (r === HANG) return { kind: "hang", detail: `no answer within ${timeoutMs} ms` };
    return { kind: r === "typed" ? "typed" : "ok", detail: "" };
  } catch (e) {
    if (e instanceof InvariantError) return { kind: "wrong", detail: e.message };
    if (e instanceof AlignSamGymError) return { kind: "typed", detail: e.message };
    return { kind: "crash", detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

function defaultShow(input: unknown): string {
  try {
    const s = JSON.stringify(input, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    return s === undefined ? String(input) : s.slice(0, 200);
  } catch {
    return String(input).slice(0, 200);
  }
}

/** Fail with an InvariantError unless `cond`. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InvariantError(message);
}

/** The table of reports, one row per target. */
export function formatTable(reports: readonly TargetReport[]): string {
  const head = ["target", "tried", "ok", "typed error", "wrong", "crash", "hang", "peak RSS MB", "s"];
  const rows = reports.map((r) =>
    [r.target, r.tried, r.ok, r.typed, r.wrong, r.crash, r.hang, r.peakRssMb.toFixed(0), r.seconds.toFixed(1)].map(
      String,
    ),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
