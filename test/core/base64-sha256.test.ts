import t from "tap";
import { createHash, randomBytes } from "node:crypto";
import { base64ToBytes, bytesToBase64 } from "../../src/core/base64";
import { Sha256, sha256Hex } from "../../src/core/sha256";
import { InvalidArgumentError } from "../../src/core/errors";

t.test("Sha256 (plain JS) gives node:crypto's digests, in one or many updates", async (t) => {
  t.equal(
    new Sha256().update("abc").hex(),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "FIPS 180-4 'abc'",
  );
  t.equal(new Sha256().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty input");
  for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_001]) {
    const bytes = randomBytes(n);
    const want = createHash("sha256").update(bytes).digest("hex");
    t.equal(new Sha256().update(bytes).hex(), want, `${n} bytes at once`);
    const h = new Sha256();
    for (let i = 0; i < n; i += 37) h.update(bytes.subarray(i, i + 37));
    t.equal(h.hex(), want, `${n} bytes in 37-byte pieces`);
  }
  t.equal(
    sha256Hex(["a", new Uint8Array([98, 99])]),
    createHash("sha256").update("abc").digest("hex"),
    "sha256Hex over parts",
  );
});

t.test("base64 without Buffer round-trips and matches Buffer", async (t) => {
  for (const n of [0, 1, 2, 3, 4, 5, 100, 10_001]) {
    const bytes = randomBytes(n);
    const text = bytes.toString("base64");
    t.equal(bytesToBase64(bytes), text, `encode ${n}`);
    t.same(Buffer.from(base64ToBytes(text)), bytes, `decode ${n}`);
  }
  t.throws(() => base64ToBytes("AB$D"), InvalidArgumentError, "a character outside the alphabet");
  t.throws(() => base64ToBytes("ABCDE"), InvalidArgumentError, "an impossible length");
});
