import type { NdArray } from "ndarray";
import { InvalidActionError } from "../../core/errors";
import type { Space } from "../../core/space";
import { concatenate, createEmptyArray } from "../../spaces/batch";
import { Box } from "../../spaces/box";
import { Discrete } from "../../spaces/discrete";
import type { SpaceTypedArray } from "../../spaces/dtypes";
import { MultiBinary } from "../../spaces/multi-binary";
import { MultiDiscrete } from "../../spaces/multi-discrete";
import { wrapNd } from "../../spaces/nd";

/**
 * Actions of AsyncVectorEnv in shared memory, for array-valued action spaces (Discrete, Box,
 * MultiDiscrete, MultiBinary): the main thread writes the batch of actions into one shared
 * typed array [numEnvs * size] and the workers read their rows, so a step needs no message.
 * Other action spaces travel by message.
 */
export function hasSharedActions(space: Space<unknown>): boolean {
  return (
    space instanceof Discrete || space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary
  );
}

/** Main-thread side: the shared batch of actions. */
export class SharedActionBatch {
  /** The shared typed array the workers read. */
  readonly buffer: SpaceTypedArray;
  private readonly space: Space<unknown>;
  private readonly batch: NdArray;

  constructor(space: Space<unknown>, numEnvs: number) {
    this.space = space;
    this.batch = createEmptyArray(space, numEnvs, "zeros", { shared: true }) as NdArray;
    this.buffer = this.batch.data as SpaceTypedArray;
  }

  /**
   * Write the per-env actions (as from splitActions).
   * @throws InvalidActionError for a Discrete action that is not an integer (the int32 buffer
   *   would silently truncate it); SpaceError for a malformed array action.
   */
  write(actions: readonly unknown[]): void {
    if (this.space instanceof Discrete) {
      const bad = actions.findIndex((a) => !Number.isSafeInteger(a));
      if (bad >= 0)
        throw new InvalidActionError(`action ${String(actions[bad])} of env ${bad} is not an integer of ${this.space}`);
    }
    concatenate(this.space, actions, this.batch);
  }
}

/** Worker side: reads one env's action (a number for Discrete, else a fresh NdArray copy). */
export class SharedActionReader {
  private readonly buffer: SpaceTypedArray;
  private readonly shape: readonly number[];
  private readonly size: number;
  private readonly scalar: boolean;

  constructor(space: Space<unknown>, buffer: SpaceTypedArray) {
    this.buffer = buffer;
    this.scalar = space instanceof Discrete;
    this.shape = space.shape ?? [];
    this.size = this.shape.reduce((a, b) => a * b, 1);
  }

  read(envIndex: number): unknown {
    if (this.scalar) return this.buffer[envIndex];
    return wrapNd(this.buffer.slice(envIndex * this.size, (envIndex + 1) * this.size), this.shape);
  }
}
