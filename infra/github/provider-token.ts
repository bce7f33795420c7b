/**
 * The GitHub provider's token: `GITHUB_TOKEN` (the workflows set it from `GH_ADMIN_TOKEN`), given
 * to the provider explicitly so its SDK wraps it as a secret; read by the SDK itself it would be
 * a plain input, printed by `plan` and stored unencrypted with the provider's inputs in state.
 */
export function providerToken(): string | undefined {
  return process.env.GITHUB_TOKEN || undefined;
}
