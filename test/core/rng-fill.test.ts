import t from "tap";
import { Rng } from "../../src/core";

t.test("fillUint32 continues the stream exactly as repeated uint32() calls", async (t) => {
  for (const n of [0, 1, 7, 4096, 5000]) {
    const a = new Rng(99);
    const b = new Rng(99);
    a.uint32();
    b.uint32();
    const bulk = a.fillUint32(new Uint32Array(n));
    const single = Uint32Array.from({ length: n }, () => b.uint32());
    t.same(Array.from(bulk), Array.from(single), `n = ${n}`);
    t.equal(a.uint32(), b.uint32(), `the stream continues in step after n = ${n}`);
  }
});
