import type { Space } from "../../core/space";
import { InvalidArgumentError } from "../../core/errors";
import { dictSubspaces, spaceType } from "./observation-features";

/** Geometry of the SamSegEnv observation the image agents read. */
export interface EmbeddingGeometry {
  /** The image [H, W] the click grid covers. */
  imageHeight: number;
  imageWidth: number;
  /** Embedding [C, h, w]. */
  channels: number;
  height: number;
  width: number;
  /** samPredMaskProb [mh, mw]. */
  maskHeight: number;
  maskWidth: number;
}

/** Read the embedding and mask shapes from a SamSegEnv-style Dict observation space. */
export function embeddingGeometry(space: Space): EmbeddingGeometry {
  if (spaceType(space) !== "Dict")
    throw new InvalidArgumentError(`image agents need a Dict observation space, got ${space.toString()}`);
  const sub = new Map(dictSubspaces(space));
  const e = sub.get("samImageEmbeddings")?.shape;
  const p = sub.get("samPredMaskProb")?.shape;
  const img = sub.get("image")?.shape;
  if (!e || e.length !== 3 || !p || p.length !== 2 || !img || img.length !== 3) {
    throw new InvalidArgumentError(
      `image agents need image [H, W, 3], samImageEmbeddings [C, h, w] and samPredMaskProb [H, W] Box keys, got ${space.toString()}`,
    );
  }
  return {
    imageHeight: img[0] as number,
    imageWidth: img[1] as number,
    channels: e[0] as number,
    height: e[1] as number,
    width: e[2] as number,
    maskHeight: p[0] as number,
    maskWidth: p[1] as number,
  };
}
