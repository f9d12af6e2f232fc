import { SpaceError } from "../core/errors";
import type { Space, SpaceDescription } from "../core/space";
import { Box } from "./box";
import { Dict } from "./dict";
import { Discrete } from "./discrete";
import { isBoxDtype } from "./dtypes";
import type { IntegerDtype } from "./dtypes";
import { MultiBinary } from "./multi-binary";
import { MultiDiscrete } from "./multi-discrete";
import { Text } from "./text";
import { formatValue, wrapNd } from "./nd";
import { Tuple } from "./tuple";

/** Rebuilds a space of one `type` from its description; `child` rebuilds nested descriptions. */
export type SpaceReviver = (desc: SpaceDescription, child: (desc: unknown) => Space<unknown>) => Space<unknown>;

const revivers = new Map<string, SpaceReviver>();

/**
 * Teach {@link spaceFromJSON} a custom space type (the `type` its `describe()` returns), e.g.
 * so that AsyncVectorEnv can ship it to worker threads.
 * @throws SpaceError when the type is already registered.
 */
export function registerSpaceType(type: string, revive: SpaceReviver): void {
  if (revivers.has(type)) throw new SpaceError(`space type ${JSON.stringify(type)} is already registered`);
  revivers.set(type, revive);
}

/**
 * Rebuild a space from `space.describe()` (also after a JSON round trip): the inverse of
 * describe, `spaceFromJSON(s.describe()).equals(s)` for every space. The rebuilt space is unseeded.
 * @throws SpaceError naming the description when its type is unknown or a field is invalid.
 */
export function spaceFromJSON(desc: unknown): Space<unknown> {
  if (typeof desc !== "object" || desc === null || typeof (desc as { type?: unknown }).type !== "string") {
    throw new SpaceError(`spaceFromJSON: expected a space description {type, ...}, got ${formatValue(desc)}`);
  }
  const d = desc as SpaceDescription;
  const revive = revivers.get(d.type);
  if (revive === undefined) {
    throw new SpaceError(
      `spaceFromJSON: unknown space type ${JSON.stringify(d.type)} (known: ${[...revivers.keys()].join(", ")})`,
    );
  }
  return revive(d, spaceFromJSON);
}

function decodeBound(v: unknown, what: string): number | number[] {
  const dec = (x: unknown): number => {
    if (x === "inf") return Infinity;
    if (x === "-inf") return -Infinity;
    if (typeof x === "number") return x;
    throw new SpaceError(`spaceFromJSON: Box ${what} must hold numbers, "inf" or "-inf", got ${formatValue(x)}`);
  };
  return Array.isArray(v) ? v.map(dec) : dec(v);
}

function field<T>(d: SpaceDescription, key: string, check: (v: unknown) => v is T, what: string): T {
  const v = d[key];
  if (!check(v)) throw new SpaceError(`spaceFromJSON: ${d.type}.${key} must be ${what}, got ${formatValue(v)}`);
  return v;
}

const isNumber = (v: unknown): v is number => typeof v === "number";
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNumber);

registerSpaceType("Box", (d) => {
  const dtype = d.dtype;
  if (!isBoxDtype(dtype)) throw new SpaceError(`spaceFromJSON: Box.dtype is not a known dtype: ${formatValue(dtype)}`);
  const shape = field(d, "shape", isNumberArray, "an array of integers");
  return new Box({ low: decodeBound(d.low, "low"), high: decodeBound(d.high, "high"), shape, dtype });
});

registerSpaceType(
  "Discrete",
  (d) => new Discrete(field(d, "n", isNumber, "a number"), { start: field(d, "start", isNumber, "a number") }),
);

registerSpaceType("Tuple", (d, child) => new Tuple(field(d, "spaces", isArray, "an array").map(child)));

registerSpaceType("Dict", (d, child) => {
  const pairs = field(d, "spaces", isArray, "an array of [key, description] pairs");
  return new Dict(
    pairs.map((p) => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string") {
        throw new SpaceError(`spaceFromJSON: Dict.spaces entries must be [key, description], got ${formatValue(p)}`);
      }
      return [p[0], child(p[1])] as const;
    }),
  );
});

registerSpaceType("MultiDiscrete", (d) => {
  const dtype = d.dtype;
  if (!isBoxDtype(dtype) || dtype.startsWith("float"))
    throw new SpaceError(`spaceFromJSON: MultiDiscrete.dtype is not an integer dtype: ${formatValue(dtype)}`);
  const shape = field(d, "shape", isNumberArray, "an array of integers");
  const nvec = field(d, "nvec", isNumberArray, "an array of integers");
  const start = field(d, "start", isNumberArray, "an array of integers");
  const size = shape.reduce((a, b) => a * b, 1);
  if (nvec.length !== size || start.length !== size) {
    throw new SpaceError(
      `spaceFromJSON: MultiDiscrete nvec/start must have ${size} entries for shape [${shape.join(", ")}]`,
    );
  }
  return new MultiDiscrete(wrapNd(Float64Array.from(nvec), shape), {
    start: wrapNd(Float64Array.from(start), shape),
    dtype: dtype as IntegerDtype,
  });
});

registerSpaceType("MultiBinary", (d) => {
  const n = d.n;
  if (!isNumber(n) && !isNumberArray(n))
    throw new SpaceError(`spaceFromJSON: MultiBinary.n must be a number or an array, got ${formatValue(n)}`);
  return new MultiBinary(n);
});

registerSpaceType("Text", (d) => {
  const charset = field(
    d,
    "charset",
    (v): v is string[] => Array.isArray(v) && v.every((c) => typeof c === "string"),
    "an array of characters",
  );
  return new Text({
    maxLength: field(d, "maxLength", isNumber, "a number"),
    minLength: field(d, "minLength", isNumber, "a number"),
    charset,
  });
});
