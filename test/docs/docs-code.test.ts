// Every ```ts block of docs/*.md and README.md is type-checked here, so the guides cannot rot.
// A block's import lines and one-line `declare` statements (`declare const samples: Sample[];`,
// to stand for values the reader already has) stay at top level; the rest is wrapped in an
// async function, so blocks may use top-level `await`. "alignsam-gym", "alignsam-gym/testing" and "alignsam-gym/ppo"
// resolve to the sources. A block fenced as ```ts nocheck is skipped (use it only for fragments
// that cannot stand alone, e.g. a shell transcript mislabelled as ts). A deliberately wrong
// control block is compiled alongside, so the test fails if the checker stops reporting errors
// (e.g. the "alignsam-gym" path mapping silently resolving to nothing). A second test checks
// that every relative link of README.md and docs/*.md points to an existing file and heading.
import t from "tap";
import ts from "typescript";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "../..");

interface Block {
  file: string;
  line: number;
  code: string;
}

function extractBlocks(file: string): Block[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\s*$/.exec(lines[i]!.trim());
    if (!open) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j]!.trim() !== "```") j++;
    blocks.push({ file, line: start + 1, code: lines.slice(start, j).join("\n") });
    i = j;
  }
  return blocks;
}

function toModule(block: Block): string {
  const imports: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const l of block.code.split("\n")) {
    if (inImport || /^import\s/.test(l)) {
      imports.push(l);
      inImport = !/;\s*$/.test(l) && !/from\s+["'][^"']+["']\s*;?\s*$/.test(l);
    } else if (/^declare\s.*;\s*(\/\/.*)?$/.test(l)) imports.push(l);
    else body.push(l);
  }
  return `${imports.join("\n")}\nexport async function __docBlock(): Promise<void> {\n${body.join("\n")}\n}\n`;
}

const docFiles = [
  join(root, "README.md"),
  ...(existsSync(join(root, "docs"))
    ? readdirSync(join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => join(root, "docs", f))
    : []),
].filter(existsSync);

const blocks = docFiles.flatMap(extractBlocks);

t.test("every TypeScript block in the guides type-checks", async (t) => {
  t.ok(blocks.length > 0, "the guides contain TypeScript blocks");
  const files = new Map<string, string>();
  blocks.forEach((b, i) => files.set(join(root, ".docs-check", `block${i}.ts`), toModule(b)));
  // Control: resolves "alignsam-gym" to the sources, then assigns a number to a string.
  const control = join(root, ".docs-check", "control.ts");
  files.set(
    control,
    toModule({
      file: "control",
      line: 1,
      code: 'import { Discrete } from "alignsam-gym";\nconst n: string = new Discrete(3).n;',
    }),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"], // as tsconfig.json: no DOM globals in examples meant for Node
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ["node"],
    baseUrl: root,
    paths: {
      "alignsam-gym": ["src/index.ts"],
      "alignsam-gym/testing": ["src/testing/index.ts"],
      "alignsam-gym/ppo": ["src/ppo/index.ts"],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(resolve(f)) ?? readFile(f);
  host.fileExists = (f) => files.has(resolve(f)) || fileExists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(resolve(d.file.fileName)));
  const controlDiags = diags.filter((d) => resolve(d.file!.fileName) === control);
  t.same(
    controlDiags.map((d) => d.code),
    [2322],
    "the control block fails with exactly one type error (the checker resolves alignsam-gym and reports errors)",
  );
  for (const [i, b] of blocks.entries()) {
    const name = join(root, ".docs-check", `block${i}.ts`);
    const mine = diags.filter((d) => resolve(d.file!.fileName) === name);
    const where = `${b.file.slice(root.length + 1)}:${b.line}`;
    t.equal(mine.length, 0, `${where} compiles`, {
      diagnostics: mine.map((d) => {
        const text = d.file!.text;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const source = text.split("\n")[line]?.trim() ?? "";
        return `${ts.flattenDiagnosticMessageText(d.messageText, "\n")} (at: ${source})`;
      }),
    });
  }
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
}

t.test("every relative link of the guides points to an existing file and heading", async (t) => {
  let links = 0;
  for (const file of docFiles) {
    const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const resolved = path === "" ? file : resolve(join(file, ".."), path);
      const where = `${file.slice(root.length + 1)} -> ${target}`;
      links++;
      if (!existsSync(resolved)) {
        t.fail(`${where}: no such file`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith(".md"))
        t.ok(anchorsOf(resolved).has(anchor), `${where}: heading exists`);
    }
  }
  t.ok(links > 0, `the guides link to each other (${links} relative links checked)`);
});
