/**
 * The Prometheus tools tests run for real. A missing tool fails the test with the command that
 * installs it (never a skip): `npm test`'s pretest step installs them where it can.
 */
import { currentPlatform, installCommand, TOOL_NAMES, which, type Tool } from "../../local/binaries";

/** Absolute path of `tool`; throws naming the install command when it is not on PATH. */
export function requireTool(tool: Tool, pathEnv = process.env.PATH ?? ""): string {
  const path = which(TOOL_NAMES[tool], pathEnv);
  if (!path)
    throw new Error(
      `${TOOL_NAMES[tool].join(" or ")} is not on PATH; install it with: ${installCommand([tool], currentPlatform())}`,
    );
  return path;
}
