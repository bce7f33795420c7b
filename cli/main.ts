/** `bin/ops-monitoring <command>`: runs the command line (`cli/dispatch.ts`) and exits with its code. */
import { main } from "./dispatch";

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
