import * as tf from "@tensorflow/tfjs";
import type { Variable } from "./tensor-types";
import { InvalidArgumentError } from "../../core/errors";

/** A named parameter's values, detached from tfjs (for checkpoints and plain-JS forwards). */
export interface ParameterArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * The trainable parameters of a model: named `tf.Variable`s in a fixed order. Names are local to
 * the set ("actor.0.weight"); the tfjs variables get engine-unique names so several models can
 * live in one process.
 *
 * @example
 * ```ts
 * const params = new ParameterSet();
 * const w = params.add("dense.weight", [4, 64], new Float32Array(256));
 * params.count; // 256
 * params.dispose();
 * ```
 */
export class ParameterSet {
  private static nextId = 0;
  private readonly entries = new Map<string, tf.Variable>();
  private readonly prefix = `asg${ParameterSet.nextId++}/`;

  /**
   * Add a float32 variable `name` of `shape` initialised with `init` (row-major).
   * @throws InvalidArgumentError on a duplicate name or a size mismatch.
   */
  add(name: string, shape: number[], init: Float32Array): Variable {
    if (this.entries.has(name)) throw new InvalidArgumentError(`parameter ${JSON.stringify(name)} already exists`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (init.length !== size) {
      throw new InvalidArgumentError(
        `parameter ${JSON.stringify(name)}: ${init.length} initial values for shape [${shape.join(", ")}]`,
      );
    }
    const v = tf.tidy(() => tf.variable(tf.tensor(init, shape, "float32"), true, this.prefix + name));
    this.entries.set(name, v);
    return v;
  }

  /** The variable `name`. @throws InvalidArgumentError when there is none. */
  get(name: string): Variable {
    const v = this.entries.get(name);
    if (v === undefined) throw new InvalidArgumentError(`no parameter named ${JSON.stringify(name)}`);
    return v;
  }

  /** Parameter names in creation order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The variables in creation order. */
  variables(): Variable[] {
    return [...this.entries.values()];
  }

  /** The local name of a variable of this set (from its engine-unique name). */
  localName(v: Variable): string {
    return v.name.startsWith(this.prefix) ? v.name.slice(this.prefix.length) : v.name;
  }

  /** Total number of scalars. */
  get count(): number {
    let n = 0;
    for (const v of this.entries.values()) n += v.size;
    return n;
  }

  /** Copies of all values (synchronous read; cheap on cpu/wasm). */
  toArrays(): ParameterArray[] {
    return this.names().map((name) => {
      const v = this.get(name);
      return { name, shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
    });
  }

  /**
   * Overwrite every parameter from `arrays` (same names and shapes).
   * @throws InvalidArgumentError naming a missing, extra or mis-shaped parameter.
   */
  load(arrays: ParameterArray[]): void {
    const byName = new Map(arrays.map((a) => [a.name, a]));
    for (const [name, v] of this.entries) {
      const a = byName.get(name);
      if (a === undefined)
        throw new InvalidArgumentError(`parameter ${JSON.stringify(name)} missing from the loaded values`);
      if (a.shape.length !== v.shape.length || a.shape.some((d, i) => d !== v.shape[i])) {
        throw new InvalidArgumentError(
          `parameter ${JSON.stringify(name)}: shape [${a.shape.join(", ")}] does not match [${v.shape.join(", ")}]`,
        );
      }
    }
    if (byName.size !== this.entries.size) {
      const extra = [...byName.keys()].filter((k) => !this.entries.has(k));
      throw new InvalidArgumentError(`unknown parameters in the loaded values: ${extra.join(", ")}`);
    }
    for (const [name, v] of this.entries) {
      const a = byName.get(name) as ParameterArray;
      tf.tidy(() => v.assign(tf.tensor(a.data, a.shape, "float32")));
    }
  }

  /** Dispose every variable. */
  dispose(): void {
    for (const v of this.entries.values()) v.dispose();
    this.entries.clear();
  }
}
