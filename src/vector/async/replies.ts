import { WorkerError } from "../../core/errors";

// Collecting the workers' replies of one AsyncVectorEnv call.

/** Promise.all that waits for every promise to settle before throwing the first error. */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The message of a worker's reply. @throws WorkerError when the reply carried none. */
export function payload<T>(reply: T | null, method: string): T {
  if (reply === null) throw new WorkerError(`AsyncVectorEnv: a worker answered ${method} without a message`);
  return reply;
}
