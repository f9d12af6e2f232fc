import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/** One row of training metrics: CleanRL's scalar names plus ours; null when not measured. */
export type MetricsRow = Record<string, number | null>;

/** The columns of metrics.csv, in order (CleanRL's tensorboard tags, then timing). */
export const METRIC_COLUMNS = [
  "iteration",
  "global_step",
  "charts/episodic_return",
  "charts/episodic_length",
  "charts/episodes",
  "charts/final_iou",
  "charts/final_dice",
  "charts/learning_rate",
  "charts/SPS",
  "losses/value_loss",
  "losses/policy_loss",
  "losses/entropy",
  "losses/old_approx_kl",
  "losses/approx_kl",
  "losses/clipfrac",
  "losses/explained_variance",
  "time/rollout_forward_ms",
  "time/env_step_ms",
  "time/gae_ms",
  "time/update_ms",
  "eval/episodic_return",
  "eval/episodic_length",
  "eval/final_iou",
  "eval/final_dice",
] as const;

/**
 * Append-only metrics files in a run directory: `metrics.jsonl` (one JSON object per
 * iteration) and `metrics.csv` (the same rows, {@link METRIC_COLUMNS}). On resume the rows
 * after the checkpoint's iteration are dropped, so both files describe one consistent run.
 */
export class MetricsLog {
  readonly rows: MetricsRow[] = [];
  constructor(
    readonly jsonlPath: string,
    readonly csvPath: string,
    resumeIteration: number | null,
  ) {
    if (resumeIteration !== null && existsSync(jsonlPath)) {
      for (const line of readFileSync(jsonlPath, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const row = JSON.parse(line) as MetricsRow;
        if ((row["iteration"] ?? Infinity) <= resumeIteration) this.rows.push(row);
      }
    }
    writeFileSync(jsonlPath, this.rows.map((r) => JSON.stringify(r) + "\n").join(""));
    writeFileSync(csvPath, METRIC_COLUMNS.join(",") + "\n" + this.rows.map((r) => csvLine(r) + "\n").join(""));
  }

  /** Append one row to memory and both files. */
  append(row: MetricsRow): void {
    this.rows.push(row);
    appendFileSync(this.jsonlPath, JSON.stringify(row) + "\n");
    appendFileSync(this.csvPath, csvLine(row) + "\n");
  }

  /** The values of `column` over the rows (NaN where missing), e.g. for plotting. */
  column(column: string): Float64Array {
    return Float64Array.from(this.rows, (r) => r[column] ?? NaN);
  }
}

function csvLine(row: MetricsRow): string {
  return METRIC_COLUMNS.map((c) => {
    const v = row[c];
    return v === null || v === undefined || !Number.isFinite(v) ? "" : String(v);
  }).join(",");
}
