import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env, InvalidActionError, InvalidArgumentError, ResetNeededError, warn } from "../../core";
import type { Info, RenderFrame, ResetOptions, StepResult } from "../../core";
import { Box, Discrete } from "../../spaces";
import { renderCartPole } from "./cartpole-render";

/** Constructor options of {@link CartPoleEnv}. */
export interface CartPoleOptions {
  /** "rgb_array" to render [400, 600, 3] uint8 frames; null (default) for no rendering. */
  renderMode?: string | null;
  /** Sutton & Barto's reward: 0 per step and -1 on termination, instead of 1 per step. */
  suttonBartoReward?: boolean;
}

/** Reset options of {@link CartPoleEnv}: bounds of the uniform initial state (default -0.05, 0.05). */
export interface CartPoleResetOptions {
  low?: number;
  high?: number;
}

/** CartPole observation: [x (m), x velocity (m/s), pole angle (rad), pole angular velocity (rad/s)] float32. */
export type CartPoleObs = NdArray<Float32Array>;

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
const HALF_LENGTH = 0.5;
const POLEMASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/**
 * The classic cart-pole balancing task with exact Gymnasium 1.x `CartPole-v1` dynamics (Barto,
 * Sutton & Anderson 1983): a cart on a frictionless track is pushed left (action 0) or right
 * (action 1) with a force of 10 N; the episode terminates when |x| > 2.4 m or the pole leaves
 * +-12 degrees. Reward 1 per step, including the terminating one. Explicit Euler integration with
 * tau = 0.02 s on a float64 state; observations are float32 copies of the state. The initial
 * state is uniform(-0.05, 0.05) in all four variables, drawn from `rng`. `make("CartPole-v1")`
 * adds the 500-step TimeLimit.
 *
 * Observation space Box(-high, high, [4], float32) with high = [4.8, inf, 0.41887903, inf]
 * (twice the termination thresholds); action space Discrete(2).
 *
 * @example
 * ```ts
 * const env = new CartPoleEnv();
 * let [obs] = await env.reset({ seed: 42 });
 * const [next, reward, terminated] = await env.step(1); // push right
 * ```
 */
export class CartPoleEnv extends Env<CartPoleObs, number> {
  override metadata = { renderModes: ["rgb_array"], renderFps: 50 };
  readonly observationSpace: Box<"float32">;
  readonly actionSpace: Discrete;
  /** Whether the Sutton & Barto reward is used. */
  readonly suttonBartoReward: boolean;

  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;
  private hasState = false;
  /** null while the episode runs; counts the steps taken after termination otherwise. */
  private stepsBeyondTerminated: number | null = null;

  /** @throws InvalidArgumentError on an unsupported render mode. */
  constructor(opts: CartPoleOptions = {}) {
    super();
    const renderMode = opts.renderMode ?? null;
    if (renderMode !== null && !this.metadata.renderModes.includes(renderMode)) {
      throw new InvalidArgumentError(
        `CartPoleEnv: renderMode must be one of ${JSON.stringify(this.metadata.renderModes)} or null, got ${JSON.stringify(renderMode)}`,
      );
    }
    this.renderMode = renderMode;
    this.suttonBartoReward = opts.suttonBartoReward ?? false;
    const high = [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD * 2, Infinity].map(Math.fround);
    this.observationSpace = new Box({ low: high.map((h) => -h), high, shape: [4], dtype: "float32" as const });
    this.actionSpace = new Discrete(2);
  }

  /** The float64 physical state [x, xDot, theta, thetaDot], or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? Float64Array.of(this.x, this.xDot, this.theta, this.thetaDot) : null;
  }

  /** Overwrite the physical state (as Gymnasium's `env.unwrapped.state = ...`). @throws InvalidArgumentError unless 4 finite numbers. */
  set state(s: ArrayLike<number> | null) {
    if (s === null || s.length !== 4 || !Array.from(s).every(Number.isFinite)) {
      throw new InvalidArgumentError(
        `CartPoleEnv.state must be 4 finite numbers, got ${s === null ? "null" : Array.from(s).join(", ")}`,
      );
    }
    [this.x, this.xDot, this.theta, this.thetaDot] = [s[0] as number, s[1] as number, s[2] as number, s[3] as number];
    this.hasState = true;
  }

  /**
   * Start an episode: reseed `rng` when `seed` is given, then draw the state uniformly from
   * [low, high) (options.low/high, default -0.05/0.05).
   * @throws SeedError on a bad seed; InvalidArgumentError when low/high are not finite or low > high.
   */
  async reset(opts?: ResetOptions): Promise<[CartPoleObs, Info]> {
    const options = (opts?.options ?? {}) as CartPoleResetOptions;
    const low = options.low ?? -0.05;
    const high = options.high ?? 0.05;
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
      throw new InvalidArgumentError(
        `CartPoleEnv.reset: options.low (${String(low)}) and options.high (${String(high)}) must be finite with low <= high`,
      );
    }
    this.seedRng(opts?.seed);
    const rng = this.rng;
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.hasState = true;
    this.stepsBeyondTerminated = null;
    return [this.observe(), {}];
  }

  /**
   * Push the cart: 0 = left, 1 = right. Stepping after termination warns once and gives reward 0.
   * @throws InvalidActionError unless the action is 0 or 1; ResetNeededError before reset.
   */
  async step(action: number): Promise<StepResult<CartPoleObs>> {
    if (action !== 0 && action !== 1)
      throw new InvalidActionError(`CartPoleEnv: action must be 0 or 1, got ${String(action)}`);
    if (!this.hasState) throw new ResetNeededError("CartPoleEnv: call reset() before step()");
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cosTheta = Math.cos(this.theta);
    const sinTheta = Math.sin(this.theta);
    const temp = (force + POLEMASS_LENGTH * this.thetaDot * this.thetaDot * sinTheta) / TOTAL_MASS;
    const thetaAcc =
      (GRAVITY * sinTheta - cosTheta * temp) /
      (HALF_LENGTH * (4.0 / 3.0 - (MASS_POLE * cosTheta * cosTheta) / TOTAL_MASS));
    const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
    this.x += TAU * this.xDot;
    this.xDot += TAU * xAcc;
    this.theta += TAU * this.thetaDot;
    this.thetaDot += TAU * thetaAcc;

    const terminated =
      this.x < -X_THRESHOLD || this.x > X_THRESHOLD || this.theta < -THETA_THRESHOLD || this.theta > THETA_THRESHOLD;
    let reward: number;
    if (!terminated) {
      reward = this.suttonBartoReward ? 0 : 1;
    } else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0; // the pole just fell
      reward = this.suttonBartoReward ? -1 : 1;
    } else {
      if (this.stepsBeyondTerminated === 0) {
        warn(
          "You are calling step() even though this environment has already returned terminated = true. " +
            "You should always call reset() once you receive terminated = true; any further steps are undefined behavior.",
        );
      }
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBartoReward ? -1 : 0;
    }
    return [this.observe(), reward, terminated, false, {}];
  }

  /** A [400, 600, 3] uint8 frame in "rgb_array" mode; null (with a warning) without a render mode or before reset. */
  override async render(): Promise<RenderFrame | null> {
    if (this.renderMode === null) {
      warn(`You are calling render() without a render mode; make the env with {renderMode: "rgb_array"}`);
      return null;
    }
    if (!this.hasState) return null;
    return renderCartPole(this.x, this.theta, X_THRESHOLD, HALF_LENGTH);
  }

  private observe(): CartPoleObs {
    return ndarray(Float32Array.of(this.x, this.xDot, this.theta, this.thetaDot), [4]);
  }
}
