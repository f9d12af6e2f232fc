import t from "tap";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { ClipBpeTokenizer, clipTokenize } from "../../src/priors/clip-tokenizer";
import { bundledClipBpeMerges, bundledClipBpePath } from "../../src/priors/clip-bpe-merges";
import { htmlUnescape } from "../../src/priors/clip-text-clean";
import { InvalidArgumentError } from "../../src/core/errors";
import { FIXTURES_SKIP, clipGolden } from "./clip-fixtures";
import type { ClipGolden } from "./clip-fixtures";

t.setTimeout(120_000);

t.test(
  "all reference tokenizer cases match CLIP's ids exactly (truncate: true, as the goldens were made)",
  { skip: FIXTURES_SKIP },
  async (t) => {
    const g = clipGolden() as ClipGolden;
    t.equal(g.tokenizer_cases.length, 175);
    const rows = clipTokenize(
      g.tokenizer_cases.map((c) => c.text),
      { truncate: true },
    );
    t.same(rows.shape, [175, 77]);
    let exact = 0;
    g.tokenizer_cases.forEach((c, i) => {
      const row = Array.from(rows.data.subarray(i * 77, (i + 1) * 77));
      const want = [...c.ids, ...new Array<number>(77 - c.ids.length).fill(0)];
      if (JSON.stringify(row) === JSON.stringify(want)) exact++;
      else
        t.fail(`${JSON.stringify(c.text)}: got ${row.slice(0, c.ids.length + 1).join(" ")}, want ${c.ids.join(" ")}`);
    });
    t.equal(exact, 175, "175/175 exact");
    const tokens = clipTokenize(g.text_onnx_check.texts);
    t.same(Array.from(tokens.data), g.text_onnx_check.tokens.flat(), "the text encoder check's tokens");
  },
);

t.test("special tokens, padding, truncation and the over-long error", async (t) => {
  const tok = ClipBpeTokenizer.bundled();
  t.equal(tok.startToken, 49406);
  t.equal(tok.endToken, 49407);
  t.equal(tok.vocabSize, 49408);
  const empty = clipTokenize("");
  t.same(Array.from(empty.data.subarray(0, 3)), [49406, 49407, 0]);
  t.same(clipTokenize("a dog", { contextLength: 5 }).shape, [1, 5]);
  const long = "dog ".repeat(100);
  t.throws(() => clipTokenize(["cat", long]), {
    name: "InvalidArgumentError",
    message: /text "dog dog.*102 tokens, over the context length 77/,
  });
  const cut = clipTokenize(long, { truncate: true, contextLength: 6 });
  t.same(Array.from(cut.data), [49406, 1929, 1929, 1929, 1929, 49407], "end token last");
  t.throws(() => clipTokenize("x", { contextLength: 1 }), InvalidArgumentError);
  t.throws(() => clipTokenize([3 as unknown as string]), InvalidArgumentError);
});

t.test("clean-up: case, whitespace, HTML entities (twice) and curly quotes", async (t) => {
  const ids = (s: string): number[] => ClipBpeTokenizer.bundled().encode(s);
  t.same(ids("  A\tPHOTO \n of a DOG.  "), ids("a photo of a dog."));
  t.same(ids("a photo of a dog."), [320, 1125, 539, 320, 1929, 269]);
  t.same(ids("&amp;amp; &#60;b&#x3E;"), ids("& <b>"));
  t.same(ids("don\u2019t"), ids("don't"));
  t.equal(htmlUnescape("&amp &ampx &unknown; &#0; &#x1F600;"), "& &x &unknown; \ufffd \u{1F600}");
});

t.test("a tokenizer from gzipped merges equals the bundled one; bad merges are rejected", async (t) => {
  const bytes = readFileSync(bundledClipBpePath());
  const tok = await ClipBpeTokenizer.fromGzip(bytes);
  t.same(
    Array.from(tok.tokenize(["naïve café", "12345"]).data),
    Array.from(clipTokenize(["naïve café", "12345"]).data),
  );
  t.throws(() => new ClipBpeTokenizer("#version\na b\nc"), InvalidArgumentError);
  const short = bundledClipBpeMerges().split("\n").slice(0, 100).join("\n");
  t.throws(() => new ClipBpeTokenizer(short), /has 99 merges after its header, CLIP uses 48894/);
  t.ok(gzipSync(Buffer.from("x")).length > 0);
});
