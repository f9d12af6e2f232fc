// Runs the custom-reward example's own tap test. The example imports "alignsam-gym" and
// "alignsam-gym/testing" as a user would; inside this repo those resolve through package.json
// "exports" to the built lib/ (npm test builds first).
import t from "tap";
import { existsSync } from "node:fs";
import { join } from "node:path";

const lib = join(__dirname, "../../lib/testing/index.js");
if (!existsSync(lib)) {
  t.fail(`the example imports the built package: run "npm run build" first (missing ${lib})`);
} else {
  require("../../examples/custom-reward/error-fixing-reward.test");
}
