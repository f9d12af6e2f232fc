/** The parts of an env id `[namespace/]name[-vN]`, e.g. "CartPole-v1" -> {namespace: null, name: "CartPole", version: 1}. */
export interface EnvIdParts {
  namespace: string | null;
  name: string;
  version: number | null;
}

const ENV_ID = /^(?:([\w:-]+)\/)?([\w:.-]+?)(?:-v(\d+))?$/;

/** Split an env id into namespace, name and version (Gymnasium's `parse_env_id`); null when malformed. */
export function parseEnvId(id: string): EnvIdParts | null {
  const m = ENV_ID.exec(id);
  if (m === null) return null;
  return { namespace: m[1] ?? null, name: m[2] as string, version: m[3] === undefined ? null : Number(m[3]) };
}

/** Levenshtein edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

/**
 * The candidates closest to `query` by case-insensitive edit distance, best first: those within
 * `max(2, 40% of the query length)` edits, or sharing the query's name without its version
 * (so "CartPole-v0" suggests "CartPole-v1"). At most `limit` results.
 */
export function closeMatches(query: string, candidates: Iterable<string>, limit = 3): string[] {
  const q = query.toLowerCase();
  const qName = parseEnvId(query)?.name.toLowerCase();
  const budget = Math.max(2, Math.ceil(0.4 * q.length));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const d = editDistance(q, c.toLowerCase());
    const sameName = qName !== undefined && parseEnvId(c)?.name.toLowerCase() === qName;
    if (d <= budget || sameName) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
  return scored.slice(0, limit).map(([c]) => c);
}
