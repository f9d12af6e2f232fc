import t from "tap";
import { PNG } from "pngjs";
import { encodePng } from "../../src/data/image-io";
import { make } from "../../src/registry";

t.test("encodePng takes env.render() of a make() env without a cast", async (t) => {
  const env = make<unknown, number>("CartPole-v1", { renderMode: "rgb_array" });
  await env.reset({ seed: 0 });
  const png = PNG.sync.read(Buffer.from(encodePng(await env.render())));
  t.equal(png.width, 600);
  t.equal(png.height, 400);
  const silent = make<unknown, number>("CartPole-v1");
  await silent.reset({ seed: 0 });
  t.throws(
    () => encodePng(null),
    /encodePng: expected an image, got null \(was the env made with renderMode "rgb_array"\?\)/,
  );
  const none = await silent.render();
  t.throws(() => encodePng(none), /expected an image, got null/, "no render mode: a clear error");
  t.throws(() => encodePng("text"), /got a string/);
  await env.close();
  await silent.close();
});
