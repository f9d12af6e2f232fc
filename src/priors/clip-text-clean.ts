/**
 * CLIP's text clean-up before BPE (openai/CLIP `simple_tokenizer.py`: `basic_clean` then
 * `whitespace_clean`), written for the tokenizer in clip-tokenizer.ts.
 *
 * - ftfy: CLIP runs `ftfy.fix_text`; here only the parts that matter for prompts are kept:
 *   Unicode NFC normalisation and curly quotes made straight (ftfy's `uncurl_quotes`). Mojibake
 *   repair is not attempted: text that ftfy would change in other ways may tokenize differently.
 * - HTML: `html.unescape` applied twice, as CLIP does: numeric references (`&#38;`, `&#x26;`)
 *   and the named references below (with the trailing `;`, or without it for the legacy names
 *   Python also accepts bare: amp, lt, gt, quot, nbsp, copy, reg).
 * - whitespace: every run of whitespace becomes one space; both ends are trimmed.
 */

/** Named character references known to {@link htmlUnescape} (a common subset of HTML5's table). */
const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  copy: "\u00a9",
  reg: "\u00ae",
  trade: "\u2122",
  hellip: "\u2026",
  mdash: "\u2014",
  ndash: "\u2013",
  lsquo: "\u2018",
  rsquo: "\u2019",
  ldquo: "\u201c",
  rdquo: "\u201d",
  laquo: "\u00ab",
  raquo: "\u00bb",
  deg: "\u00b0",
  times: "\u00d7",
  divide: "\u00f7",
  euro: "\u20ac",
  pound: "\u00a3",
  yen: "\u00a5",
  cent: "\u00a2",
  sect: "\u00a7",
  middot: "\u00b7",
  bull: "\u2022",
  eacute: "\u00e9",
  egrave: "\u00e8",
  agrave: "\u00e0",
  aacute: "\u00e1",
  iuml: "\u00ef",
  uuml: "\u00fc",
  ouml: "\u00f6",
  auml: "\u00e4",
  ccedil: "\u00e7",
  ntilde: "\u00f1",
};

/** Legacy names Python's html.unescape also decodes without the trailing semicolon. */
const BARE = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);

/** Python's html.unescape replacements for invalid numeric references. */
function codePointText(cp: number): string {
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return "\ufffd";
  return String.fromCodePoint(cp);
}

/**
 * Decode HTML character references once, like Python's `html.unescape` for numeric references
 * and the names in this file's table; unknown names stay as they are.
 */
export function htmlUnescape(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)/g, (whole: string, ref: string) => {
    if (ref.startsWith("#")) {
      const hex = ref[1] === "x" || ref[1] === "X";
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, "");
      return codePointText(Number.parseInt(digits, hex ? 16 : 10));
    }
    const semi = ref.endsWith(";");
    const name = semi ? ref.slice(0, -1) : ref;
    const hit = NAMED[name];
    if (hit !== undefined && (semi || BARE.has(name))) return hit;
    // A bare legacy name followed by more letters (e.g. "&ampx"): Python decodes the prefix.
    for (const b of BARE) if (!semi && name.startsWith(b)) return (NAMED[b] as string) + ref.slice(b.length);
    return whole;
  });
}

/** CLIP's `basic_clean`: the ftfy subset above, HTML unescaped twice, ends trimmed. */
export function clipBasicClean(text: string): string {
  const fixed = text
    .normalize("NFC")
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"');
  return htmlUnescape(htmlUnescape(fixed)).trim();
}

/** CLIP's `whitespace_clean`: runs of whitespace become one space, ends trimmed. */
export function clipWhitespaceClean(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}
