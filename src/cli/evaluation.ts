// Policy evaluation for `alignsam-gym eval`: runs greedy / sampled agent policies and the
// random and click-simulator ("oracle user") baselines on the same held-out episodes, and
// reports IoU/Dice after each click, NoC@85/90 and PNG overlays. Loaded lazily (imports
// alignsam-gym/ppo, hence tfjs; the agent's forward pass is ppo/agents/agent-policy.ts).
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Env } from "../core/env";
import { Rng } from "../core/rng";
import { InvalidArgumentError } from "../core/errors";
import * as registry from "../registry";
import { encodePng } from "../data/image-io";
import { meanNocAt, meanIouAt, nextClick } from "../metrics";
import { agentPolicy, createAgent, loadCheckpoint, selectBackend } from "../ppo";
import type { ActorCritic, BackendName, EpisodePolicy, SemanticPriorProvider } from "../ppo";
import type { PolicyName } from "./evaluation-policies";
import { openClipPrior, withClipPriorFlags } from "./prior-provider-options";
import type { ClipPriorFlags } from "./prior-provider-options";
import { RecordVideo } from "../wrappers/record-video";
import { titleSamSegEnvFrame } from "../envs/sam-seg/video-frame";

export { POLICY_NAMES } from "./evaluation-policies";
export type { PolicyName } from "./evaluation-policies";

/** The policies of an evaluation that names none: the agent's two, the two baselines, and the prior's peak when the agent has a prior. */
export function defaultPolicies(agent: ActorCritic): PolicyName[] {
  return [
    ...(["greedy", "sampled", "random", "oracle"] as PolicyName[]),
    ...(priorOf(agent) !== null ? (["prior-peak"] as PolicyName[]) : []),
  ];
}

function priorOf(agent: ActorCritic): SemanticPriorProvider | null {
  return (agent as { priorProvider?: SemanticPriorProvider | null }).priorProvider ?? null;
}

/** Options of an evaluation. */
export interface EvalOptions {
  checkpoint: string;
  episodes: number;
  /**
   * Max clicks per episode (a SamSegEnv's maxSteps for this evaluation; default 5). Null or
   * absent for other envs: their own episode limit.
   */
  maxClicks?: number | null;
  /** Seed of the first episode; episode i resets with seed + i (the same images for every policy). */
  seed: number;
  envKwargs: Record<string, unknown>;
  /** Policies to run (default {@link defaultPolicies}). */
  policies?: PolicyName[];
  outDir: string;
  /** Episodes per policy saved as PNG overlays (and as GIFs with captureVideo). */
  overlays: number;
  backend: BackendName;
  /** --clip-image-encoder / --clip-text-encoder: override the checkpoint's CLIP-Surgery prior files. */
  clipPrior?: ClipPriorFlags;
  /** Also record those episodes as animated GIFs (`<policy>-episode-<i>.gif`). */
  captureVideo?: boolean;
  /** Progress of the episodes (default: none), e.g. a progress bar. */
  onEpisode?: (done: number, total: number, policy: PolicyName) => void;
}

/** Baselines that need a SamSegEnv (the click simulator, the prior's peak). */
const SAMSEG_ONLY: readonly PolicyName[] = ["oracle", "prior-peak"];

/** Safety cap on the steps of one episode of an env without a limit of its own. */
const EPISODE_STEP_CAP = 100_000;

/** Results of one policy. */
export interface PolicyResult {
  policy: PolicyName;
  episodes: number;
  meanReturn: number;
  /** Mean IoU / Dice after the last click. */
  finalIou: number;
  finalDice: number;
  /** Mean IoU after click k (index k - 1). */
  iouPerClick: number[];
  noc85: number;
  noc90: number;
}

/** The SamSegEnv surface the oracle and metrics need (from env.unwrapped). */
interface SegEnvView {
  groundTruth: NdArray<Uint8Array> | null;
  predictedProbability: NdArray<Float32Array> | null;
  clicks: Array<{ x: number; y: number }>;
  actionFor(point: { x: number; y: number }, positive: boolean): number;
}

function segView(env: Env<unknown, unknown>): SegEnvView | null {
  const u = env.unwrapped as unknown as Partial<SegEnvView>;
  return "groundTruth" in u && typeof u.actionFor === "function" ? (u as SegEnvView) : null;
}

/**
 * Policy: the agent's argmax / sample (restricted by the agent's no-repeat mask of the episode,
 * exactly as in training), uniform random actions, the standard click simulator, or
 * "prior-peak": no learning, a positive click at the centre of the prior map's highest cell not
 * yet clicked (channel 0 of the agent's semantic prior; what the prior alone gives).
 */
export function makeEvalPolicy(
  name: PolicyName,
  agent: ActorCritic,
  env: Env<unknown, unknown>,
  rng: Rng,
): EpisodePolicy {
  const n = agent.numActions;
  if (name === "random") return { reset: () => {}, act: async () => rng.integers(n) };
  if (name === "oracle") {
    const view = segView(env);
    if (view === null) throw new InvalidArgumentError("the oracle (click simulator) baseline needs a SamSegEnv");
    return {
      reset: () => {},
      act: async () => {
        const gt = view.groundTruth as NdArray<Uint8Array>;
        const prob = view.predictedProbability as NdArray<Float32Array>;
        const pred = ndarray(
          Uint8Array.from(prob.data, (p) => (p > 0.5 ? 1 : 0)),
          prob.shape.slice(),
        );
        const click = nextClick(gt, pred, { clicked: view.clicks });
        if (click === null) return rng.integers(n);
        return view.actionFor({ x: click.x, y: click.y }, click.positive);
      },
    };
  }
  if (name === "prior-peak") return priorPeakPolicy(agent, env);
  return agentPolicy(agent, env.observationSpace, name === "sampled" ? rng : null);
}

/** The "prior-peak" baseline of {@link makeEvalPolicy}. */
function priorPeakPolicy(agent: ActorCritic, env: Env<unknown, unknown>): EpisodePolicy {
  const provider = priorOf(agent);
  const view = segView(env);
  if (provider === null)
    throw new InvalidArgumentError("the prior-peak baseline needs an explicit agent with a semantic prior");
  if (view === null) throw new InvalidArgumentError("the prior-peak baseline needs a SamSegEnv");
  const clicked = new Set<number>();
  return {
    reset: () => clicked.clear(),
    act: async (obs) => {
      const o = obs as { image: NdArray<Uint8Array>; targetCategory: string };
      const [H, W] = o.image.shape as [number, number];
      const { data, height, width } = await provider.prior(o.image, o.targetCategory);
      const order = Array.from({ length: height * width }, (_, i) => i).sort(
        (a, b) => (data[b] as number) - (data[a] as number) || a - b,
      );
      let fallback = -1;
      for (const cell of order) {
        const x = Math.min(W - 1, Math.floor((((cell % width) + 0.5) * W) / width));
        const y = Math.min(H - 1, Math.floor(((Math.floor(cell / width) + 0.5) * H) / height));
        const action = view.actionFor({ x, y }, true);
        if (fallback < 0) fallback = action;
        if (!clicked.has(action)) {
          clicked.add(action);
          return action;
        }
      }
      return fallback;
    },
  };
}

/** The held-out synthetic image set eval uses for SamSegEnv-v0 trained on the default images. */
export const HELD_OUT_SYNTHETIC = { seed: 1, images: 100, split: "val" } as const;

/**
 * The env options eval runs with: the training options with the eval options on top. For
 * SamSegEnv-v0 trained on generated synthetic images (no `dataset`), unless the eval options give
 * `dataset` or `syntheticDataset`, the images are a held-out synthetic set: the training set's
 * generator options with the next seed (training seed + 1; the default training seed is 0),
 * 100 images and split "val", so eval never scores images the agent trained on. For a run
 * trained on a real dataset (`dataset` a plain-data spec), the held-out data must be named in the
 * eval options (`--dataset ...`): nothing is guessed.
 * Returns the options and the held-out set chosen (null when none).
 * @throws InvalidArgumentError when the run trained on a real dataset and no eval dataset is given.
 */
export function evalEnvKwargs(
  envId: string,
  trainKwargs: Record<string, unknown>,
  evalKwargs: Record<string, unknown>,
): { kwargs: Record<string, unknown>; heldOut: Record<string, unknown> | null } {
  const kwargs = { ...trainKwargs, ...evalKwargs };
  const trainedOn = trainKwargs.dataset as { kind?: unknown; annotationFile?: unknown; root?: unknown } | undefined;
  if (
    trainedOn &&
    typeof trainedOn.kind === "string" &&
    trainedOn.kind !== "synthetic" &&
    evalKwargs.dataset === undefined
  ) {
    throw new InvalidArgumentError(
      `the checkpoint trained on ${trainedOn.kind} data (${String(trainedOn.annotationFile ?? trainedOn.root)}); name the held-out data explicitly, ` +
        `e.g. --dataset coco --annotations <held-out file> --images <dir> (or --path <root> --split <held-out split>); ` +
        `pass the training data's flags again to score the training images`,
    );
  }
  if (
    envId !== "SamSegEnv-v0" ||
    trainKwargs.dataset !== undefined ||
    evalKwargs.dataset !== undefined ||
    evalKwargs.syntheticDataset !== undefined
  ) {
    return { kwargs, heldOut: null };
  }
  const trained = (trainKwargs.syntheticDataset ?? {}) as Record<string, unknown>;
  const trainSeed = typeof trained.seed === "number" ? trained.seed : 0;
  const heldOut = { ...trained, ...HELD_OUT_SYNTHETIC, seed: trainSeed + 1 };
  return { kwargs: { ...kwargs, syntheticDataset: heldOut }, heldOut };
}

/** Evaluate the checkpoint's agent and the baselines; writes eval.json and overlays to outDir. */
export async function runEvaluation(
  opts: EvalOptions,
  log: (line: string) => void = (l) => console.log(l),
): Promise<PolicyResult[]> {
  const ckpt = loadCheckpoint(opts.checkpoint);
  await selectBackend(opts.backend);
  const { kwargs: envKwargs, heldOut } = evalEnvKwargs(ckpt.envId, ckpt.envKwargs, opts.envKwargs);
  if (heldOut !== null) {
    log(`held-out images: synthetic dataset ${JSON.stringify(heldOut)} (never seen in training)`);
  }
  const agentConfig = withClipPriorFlags(ckpt.agent, opts.clipPrior ?? {}, `the checkpoint ${opts.checkpoint}`, false);
  const prior = await openClipPrior(agentConfig, `the checkpoint ${opts.checkpoint}`);
  let env = registry.make<unknown, number>(ckpt.envId, { ...envKwargs, renderMode: "rgb_array" });
  const isSamSeg = segView(env) !== null;
  if (!isSamSeg && opts.maxClicks !== undefined && opts.maxClicks !== null) {
    log(`note: ${ckpt.envId} is not a SamSegEnv; --max-clicks ignored, episodes end at the env's own limit`);
  }
  const maxClicks = isSamSeg ? (opts.maxClicks ?? 5) : null;
  if (isSamSeg) {
    await env.close();
    env = registry.make<unknown, number>(ckpt.envId, { ...envKwargs, maxSteps: maxClicks, renderMode: "rgb_array" });
  }
  const stepCap = maxClicks ?? EPISODE_STEP_CAP;
  const agent = createAgent(agentConfig, env.observationSpace, env.actionSpace, 0, prior);
  agent.params.load(ckpt.params);
  mkdirSync(opts.outDir, { recursive: true });
  const results: PolicyResult[] = [];
  const requested = opts.policies ?? defaultPolicies(agent);
  const skipped = isSamSeg ? [] : requested.filter((p) => SAMSEG_ONLY.includes(p));
  if (skipped.length > 0)
    log(
      `note: skipping ${skipped.join(", ")}: ${skipped.length > 1 ? "these baselines need" : "this baseline needs"} a SamSegEnv`,
    );
  const policies = requested.filter((p) => !skipped.includes(p));
  const videos: string[] = [];
  let done = 0;
  for (const name of policies) {
    const rng = new Rng(opts.seed);
    const recorder =
      opts.captureVideo && opts.overlays > 0
        ? new RecordVideo(env, {
            videoFolder: opts.outDir,
            namePrefix: name,
            episodeTrigger: (id) => id < opts.overlays,
            annotate: titleSamSegEnvFrame,
            fps: 2,
          })
        : null;
    const runner: Env<unknown, number> = recorder ?? env;
    const policy = makeEvalPolicy(name, agent, env, rng);
    const iousPerEpisode: number[][] = [];
    const returns: number[] = [];
    const finalDice: number[] = [];
    for (let ep = 0; ep < opts.episodes; ep++) {
      let [obs] = await runner.reset({ seed: opts.seed + ep });
      policy.reset();
      const ious: number[] = [];
      let ret = 0;
      let dice = NaN;
      for (let k = 0; k < stepCap; k++) {
        const [next, reward, terminated, truncated, info] = await runner.step(await policy.act(obs));
        obs = next;
        ret += reward;
        if (typeof info["iou"] === "number") ious.push(info["iou"]);
        if (typeof info["dice"] === "number") dice = info["dice"];
        if (terminated || truncated) break;
      }
      if (ep < opts.overlays) {
        const frame = await env.render();
        if (frame !== null && typeof frame !== "string")
          writeFileSync(join(opts.outDir, `${name}-episode${ep}.png`), encodePng(frame as NdArray<Uint8Array>));
      }
      iousPerEpisode.push(ious);
      returns.push(ret);
      finalDice.push(dice);
      opts.onEpisode?.(++done, policies.length * opts.episodes, name);
    }
    await recorder?.stopRecording();
    if (recorder) videos.push(...recorder.videos);
    const clicks = maxClicks ?? 0;
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
    const hasIou = iousPerEpisode.every((a) => a.length > 0);
    results.push({
      policy: name,
      episodes: opts.episodes,
      meanReturn: mean(returns),
      finalIou: hasIou ? mean(iousPerEpisode.map((a) => a[a.length - 1] as number)) : NaN,
      finalDice: mean(finalDice),
      iouPerClick: hasIou
        ? Array.from({ length: clicks }, (_, k) =>
            meanIouAt(
              iousPerEpisode.map((a) => padTo(a, clicks)),
              k + 1,
            ),
          )
        : [],
      noc85: hasIou ? meanNocAt(iousPerEpisode, 0.85, clicks) : NaN,
      noc90: hasIou ? meanNocAt(iousPerEpisode, 0.9, clicks) : NaN,
    });
    if (opts.onEpisode === undefined) log(`evaluated ${name}`);
  }
  const { onEpisode: _progress, ...recorded } = opts;
  const resultsPath = join(opts.outDir, "eval.json");
  writeFileSync(
    resultsPath,
    JSON.stringify({ envId: ckpt.envId, ...recorded, maxClicks, policies, skipped, results }, null, 2),
  );
  log(formatTable(results, clicks(maxClicks)));
  log(`results: ${resolve(resultsPath)}`);
  if (opts.overlays > 0)
    log(`overlays: ${resolve(opts.outDir)}/<policy>-episode<i>.png (first ${opts.overlays} episodes per policy)`);
  if (videos.length > 0) log(`videos: ${videos.length} GIFs in ${resolve(opts.outDir)}`);
  await env.close();
  agent.dispose();
  await prior?.dispose();
  return results;
}

/** Columns of IoU after each click in the table (none for envs without clicks). */
function clicks(maxClicks: number | null): number {
  return maxClicks ?? 0;
}

/** Episodes that ended early keep their last IoU for the remaining clicks. */
function padTo(a: number[], n: number): number[] {
  const out = a.slice(0, n);
  while (out.length < n) out.push(out.length ? (out[out.length - 1] as number) : 0);
  return out;
}

/** A plain-text results table. */
export function formatTable(results: PolicyResult[], maxClicks: number): string {
  const f = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : "-");
  const clicks = Array.from({ length: Math.min(maxClicks, 5) }, (_, k) => `IoU@${k + 1}`);
  const header = ["policy", "return", "final IoU", "final Dice", ...clicks, "NoC@85", "NoC@90"];
  const rows = results.map((r) => [
    r.policy,
    f(r.meanReturn, 2),
    f(r.finalIou),
    f(r.finalDice),
    ...clicks.map((_, k) => f(r.iouPerClick[k] ?? NaN)),
    f(r.noc85, 2),
    f(r.noc90, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
