import t from "tap";
import ndarray from "ndarray";
import { DecodedImageCache } from "../../src/data/decoded-image-cache";
import { InvalidArgumentError } from "../../src/core/errors";

const image = (v: number) => ndarray(new Uint8Array(2 * 2 * 3).fill(v), [2, 2, 3]); // 12 bytes

t.test("least recently used images go first; the byte budget holds; copies in and out", async (t) => {
  const cache = new DecodedImageCache(30); // two 12-byte images
  const a = image(1);
  cache.set(1, a);
  cache.set(2, image(2));
  a.data.fill(9); // the cache kept its own copy
  t.same([...cache.get(1)!.data], new Array(12).fill(1), "1 is now the most recent");
  cache.set(3, image(3)); // evicts 2, the least recently used
  t.equal(cache.get(2), null);
  t.same(cache.get(3)!.shape, [2, 2, 3]);
  t.equal(cache.size, 2);
  t.equal(cache.bytes, 24);
  cache.get(1)!.data.fill(7);
  t.same([...cache.get(1)!.data], new Array(12).fill(1), "handed-out copies are the caller's");
  cache.set(1, image(4)); // replacing a key does not count it twice
  t.equal(cache.bytes, 24);
  t.same([...cache.get(1)!.data], new Array(12).fill(4));
  cache.set(5, ndarray(new Uint8Array(48), [4, 4, 3])); // larger than the whole budget: not kept
  t.equal(cache.get(5), null);
  t.equal(cache.bytes, 24);
  const none = new DecodedImageCache(0);
  none.set(1, image(1));
  t.equal(none.get(1), null);
  t.equal(none.size, 0);
});

t.test("a bad budget is refused by name", async (t) => {
  for (const bad of [-1, NaN, Infinity]) {
    t.throws(() => new DecodedImageCache(bad), { name: "InvalidArgumentError", message: /cache size/ });
  }
  t.throws(() => new DecodedImageCache("8" as unknown as number), InvalidArgumentError);
});
