// How the health report says a duration; no imports, so the CLI's tables can share it without loading the
// schedule analysis.

/** `3 d 4 h`, `6 h`, `45 min`. */
export function formatAge(minutes: number): string {
  const total = Math.round(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} d`);
  if (hours > 0) parts.push(`${hours} h`);
  if (rest > 0 || parts.length === 0) parts.push(`${rest} min`);
  return parts.join(" ");
}
