import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { ClipSurgeryPrior } from "./clip-surgery-prior";
import type { ClipPriorMaps, ClipSurgeryPriorOptions } from "./clip-surgery-prior";
import { isClipSurgeryProviderConfig } from "./clip-surgery-config";
import type { ClipSurgeryProviderConfig } from "./clip-surgery-config";

export { isClipSurgeryProviderConfig } from "./clip-surgery-config";
export type { ClipSurgeryProviderConfig } from "./clip-surgery-config";

/**
 * A CLIP-Surgery prior that loads its models on first use, for code that must build a
 * provider synchronously (the explicit agent's constructor): `channels` is 1 at once; the first
 * `prior` call runs {@link ClipSurgeryPrior.create} (contract errors surface there). Call
 * `ready()` to load and check the models early.
 *
 * @example
 * ```ts
 * const prior = new LazyClipSurgeryPrior({ kind: "clip-surgery", imageEncoder: "img.onnx", textEncoder: "txt.onnx" });
 * await prior.ready();                 // optional: fail early on a bad file
 * const maps = await prior.prior(image, "dog");
 * prior.dispose();
 * ```
 */
export class LazyClipSurgeryPrior {
  readonly channels = 1;
  /** The config it was built from. */
  readonly config: ClipSurgeryProviderConfig;
  private loading: Promise<ClipSurgeryPrior> | null = null;
  private readonly extra: Omit<ClipSurgeryPriorOptions, "imageEncoder" | "textEncoder" | "imageSize">;

  /**
   * @param extra options beyond the config's (cache, mapSize, templates, threads).
   * @throws InvalidArgumentError on a config that is not a ClipSurgeryProviderConfig.
   */
  constructor(
    config: ClipSurgeryProviderConfig,
    extra: Omit<ClipSurgeryPriorOptions, "imageEncoder" | "textEncoder" | "imageSize"> = {},
  ) {
    if (!isClipSurgeryProviderConfig(config)) {
      throw new InvalidArgumentError(
        `a clip-surgery prior provider needs { kind: "clip-surgery", imageEncoder, textEncoder } paths, got ${JSON.stringify(config)}`,
      );
    }
    this.config = { ...config };
    this.extra = extra;
  }

  /** The loaded prior (models loaded and checked on the first call). */
  ready(): Promise<ClipSurgeryPrior> {
    const { imageEncoder, textEncoder, imageSize } = this.config;
    this.loading ??= ClipSurgeryPrior.create({
      ...this.extra,
      imageEncoder,
      textEncoder,
      ...(imageSize !== undefined ? { imageSize } : {}),
    }).catch((err: unknown) => {
      this.loading = null;
      throw err;
    });
    return this.loading;
  }

  /** See {@link ClipSurgeryPrior.prior}. */
  async prior(image: NdArray<Uint8Array>, category: string): Promise<ClipPriorMaps> {
    return (await this.ready()).prior(image, category);
  }

  /** Release the models (in the background; the prior reloads them if used again). */
  dispose(): void {
    const loading = this.loading;
    this.loading = null;
    void loading?.then(
      (p) => p.dispose(),
      () => undefined,
    );
  }
}
