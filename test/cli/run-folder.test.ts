import t from "tap";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chooseRunFolder, runName } from "../../src/cli/run-folder";

t.test("run names follow CleanRL: {env_id}__{exp_name}__{seed}__{unix_time}", async (t) => {
  t.equal(runName("CartPole-v1", "ppo", 1, 1_700_000_000.9), "CartPole-v1__ppo__1__1700000000");
  t.throws(() => runName("CartPole-v1", "a/b", 1, 0), /--exp-name must be a non-empty name without \//);
  t.throws(() => runName("CartPole-v1", "", 1, 0), /--exp-name/);
});

t.test("chooseRunFolder never reuses a folder that holds files", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "asg-runs-"));
  const cwd = process.cwd();
  process.chdir(root);
  t.teardown(() => {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  });
  const req = { envId: "CartPole-v1", expName: "exp", seed: 7, outDir: null, resume: null, now: 1_700_000_000_000 };
  const first = chooseRunFolder(req);
  t.equal(first, resolve(root, "runs", "CartPole-v1__exp__7__1700000000"));
  mkdirSync(first, { recursive: true });
  t.equal(chooseRunFolder(req), first, "an empty folder may be used");
  writeFileSync(join(first, "metrics.jsonl"), "");
  t.equal(chooseRunFolder(req), `${first}__2`, "same second: a suffix, not an overwrite");
  const explicit = join(root, "mine");
  t.equal(chooseRunFolder({ ...req, outDir: explicit }), explicit, "--out-dir when new");
  mkdirSync(explicit);
  writeFileSync(join(explicit, "checkpoint.bin"), "x");
  t.throws(
    () => chooseRunFolder({ ...req, outDir: explicit }),
    /already holds files of another run.*--resume .*checkpoint\.bin/,
  );
  t.equal(
    chooseRunFolder({ ...req, resume: join(explicit, "checkpoint.bin") }),
    explicit,
    "a resume continues in the checkpoint's folder",
  );
  t.equal(
    chooseRunFolder({ ...req, outDir: join(root, "other"), resume: join(explicit, "checkpoint.bin") }),
    join(root, "other"),
  );
});
