/**
 * npm's `pretest` step: the tests run the real Prometheus tools. Missing ones are installed
 * with the same installer as `npm start` (apt-get on Debian/Ubuntu as root, each command
 * printed); elsewhere this fails at once with the exact install command.
 */
import { ensureBinaries, MissingBinariesError, TOOL_NAMES, type Tool } from "../local/binaries";

const TOOLS = Object.keys(TOOL_NAMES) as Tool[];

try {
  ensureBinaries((line) => console.error(`npm test: ${line}`), TOOLS, undefined, "npm test");
} catch (e) {
  if (!(e instanceof MissingBinariesError)) throw e;
  console.error(e.message);
  process.exit(1);
}
