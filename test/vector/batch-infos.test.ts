import t from "tap";
import { addInfo } from "../../src/vector";

t.test("numbers -> Float64Array, booleans -> boolean[], others -> arrays with null, masks", async (t) => {
  const infos = {};
  addInfo(infos, { n: 3, b: true, s: "x", o: [1, 2] }, 1, 3);
  addInfo(infos, { n: 5, s: "y" }, 2, 3);
  t.strictSame(infos, {
    n: Float64Array.of(0, 3, 5),
    _n: [false, true, true],
    b: [false, true, false],
    _b: [false, true, false],
    s: [null, "x", "y"],
    _s: [false, true, true],
    o: [null, [1, 2], null],
    _o: [false, true, false],
  });
});

t.test("nested dicts recurse with their own masks", async (t) => {
  const infos = {};
  addInfo(infos, { episode: { r: 1.5, l: 3 } }, 0, 2);
  addInfo(infos, { episode: { r: 2 }, other: { deep: { x: false } } }, 1, 2);
  t.strictSame(infos, {
    episode: { r: Float64Array.of(1.5, 2), _r: [true, true], l: Float64Array.of(3, 0), _l: [true, false] },
    _episode: [true, true],
    other: { deep: { x: [false, false], _x: [false, true] }, _deep: [false, true] },
    _other: [false, true],
  });
});

t.test("a key whose type differs between envs falls back to a plain array", async (t) => {
  const infos = {};
  addInfo(infos, { v: 1 }, 0, 3);
  addInfo(infos, { v: "two" }, 1, 3);
  addInfo(infos, { w: true }, 0, 3);
  addInfo(infos, { w: 7 }, 2, 3);
  t.strictSame(infos, { v: [1, "two", 0], _v: [true, true, false], w: [true, false, 7], _w: [true, false, true] });
});

t.test("finalObs always uses a plain array (whole observations)", async (t) => {
  const infos = {};
  addInfo(infos, { finalObs: 4, finalInfo: { t: 2 } }, 1, 2);
  t.strictSame(infos, {
    finalObs: [null, 4],
    _finalObs: [false, true],
    finalInfo: { t: Float64Array.of(0, 2), _t: [false, true] },
    _finalInfo: [false, true],
  });
});
