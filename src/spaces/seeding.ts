import { validateSeed } from "../core/rng";
import type { Space } from "../core/space";

/**
 * A seed for any space: a number, or for composite spaces one seed per child (an array for
 * Tuple, an object keyed like the space for Dict), nested as deep as the spaces are.
 */
export type SpaceSeed = number | readonly SpaceSeed[] | { readonly [key: string]: SpaceSeed };

/** The value type of a space: `SpaceValue<Discrete>` is number. */
export type SpaceValue<S> = S extends Space<infer T> ? T : never;

/** Largest child seed (exclusive) a composite draws: NumPy's iinfo(int32).max, as Gymnasium. */
const CHILD_SEED_BOUND = 2147483647;

/** Seed a child space with a number or a nested per-child seed. */
export function seedChild(space: Space<unknown>, seed: SpaceSeed | undefined): number[] {
  return (space.seed as (s?: SpaceSeed) => number[]).call(space, seed);
}

/**
 * Gymnasium's composite seeding with an integer: `ownSeed` seeds the composite's own rng, which
 * then draws one child seed per child in [0, 2^31 - 1). Returns [ownSeed, ...child seeds].
 */
export function seedChildrenFromOwn(
  composite: Space<unknown>,
  ownSeed: number,
  children: readonly Space<unknown>[],
  seedOwn: (seed: number) => number[],
): number[] {
  const own = seedOwn(validateSeed(ownSeed));
  const subseeds = children.map(() => composite.rng.integers(0, CHILD_SEED_BOUND));
  const out = [...own];
  children.forEach((child, i) => out.push(...seedChild(child, subseeds[i])));
  return out;
}
