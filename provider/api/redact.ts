/**
 * Replaces every occurrence of each secret in `text` with `[redacted]` (defence in depth: messages are built
 * without credentials, but a service may echo one back). Secrets shorter than 4 characters are left alone:
 * scrubbing them would mangle ordinary words.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}
