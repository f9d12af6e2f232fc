// fast-check generators of spaces for the property tests (shared by test/spaces/*.test.ts).
import fc from "fast-check";
import { Box, Dict, Discrete, Tuple, dtypeInfo, spaceFromJSON, BOX_DTYPES } from "../../src/spaces";
import type { BoxDtype, Space } from "../../src/spaces";

export const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });

/** A Box with random dtype, shape and per-element (or uniform) bounds of every boundedness. */
export const boxArb: fc.Arbitrary<Box<BoxDtype>> = fc
  .record({
    dtype: fc.constantFrom<BoxDtype>(...BOX_DTYPES),
    shape: shapeArb,
    uniform: fc.boolean(),
    seedBounds: fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
      ),
      {
        minLength: 64,
        maxLength: 64,
      },
    ),
  })
  .map(({ dtype, shape, uniform, seedBounds }) => {
    const info = dtypeInfo(dtype);
    const size = shape.reduce((a, b) => a * b, 1);
    const span = info.kind === "float" ? 1e6 : info.max - info.min;
    const low: number[] = [];
    const high: number[] = [];
    for (let i = 0; i < size; i++) {
      const [a, b, kind] = seedBounds[uniform ? 0 : i % 64]!;
      let lo = info.kind === "float" ? -5e5 + a * span : Math.floor(info.min + a * span);
      let hi = info.kind === "float" ? -5e5 + b * span : Math.floor(info.min + b * span);
      if (lo > hi) [lo, hi] = [hi, lo];
      // unsigned dtypes cannot be unbounded
      const k = info.kind === "uint" ? 0 : kind;
      low.push(k === 0 || k === 1 ? lo : -Infinity);
      high.push(k === 0 || k === 2 ? hi : Infinity);
    }
    return new Box({ low: uniform ? low[0]! : low, high: uniform ? high[0]! : high, shape, dtype });
  });

export const discreteArb: fc.Arbitrary<Discrete> = fc
  .record({ n: fc.integer({ min: 1, max: 50 }), start: fc.integer({ min: -20, max: 20 }) })
  .map(({ n, start }) => new Discrete(n, { start }));

/** Any space built from `leaves`, nested in Tuples and Dicts (of at least `minChildren` children) up to depth 2. */
export function compositeArb(leaves: fc.Arbitrary<Space<unknown>>, minChildren = 0): fc.Arbitrary<Space<unknown>> {
  const { space } = fc.letrec<{ space: Space<unknown> }>((tie) => ({
    space: fc.oneof(
      { depthSize: "small", withCrossShrink: true, maxDepth: 2 },
      leaves,
      fc.array(tie("space"), { minLength: minChildren, maxLength: 3 }).map((xs) => new Tuple(xs)),
      fc
        .uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), tie("space")), {
          selector: ([k]) => k,
          minLength: minChildren,
          maxLength: 3,
        })
        .map((entries) => new Dict(Object.fromEntries(entries) as Record<string, Space<unknown>>)),
    ),
  }));
  return space;
}

const sampleJson = (space: Space<unknown>, x: unknown): string => JSON.stringify(space.toJSON(x));

/**
 * The invariants every space must keep, checked on `samples` draws after `space.seed(seed)`:
 * samples are contained; reseeding replays them; toJSON/fromJSON round-trips each sample;
 * spaceFromJSON(describe()) rebuilds an equal space with the same toString().
 */
export function holdsSpaceInvariants(space: Space<unknown>, seed: number, samples: number): boolean {
  space.seed(seed);
  const xs = Array.from({ length: samples }, () => space.sample());
  space.seed(seed);
  const ys = Array.from({ length: samples }, () => space.sample());
  const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(space.describe())));
  return (
    xs.every((x) => space.contains(x)) &&
    xs.every((x, i) => sampleJson(space, x) === sampleJson(space, ys[i])) &&
    xs.every((x) => sampleJson(space, space.fromJSON(JSON.parse(sampleJson(space, x)))) === sampleJson(space, x)) &&
    rebuilt.equals(space) &&
    rebuilt.toString() === space.toString()
  );
}
