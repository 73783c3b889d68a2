// Scrubbing secrets from text we pass on (logs, error messages). A secret can reach text in other spellings
// than its own: inside a JSON string (escaped quotes and backslashes), in a URL or form body
// (percent-encoded), or base64-encoded (Basic auth, tokens wrapped by a gateway). Each form is removed.

const MIN_SECRET_LENGTH = 4;

/** The spellings of `secret` that may appear in text, longest first (so a longer form is not cut by a shorter one). */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(encodeURIComponent(secret));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  const base64 = Buffer.from(secret, "utf8").toString("base64");
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  forms.add(Buffer.from(secret, "utf8").toString("base64url"));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Replaces every form of each secret in `text` with `[redacted]`. Secrets shorter than 4 characters are left alone. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) out = out.split(form).join("[redacted]");
  }
  return out;
}
