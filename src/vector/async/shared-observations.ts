import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import type { Space } from "../../core/space";
import { createEmptyArray } from "../../spaces/batch";
import { Box } from "../../spaces/box";
import { Dict } from "../../spaces/dict";
import { Discrete } from "../../spaces/discrete";
import { MultiBinary } from "../../spaces/multi-binary";
import { MultiDiscrete } from "../../spaces/multi-discrete";
import { Tuple } from "../../spaces/tuple";
import type { SpaceTypedArray } from "../../spaces/dtypes";
import { contiguousData, isNdArray } from "../../spaces/nd";

/**
 * Observations of AsyncVectorEnv in shared memory. The batched observation is built once by
 * `createEmptyArray(space, n, "zeros", {shared: true})`: every array-valued leaf of the space
 * (Box, MultiDiscrete, MultiBinary, Discrete; inside Dict/Tuple too) becomes an NdArray
 * [n, ...shape] on a SharedArrayBuffer, which workers write in place (env i owns rows i). Other
 * leaves (Text, custom spaces) travel by message and are stored in the batch by the main thread.
 * Leaves are visited in a fixed order (Dict keys in order, Tuple items in order).
 */

/** Whether values of `space` are stored in shared memory (numbers or NdArrays of a dtype). */
function isArrayLeaf(space: Space<unknown>): boolean {
  return (
    space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary || space instanceof Discrete
  );
}

/** Visit the leaves of `value` (a single or a batched value of `space`) in the fixed order. */
function forEachLeaf(space: Space<unknown>, value: unknown, visit: (leaf: Space<unknown>, v: unknown) => void): void {
  if (space instanceof Dict) {
    for (const key of space.keys) forEachLeaf(space.get(key), (value as Record<string, unknown>)[key], visit);
  } else if (space instanceof Tuple) {
    space.spaces.forEach((s: Space<unknown>, j: number) => forEachLeaf(s, (value as unknown[])[j], visit));
  } else {
    visit(space, value);
  }
}

/** Main-thread side: the shared batch and the message-carried leaves. */
export class SharedObservationBatch {
  /** The batched observation (array leaves on SharedArrayBuffers). */
  readonly batch: unknown;
  /** The shared typed arrays of the array leaves, in leaf order (sent to the workers). */
  readonly buffers: SpaceTypedArray[] = [];
  /** The n-element arrays of the message-carried leaves, in leaf order. */
  private readonly messageLeaves: unknown[][] = [];

  constructor(space: Space<unknown>, numEnvs: number) {
    this.batch = createEmptyArray(space, numEnvs, "zeros", { shared: true });
    forEachLeaf(space, this.batch, (leaf, v) => {
      if (isArrayLeaf(leaf)) this.buffers.push((v as NdArray).data as SpaceTypedArray);
      else this.messageLeaves.push(v as unknown[]);
    });
  }

  /** Whether some leaves travel by message (then workers send them with every observation). */
  get hasMessageLeaves(): boolean {
    return this.messageLeaves.length > 0;
  }

  /** Store env `envIndex`'s message-carried leaf values (as sent by its worker). */
  setMessageLeaves(envIndex: number, values: readonly unknown[]): void {
    this.messageLeaves.forEach((leaf, j) => {
      leaf[envIndex] = values[j];
    });
  }
}

/** Worker side: writes one env's observation into the shared batch and returns the other leaves. */
export class SharedObservationWriter {
  private readonly space: Space<unknown>;
  private readonly buffers: readonly SpaceTypedArray[];

  /** @param buffers the shared typed arrays of {@link SharedObservationBatch.buffers}. */
  constructor(space: Space<unknown>, buffers: readonly SpaceTypedArray[]) {
    this.space = space;
    this.buffers = buffers;
  }

  /**
   * Write `obs` of env `envIndex` into its rows; returns the values of the message-carried leaves
   * (empty when every leaf is shared).
   * @throws InvalidArgumentError when an array leaf has the wrong size or is not a number/NdArray.
   */
  write(envIndex: number, obs: unknown): unknown[] {
    const rest: unknown[] = [];
    let j = 0;
    forEachLeaf(this.space, obs, (leaf, v) => {
      if (!isArrayLeaf(leaf)) {
        rest.push(v);
        return;
      }
      const target = this.buffers[j++] as SpaceTypedArray;
      if (leaf instanceof Discrete) {
        if (typeof v !== "number")
          throw new InvalidArgumentError(
            `env ${envIndex}: observation leaf of ${leaf} must be a number, got ${String(v)}`,
          );
        target[envIndex] = v;
        return;
      }
      const size = leaf.shape === null ? 1 : leaf.shape.reduce((a, b) => a * b, 1);
      if (!isNdArray(v))
        throw new InvalidArgumentError(
          `env ${envIndex}: observation leaf of ${leaf} must be an NdArray, got ${String(v)}`,
        );
      const data = contiguousData(v);
      if (data.length !== size) {
        throw new InvalidArgumentError(
          `env ${envIndex}: observation of shape [${v.shape.join(", ")}] does not fit ${leaf}`,
        );
      }
      target.set(data, envIndex * size);
    });
    return rest;
  }
}
