import { validateSeed } from "../core/rng";
import type { Rng } from "../core/rng";
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

/** Every rng of a space tree (composites expose their `children`). */
function rngsOf(space: Space<unknown>, out: Rng[] = []): Rng[] {
  out.push(space.rng);
  const kids = (space as { children?: unknown }).children;
  if (Array.isArray(kids)) for (const k of kids as Space<unknown>[]) rngsOf(k, out);
  return out;
}

/**
 * Run a composite's masked sampling so that it is all-or-nothing: when a child rejects its mask,
 * every rng of the tree is restored before the error propagates (state unchanged after an error).
 */
export function sampleAtomically<T>(space: Space<unknown>, draw: () => T): T {
  const rngs = rngsOf(space);
  const states = rngs.map((r) => r.getState());
  try {
    return draw();
  } catch (err) {
    rngs.forEach((r, i) => r.setState(states[i] as ReturnType<Rng["getState"]>));
    throw err;
  }
}
