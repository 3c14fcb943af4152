/** The cookies of one target session, kept as name → value (the target is a single origin). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  static fromJSON(entries: Record<string, string>): CookieJar {
    const jar = new CookieJar();
    for (const [name, value] of Object.entries(entries)) jar.cookies.set(name, value);
    return jar;
  }

  /** Takes the cookies of `Set-Cookie` headers; an expired or emptied cookie is removed. */
  store(setCookie: string | string[] | undefined): void {
    for (const header of toArray(setCookie)) {
      const [pair, ...attributes] = header.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (!pair || separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, raw] = attribute.split('=').map((part) => part.trim().toLowerCase());
        return (
          (key === 'max-age' && Number(raw) <= 0) ||
          (key === 'expires' && Date.parse(raw ?? '') < Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get size(): number {
    return this.cookies.size;
  }

  /** The `Cookie` request header. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The cookies in Playwright's `addCookies` form, scoped to the target's origin. */
  forBrowser(baseUrl: string): Array<{ name: string; value: string; url: string }> {
    const origin = new URL(baseUrl).origin;
    return [...this.cookies].map(([name, value]) => ({ name, value, url: origin }));
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.cookies);
  }
}

function toArray(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}
