// Duck-type checks of what SamSegEnv is given, and the charset of its targetCategory space.
import type { Dataset } from "../../data/dataset";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";

/** Whether `d` looks like a Dataset (without reading `categories`, which may need loading first). */
export function isDataset(d: unknown): d is Dataset {
  return typeof d === "object" && d !== null && "categories" in d && typeof (d as Dataset).sample === "function";
}

/** The dataset's categories when readable before loading (a lazy dataset may throw), else null. */
export function categoriesIfKnown(d: Dataset): string[] | null {
  try {
    const c = d.categories;
    return Array.isArray(c) && c.length > 0 ? c : null;
  } catch {
    return null;
  }
}

/** Whether `s` has the shape of a PromptableSegmenter. */
export function isSegmenter(s: unknown): s is PromptableSegmenter {
  const x = s as PromptableSegmenter;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.embed === "function" &&
    typeof x.predict === "function" &&
    Array.isArray(x.embeddingShape) &&
    Array.isArray(x.lowResShape)
  );
}

/** Characters allowed in targetCategory: letters, digits, space and the characters of the known categories. */
export function categoryCharset(known: readonly string[] | null): string {
  const base = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_'.()/&+";
  const extra = new Set((known ?? []).join(""));
  for (const ch of base) extra.delete(ch);
  return base + [...extra].join("");
}

/** Whether `v` is a plain object (object literal or JSON), not a class instance or array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A dataset's `allCategories` (every category, usable or not, as CocoDataset lists them) when it has one, else []. */
export function allCategoriesIfKnown(d: Dataset): string[] {
  try {
    const all = (d as { allCategories?: unknown }).allCategories;
    return Array.isArray(all) ? all.filter((c): c is string => typeof c === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Whether `v` is a plain-data component spec (a plain object with a `kind` string: a DatasetSpec
 * or SegmenterSpec candidate; its builder checks the rest).
 */
export function isComponentSpec(v: unknown): v is { kind: string } {
  return isPlainObject(v) && typeof v.kind === "string";
}
