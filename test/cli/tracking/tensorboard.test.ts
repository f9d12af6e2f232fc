import t from "tap";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32c, maskedCrc32c } from "../../../src/cli/tracking/crc32c";
import { frameRecord, readRecords } from "../../../src/cli/tracking/tfrecord";
import { TensorBoardWriter } from "../../../src/cli/tracking/tensorboard-writer";
import { readEventFile } from "../helpers/tfevents-reader";

t.test("CRC-32C check values", async (t) => {
  t.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283, "the standard check value");
  t.equal(crc32c(new Uint8Array(32)), 0x8a9136aa, "32 zero bytes (RFC 3720 B.4)");
  t.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43, "32 0xFF bytes (RFC 3720 B.4)");
  const c = crc32c(new Uint8Array(32));
  t.equal(maskedCrc32c(new Uint8Array(32)), (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
});

t.test("TFRecord framing round-trips and detects corruption", async (t) => {
  const a = frameRecord(new Uint8Array([1, 2, 3])),
    b = frameRecord(new Uint8Array(0));
  t.equal(a.length, 12 + 3 + 4);
  const both = new Uint8Array([...a, ...b]);
  t.same(
    readRecords(both).map((r) => Array.from(r)),
    [[1, 2, 3], []],
  );
  const bad = both.slice();
  bad[13] ^= 1;
  t.throws(() => readRecords(bad), /bad payload CRC at byte 0/);
  const badLen = both.slice();
  badLen[19] ^= 1;
  t.throws(() => readRecords(badLen), /bad length CRC at byte 19/);
  t.throws(() => readRecords(both.subarray(0, both.length - 1)), /truncated/);
});

t.test("TensorBoardWriter writes a file-version event then scalar events", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-tb-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tb = new TensorBoardWriter(dir, () => 1_700_000_000_500);
  tb.addScalars(128, { "charts/episodic_return": 21.5, "losses/value_loss": 0.125, skipped: null, nan: NaN });
  tb.addScalars(2 ** 40, { "charts/SPS": 300 });
  tb.close();
  tb.close();
  t.throws(() => tb.addScalars(1, { a: 1 }), /closed/);
  const files = readdirSync(dir);
  t.equal(files.length, 1);
  t.match(files[0]!, /^events\.out\.tfevents\.1700000000\./);
  const events = readEventFile(join(dir, files[0]!));
  t.equal(events.length, 3);
  t.equal(events[0]!.fileVersion, "brain.Event:2");
  t.equal(events[0]!.wallTime, 1_700_000_000.5);
  t.equal(events[1]!.step, 128);
  t.same(events[1]!.scalars, [
    { tag: "charts/episodic_return", value: 21.5 },
    { tag: "losses/value_loss", value: 0.125 },
  ]);
  t.equal(events[2]!.step, 2 ** 40, "steps above 2^32 survive the varint");
  t.throws(() => new TensorBoardWriter(dir).addScalars(-1, {}), /non-negative integer/);
});

// Python's reader, only where Debian ships it (python3-tensorboard / tensorflow); skipped otherwise.
const probe = spawnSync("python3", ["-c", "import tensorboard.backend.event_processing.event_accumulator"], {
  encoding: "utf8",
});
const noPython = probe.status !== 0 ? "python3 tensorboard package not installed (Debian has none)" : false;
t.test("TensorBoard's own Python reader agrees", { skip: noPython }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-tb-py-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tb = new TensorBoardWriter(dir);
  tb.addScalars(7, { "charts/episodic_return": 3.25 });
  tb.close();
  const script = join(dir, "read.py");
  writeFileSync(
    script,
    [
      "import sys",
      "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator",
      "acc = EventAccumulator(sys.argv[1]); acc.Reload()",
      "e = acc.Scalars('charts/episodic_return')[0]",
      "print(e.step, e.value)",
    ].join("\n"),
  );
  t.equal(execFileSync("python3", [script, dir], { encoding: "utf8" }).trim(), "7 3.25");
});
