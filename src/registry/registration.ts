import { Env, Wrapper, RegistryError, checkOptionKeys, warn } from "../core";
import { formatValue } from "../core/format-value";
import type { EnvSpec } from "../core";
import { OrderEnforcing, PassiveEnvChecker, TimeLimit } from "../wrappers";
import { closeMatches, parseEnvId } from "./env-id";

/** Keyword arguments of an env constructor (camelCase option names, e.g. `{renderMode: "rgb_array"}`). */
export type EnvKwargs = Record<string, unknown>;

/** An env class whose constructor takes one options object. */
export type EnvConstructor = new (kwargs: never) => Env<unknown, unknown>;
/** A function building an env from its options object (a lazy `require` inside keeps heavy modules unloaded). */
export type EnvFactory = (kwargs: never) => Env<unknown, unknown>;
/** What `register` accepts as `entryPoint`: an Env subclass or a factory function. */
export type EntryPoint = EnvConstructor | EnvFactory;

/** An extra wrapper applied by `make` after TimeLimit (Gymnasium's WrapperSpec). */
export interface WrapperSpec {
  /** A name for messages and `spec.additionalWrappers`, e.g. "RecordEpisodeStatistics". */
  name: string;
  /** Builds the wrapper around `env`. */
  entryPoint: (env: Env<unknown, unknown>, kwargs: EnvKwargs) => Env<unknown, unknown>;
  /** Options passed to `entryPoint`. */
  kwargs: EnvKwargs;
}

/** Options of {@link register}. */
export interface RegisterOptions {
  /** `[namespace/]name[-vN]`, e.g. "CartPole-v1". */
  id: string;
  /** The env class or factory; it receives the merged kwargs. */
  entryPoint: EntryPoint;
  /** Default constructor options; `make` options override them key by key. */
  kwargs?: EnvKwargs;
  /** Episode step limit applied by `make` through TimeLimit; null -> none (default). */
  maxEpisodeSteps?: number | null;
  /** The mean episode return at which the task counts as solved; null -> none (default). */
  rewardThreshold?: number | null;
  /** Whether the env stays random even with a fixed seed (default false). */
  nondeterministic?: boolean;
  /** Whether `make` applies OrderEnforcing (default true). */
  orderEnforce?: boolean;
  /** Whether `make` skips PassiveEnvChecker by default (default false). */
  disableEnvChecker?: boolean;
  /** Wrappers `make` applies after TimeLimit, innermost first. */
  additionalWrappers?: WrapperSpec[];
}

/**
 * The registered env specs by id (Gymnasium's `gymnasium.envs.registry`). Deleting a key
 * unregisters the env.
 */
export const registry: Map<string, EnvSpec> = new Map();

/**
 * Register an env under `id` so that `make(id)` builds it (Gymnasium's `register`). Registering
 * an existing id again warns and replaces it, as in Gymnasium.
 *
 * @example
 * ```ts
 * register({ id: "MyGrid-v0", entryPoint: GridEnv, kwargs: { size: 8 }, maxEpisodeSteps: 100 });
 * const env = make("MyGrid-v0", { size: 16 }); // new GridEnv({ size: 16 }) in the wrapper stack
 * ```
 *
 * @throws RegistryError on a malformed id, a missing entry point, a bad `maxEpisodeSteps`, or when
 *   a versioned and an unversioned env of the same name would coexist.
 */
export function register(opts: RegisterOptions): void {
  const parts = typeof opts?.id === "string" ? parseEnvId(opts.id) : null;
  if (parts === null) {
    throw new RegistryError(
      `register: malformed env id ${JSON.stringify(opts?.id)}; expected "[namespace/]name[-vN]", e.g. "CartPole-v1"`,
    );
  }
  if (typeof opts.entryPoint !== "function") {
    throw new RegistryError(
      `register(${opts.id}): entryPoint must be an Env class or a factory function, got ${typeof opts.entryPoint}`,
    );
  }
  const maxEpisodeSteps = opts.maxEpisodeSteps ?? null;
  if (maxEpisodeSteps !== null && (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0)) {
    throw new RegistryError(
      `register(${opts.id}): maxEpisodeSteps must be a positive integer or null, got ${String(maxEpisodeSteps)}`,
    );
  }
  for (const other of registry.values()) {
    const o = parseEnvId(other.id);
    if (o === null || o.namespace !== parts.namespace || o.name !== parts.name || other.id === opts.id) continue;
    if ((o.version === null) !== (parts.version === null)) {
      throw new RegistryError(
        `register(${opts.id}): cannot register a ${parts.version === null ? "un" : ""}versioned env while ${other.id} of the same name exists`,
      );
    }
  }
  if (registry.has(opts.id)) warn(`Overriding environment ${opts.id} already in registry.`);
  registry.set(opts.id, {
    id: opts.id,
    entryPoint: opts.entryPoint,
    rewardThreshold: opts.rewardThreshold ?? null,
    nondeterministic: opts.nondeterministic ?? false,
    maxEpisodeSteps,
    orderEnforce: opts.orderEnforce ?? true,
    disableEnvChecker: opts.disableEnvChecker ?? false,
    kwargs: { ...(opts.kwargs ?? {}) },
    additionalWrappers: [...(opts.additionalWrappers ?? [])],
  });
}

/**
 * The registered spec of `id` (Gymnasium's `gymnasium.spec`).
 * @throws RegistryError when `id` is not registered; the message lists close matches.
 */
export function spec(id: string): EnvSpec {
  const found = registry.get(id);
  if (found !== undefined) return found;
  if (typeof id !== "string") throw new RegistryError(`env id must be a string, got ${typeof id}`);
  const matches = closeMatches(id, registry.keys());
  const hint =
    matches.length > 0
      ? ` Did you mean: ${matches.map((m) => JSON.stringify(m)).join(", ")}?`
      : ` ${registry.size} ids are registered (see registry.keys()).`;
  throw new RegistryError(`No environment registered with id ${JSON.stringify(id)}.${hint}`);
}

/** Options of {@link make}: the make options below plus any env constructor option (`renderMode`, ...). */
export interface MakeOptions {
  /** Overrides the spec's step limit; -1 disables TimeLimit. */
  maxEpisodeSteps?: number | null;
  /** Overrides the spec's `disableEnvChecker` (whether to skip PassiveEnvChecker). */
  disableEnvChecker?: boolean | null;
  /** Render mode passed to the env constructor ("rgb_array", ...). */
  renderMode?: string | null;
  /** Any other env constructor option. */
  [kwarg: string]: unknown;
}

/**
 * Build a registered env with Gymnasium's wrapper stack (innermost first): the env, then
 * PassiveEnvChecker (unless disabled), OrderEnforcing (if the spec says so), TimeLimit (the
 * option's or the spec's `maxEpisodeSteps`; -1 disables it), then the spec's additional wrappers.
 * Constructor options are the spec's kwargs overridden by `opts` (shallow merge; values are not
 * cloned; undefined values are ignored). The returned env's `spec` describes exactly how it was
 * made (see {@link envRecipe}).
 *
 * @example
 * ```ts
 * const env = make("CartPole-v1", { renderMode: "rgb_array" });
 * String(env); // "<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPoleEnv<CartPole-v1>>>>>"
 * const short = make("CartPole-v1", { maxEpisodeSteps: 50 });
 * const unlimited = make("CartPole-v1", { maxEpisodeSteps: -1 });
 * ```
 * Only own keys of `opts` are read; `__proto__`, `constructor` and `prototype` keys (at any depth
 * of plain-object options, as `JSON.parse` can produce) are refused.
 * @throws RegistryError for an unknown id (listing close matches), a bad maxEpisodeSteps, or an
 *   entry point that does not return an Env; InvalidArgumentError for a forbidden option key.
 */
export function make<Obs = unknown, Act = unknown>(id: string | EnvSpec, opts: MakeOptions = {}): Env<Obs, Act> {
  const envSpec = typeof id === "string" ? spec(id) : id;
  if (envSpec === null || typeof envSpec !== "object" || typeof envSpec.id !== "string") {
    throw new RegistryError(`make: expected an env id or an EnvSpec, got ${String(id)}`);
  }
  checkOptionKeys(opts, `make(${envSpec.id})`);
  const { maxEpisodeSteps, disableEnvChecker, ...rest } = opts;
  if (
    maxEpisodeSteps !== undefined &&
    maxEpisodeSteps !== null &&
    maxEpisodeSteps !== -1 &&
    (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0)
  ) {
    throw new RegistryError(
      `make(${envSpec.id}): maxEpisodeSteps must be a positive integer or -1, got ${String(maxEpisodeSteps)}`,
    );
  }
  const kwargs: EnvKwargs = { ...envSpec.kwargs };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) kwargs[k] = v;

  let env = createEnv(envSpec, kwargs);
  const baseSpec: EnvSpec = {
    ...envSpec,
    maxEpisodeSteps: null,
    orderEnforce: false,
    disableEnvChecker: true,
    kwargs,
    additionalWrappers: [],
  };
  for (let layer: Env<unknown, unknown> = env; ; layer = (layer as Wrapper).env) {
    layer.spec = baseSpec;
    if (!(layer instanceof Wrapper)) break;
  }
  const checkerDisabled = disableEnvChecker ?? envSpec.disableEnvChecker;
  if (!checkerDisabled) env = new PassiveEnvChecker(env);
  if (envSpec.orderEnforce) env = new OrderEnforcing(env);
  const limit = maxEpisodeSteps ?? envSpec.maxEpisodeSteps;
  if (limit !== null && limit !== -1) env = new TimeLimit(env, limit);
  const extra = (envSpec.additionalWrappers ?? []) as WrapperSpec[];
  for (const w of extra) {
    const wrapped = w.entryPoint(env, { ...w.kwargs });
    if (!(wrapped instanceof Env))
      throw new RegistryError(`make(${envSpec.id}): additional wrapper ${w.name} did not return an Env`);
    env = wrapped;
  }
  if (extra.length > 0 && env.spec !== null) env.spec = { ...env.spec, additionalWrappers: [...extra] };
  return env as Env<Obs, Act>;
}

function createEnv(envSpec: EnvSpec, kwargs: EnvKwargs): Env<unknown, unknown> {
  const entry = envSpec.entryPoint;
  if (typeof entry !== "function") throw new RegistryError(`${envSpec.id} is registered without an entry point`);
  const isClass = entry.prototype instanceof Env;
  const env: unknown = isClass
    ? new (entry as new (k: EnvKwargs) => unknown)(kwargs)
    : (entry as (k: EnvKwargs) => unknown)(kwargs);
  if (!(env instanceof Env)) {
    throw new RegistryError(`make(${envSpec.id}): the entry point returned ${formatValue(env)}, not an Env`);
  }
  const modes = env.metadata?.renderModes;
  if (env.renderMode !== null && Array.isArray(modes) && !modes.includes(env.renderMode)) {
    warn(
      `${envSpec.id} was made with renderMode ${JSON.stringify(env.renderMode)}, which is not one of its render modes ${JSON.stringify(modes)}`,
    );
  }
  return env;
}
