import t from "tap";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CartPoleEnv } from "../../src/envs/cartpole/cartpole";
import { RecordVideo, cappedCubicVideoSchedule } from "../../src/wrappers";
import { make } from "../../src/registry";
import { titleSamSegEnvFrame, VIDEO_TITLE_HEIGHT } from "../../src/envs/sam-seg";
import type { RenderFrame } from "../../src/core/types";
import { decodeGif } from "../data/gif-decoder";
import { registerTinySamSeg, TINY_ID } from "../cli/helpers/tiny-sam-seg";

t.setTimeout(180_000);

t.test("capped cubic schedule: cubes below 1000, then every 1000th", async (t) => {
  const hits = Array.from({ length: 3001 }, (_, i) => i).filter(cappedCubicVideoSchedule);
  t.same(hits, [0, 1, 8, 27, 64, 125, 216, 343, 512, 729, 1000, 2000, 3000]);
});

t.test("RecordVideo writes the triggered episodes as GIFs whose frames are the renders", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-video-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const renders: Uint8Array[] = [];
  const written: string[] = [];
  const env = new RecordVideo(new CartPoleEnv({ renderMode: "rgb_array" }), {
    videoFolder: join(dir, "videos"),
    namePrefix: "cart",
    episodeTrigger: (id) => id !== 1,
    fps: 10,
    onVideo: (p) => written.push(p),
  });
  for (let episode = 0; episode < 3; episode++) {
    await env.reset({ seed: episode });
    if (episode === 0) renders.push(((await env.render()) as RenderFrame).data.slice());
    // Episode 0 ends by termination; episode 2 is cut short by the next reset / close.
    for (let k = 0; k < (episode === 2 ? 3 : 500); k++) {
      const [, , terminated] = await env.step(1);
      if (episode === 0) renders.push(((await env.render()) as RenderFrame).data.slice());
      if (terminated) break;
    }
  }
  t.ok(env.recording, "episode 2 is still being recorded");
  await env.close();
  t.same(
    readdirSync(join(dir, "videos")).sort(),
    ["cart-episode-0.gif", "cart-episode-2.gif"],
    "episode 1 not triggered",
  );
  t.same(written, env.videos);
  const gif0 = decodeGif(readFileSync(join(dir, "videos", "cart-episode-0.gif")));
  t.equal(gif0.frames.length, renders.length, "reset frame + one per step");
  t.equal(gif0.width, 600);
  t.equal(gif0.height, 400);
  t.equal(gif0.frames[0]!.delayMs, 100);
  for (const k of [0, renders.length - 1]) {
    let worst = 0;
    renders[k]!.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - gif0.frames[k]!.rgb[i]!))));
    t.ok(worst <= 8, `frame ${k} matches the render (max channel error ${worst})`);
  }
  t.equal(
    decodeGif(readFileSync(join(dir, "videos", "cart-episode-2.gif"))).frames.length,
    4,
    "reset + 3 steps, written on close",
  );
});

t.test("RecordVideo refuses envs that cannot render frames", async (t) => {
  t.throws(() => new RecordVideo(new CartPoleEnv(), { videoFolder: "x" }), /renderMode "rgb_array", got null/);
  t.throws(
    () => new RecordVideo(new CartPoleEnv({ renderMode: "rgb_array" }), { videoFolder: "" }),
    /videoFolder must be a non-empty path/,
  );
});

t.test("SamSeg video frames get panel titles and click numbers", async (t) => {
  registerTinySamSeg();
  const dir = mkdtempSync(join(tmpdir(), "asg-video-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = new RecordVideo(make(TINY_ID, { renderMode: "rgb_array" }), {
    videoFolder: dir,
    annotate: titleSamSegEnvFrame,
    episodeTrigger: () => true,
  });
  await env.reset({ seed: 3 });
  const plain = (await env.render()) as RenderFrame;
  for (let k = 0; k < 5; k++) {
    const [, , terminated, truncated] = await env.step(k * 7);
    if (terminated || truncated) break;
  }
  await env.close();
  const [file] = readdirSync(dir);
  const gif = decodeGif(readFileSync(join(dir, file!)));
  t.equal(gif.height, plain.shape[0]! + VIDEO_TITLE_HEIGHT, "a title strip above the panels");
  t.equal(gif.width, plain.shape[1]);
  t.ok(gif.frames.length >= 2);
  const strip = gif.frames[0]!.rgb.subarray(0, VIDEO_TITLE_HEIGHT * gif.width * 3);
  t.ok(
    strip.some((v) => v > 200),
    "white title text in the strip",
  );
  const last = titleSamSegEnvFrame(
    plain,
    { unwrapped: { clicks: [{ x: 10, y: 10, positive: true }], options: { maxSteps: 5, imgShape: [64, 64, 3] } } },
    1,
  );
  const first = titleSamSegEnvFrame(
    plain,
    { unwrapped: { clicks: [], options: { maxSteps: 5, imgShape: [64, 64, 3] } } },
    0,
  );
  t.not(
    Buffer.compare(Buffer.from(last.data), Buffer.from(first.data)),
    0,
    "the click number and count change the frame",
  );
  t.equal(titleSamSegEnvFrame(plain, { unwrapped: {} }, 0), plain, "other envs' frames are unchanged");
});
