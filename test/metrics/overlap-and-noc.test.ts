import t from "tap";
import { dice, iou, nocAt, nofAt, meanNocAt, meanIouAt } from "../../src/metrics";
import { InvalidArgumentError } from "../../src/core/errors";
import { empty, rect } from "./helpers";

t.test("iou and dice on overlapping rectangles", async (t) => {
  const a = rect(10, 10, 0, 3, 0, 3); // 16 px
  const b = rect(10, 10, 2, 5, 2, 5); // 16 px, 4 in common
  t.equal(iou(a, b), 4 / 28);
  t.equal(dice(a, b), 8 / 32);
  t.equal(iou(a, a), 1);
  t.equal(iou(empty(3, 3), empty(3, 3)), 1, "two empty masks agree");
  t.equal(iou(a, empty(10, 10)), 0);
});

t.test("ignore pixels are left out of iou/dice", async (t) => {
  const a = rect(10, 10, 0, 3, 0, 3);
  const b = rect(10, 10, 0, 3, 0, 5);
  const ignore = rect(10, 10, 0, 9, 4, 9);
  t.equal(iou(a, b, ignore), 1);
  t.equal(dice(a, b, ignore), 1);
  t.throws(() => iou(a, empty(9, 10)), InvalidArgumentError);
});

t.test("nocAt / nofAt / meanNocAt / meanIouAt", async (t) => {
  t.equal(nocAt([0.7, 0.88, 0.93], 0.9), 3);
  t.equal(nocAt([0.95], 0.9), 1);
  t.equal(nocAt([0.7, 0.88], 0.9), 20, "never reached -> maxClicks");
  t.equal(nocAt([0.1, 0.2, 0.3, 0.95], 0.9, 3), 3, "entries after maxClicks do not count");
  t.equal(nofAt([[0.95], [0.5, 0.6], [0.1, 0.9]], 0.9), 1);
  t.equal(meanNocAt([[0.95], [0.5, 0.92]], 0.9), 1.5);
  t.equal(
    meanIouAt(
      [
        [0.5, 0.8],
        [0.7, 0.9],
      ],
      2,
    ),
    (0.8 + 0.9) / 2,
  );
  t.equal(meanIouAt([[0.5], [0.7, 0.9]], 2), (0.5 + 0.9) / 2, "short curve contributes its last value");
  t.throws(() => nocAt([0.5], 1.5), /1\.5/);
  t.throws(() => nocAt([0.5], 0.9, 0), /maxClicks/);
  t.throws(() => meanIouAt([[0.5]], 0), /k must/);
});
