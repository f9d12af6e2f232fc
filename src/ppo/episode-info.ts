// What the trainer reports of an episode that ended besides its return and length.

/** Numeric values of `keys` that env i supplied in a vector env's infos (dict of arrays + `_key` masks). */
export function finalInfo(infos: Record<string, unknown>, i: number, keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) {
    const values = infos[key] as ArrayLike<unknown> | undefined;
    const mask = infos[`_${key}`] as ArrayLike<unknown> | undefined;
    if (values === undefined || (mask !== undefined && !mask[i])) continue;
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
