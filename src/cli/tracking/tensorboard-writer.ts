// A TensorBoard event-file writer for scalars (no TensorFlow, no protobuf library).
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "../../core/errors";
import { encodeFileVersionEvent, encodeScalarEvent } from "./event-protobuf";
import type { ScalarValue } from "./event-protobuf";
import { frameRecord } from "./tfrecord";

let fileCounter = 0;

/**
 * Writes scalars to `<logDir>/events.out.tfevents.<unix seconds>.<host>.<pid>.<n>` in the
 * format TensorBoard reads: TFRecord framing (masked CRC-32C) around `Event` protobufs, the
 * first one carrying `file_version: "brain.Event:2"`, then one Event per {@link addScalars} call
 * with a Summary of `simple_value`s. Every call is written through (no buffering), so a crash
 * loses nothing and `tensorboard --logdir runs` shows a live run.
 *
 * @example
 * ```ts
 * const tb = new TensorBoardWriter("runs/CartPole-v1__ppo__1__1700000000");
 * tb.addScalars(512, { "charts/episodic_return": 21.5, "losses/value_loss": 0.8 });
 * tb.close();
 * ```
 */
export class TensorBoardWriter {
  /** Absolute path of the event file. */
  readonly path: string;
  private fd: number | null;

  constructor(logDir: string, now: () => number = Date.now) {
    const dir = resolve(logDir);
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(now() / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}`);
    this.now = now;
    this.fd = openSync(this.path, "wx");
    this.write(encodeFileVersionEvent(now() / 1000));
  }

  private readonly now: () => number;

  /**
   * Log scalars at `step` (e.g. the global env step). Non-finite and null values are skipped
   * (TensorBoard would plot NaN as a gap anyway); values are stored as float32.
   */
  addScalars(step: number, values: Readonly<Record<string, number | null | undefined>>): void {
    if (!Number.isSafeInteger(step) || step < 0)
      throw new InvalidArgumentError(`TensorBoard step must be a non-negative integer, got ${step}`);
    const scalars: ScalarValue[] = [];
    for (const [tag, value] of Object.entries(values)) {
      if (typeof value === "number" && Number.isFinite(value)) scalars.push({ tag, value });
    }
    if (scalars.length > 0) this.write(encodeScalarEvent(this.now() / 1000, step, scalars));
  }

  /** Close the file; later calls to addScalars throw. Safe to call twice. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(event: Uint8Array): void {
    if (this.fd === null) throw new InvalidArgumentError(`TensorBoard writer of ${this.path} is closed`);
    const record = frameRecord(event);
    writeSync(this.fd, record, 0, record.length);
  }
}
