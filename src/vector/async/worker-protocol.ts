import type { MessagePort } from "node:worker_threads";
import type { SpaceDescription } from "../../core/space";
import type { EnvMetadata, Info } from "../../core/types";
import type { SpaceTypedArray } from "../../spaces/dtypes";
import type { AutoresetMode } from "../autoreset-mode";
import type { VectorEnvSpec } from "./env-spec";

/**
 * The protocol between AsyncVectorEnv (main thread) and its workers. Each worker has a
 * MessagePort pair and a small Int32Array control block on a SharedArrayBuffer. The main thread
 * posts a request message (or, for a step whose actions are in the shared action buffer, none:
 * OPCODE says which), then bumps REQUESTS and notifies; the worker (blocked in Atomics.wait)
 * takes the message with receiveMessageOnPort, handles it, writes step results into the shared
 * result arrays, posts a reply message only when there is something else to say (REPLY_MESSAGE
 * says whether), then bumps REPLIES and notifies. Neither side needs an event-loop turn, which
 * keeps a round trip at a few tens of microseconds. Strictly one request in flight per worker.
 */

/** Index of the request counter in the control block. */
export const REQUESTS = 0;
/** Index of the reply counter in the control block. */
export const REPLIES = 1;
/** Index of the worker state in the control block (0 running, 1 exited). */
export const STATE = 2;
/** Value of STATE once the worker thread is exiting. */
export const EXITED = 1;
/** Index of the opcode of the current request: MESSAGE_REQUEST or SHARED_STEP. */
export const OPCODE = 3;
/** Index of the flag "the current reply came with a message" (1) or not (0). */
export const REPLY_MESSAGE = 4;
/** Opcode: the request is a message on the port. */
export const MESSAGE_REQUEST = 0;
/** Opcode: a step whose actions are in the shared action buffer (no message). */
export const SHARED_STEP = 1;
/** Length of the control block (Int32 words). */
export const CONTROL_WORDS = 8;

/** workerData of a vector-env worker. */
export interface WorkerInit {
  control: SharedArrayBuffer;
  port: MessagePort;
  /** Global indices of the envs this worker hosts, and their specs. */
  envIndices: number[];
  specs: VectorEnvSpec[];
  autoresetMode: AutoresetMode;
  /** Microseconds an idle worker polls for the next request before it sleeps. */
  spinMicros: number;
}

/** Requests (main -> worker). Per-env arrays are in the order of the worker's envIndices. */
export type WorkerRequest =
  | { kind: "setup"; buffers: SpaceTypedArray[]; results: SharedResults; actions: SpaceTypedArray | null }
  | { kind: "reset"; seeds: (number | undefined)[]; options: unknown; mask: boolean[] | null }
  | { kind: "step"; actions: unknown[] | null }
  | { kind: "call"; name: string; args: unknown[] }
  | { kind: "getAttr"; name: string }
  | { kind: "setAttr"; name: string; values: unknown[] }
  | { kind: "close" };

/**
 * Step results in shared memory, indexed by global env index: rewards, and flags as 0/1 bytes.
 */
export interface SharedResults {
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
}

/** Zeroed SharedResults for `numEnvs` envs. */
export function createSharedResults(numEnvs: number): SharedResults {
  return {
    rewards: new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * numEnvs)),
    terminated: new Uint8Array(new SharedArrayBuffer(numEnvs)),
    truncated: new Uint8Array(new SharedArrayBuffer(numEnvs)),
  };
}

/** A failure inside the worker, with the env and method it happened in. */
export interface WorkerFailure {
  envIndex: number | null;
  method: string;
  name: string;
  message: string;
  stack: string;
}

/** The first reply of a worker: the spaces and metadata of its first env. */
export interface HelloReply {
  observationSpace: SpaceDescription;
  actionSpace: SpaceDescription;
  metadata: EnvMetadata;
  renderMode: string | null;
}

/** Reply to "reset": per env (null when not reset) its wired info and message-carried obs leaves. */
export interface ResetReply {
  infos: (Info | null)[];
  rest: (unknown[] | null)[];
}

/**
 * The message part of a step reply (rewards and flags are in SharedResults); sent only when
 * some env has a non-empty info, a final observation or message-carried observation leaves.
 * Per env of the worker: null when it has nothing of that kind.
 */
export interface StepReply {
  infos: (Info | null)[];
  finals: ({ obs: unknown; info: Info } | null)[];
  rest: (unknown[] | null)[];
}

/** Reply to "call" / "getAttr": one wired value per env. */
export interface ValuesReply {
  values: unknown[];
}

/** Any reply: a payload, or a failure. */
export type WorkerReply<T = unknown> = { ok: true; payload: T } | { ok: false; failure: WorkerFailure };
