import { randomBytes } from 'node:crypto';

const TOKEN_TTL_MS = 60 * 60_000;
const MAX_OUTSTANDING = 100_000;

/**
 * CSRF tokens of the login form: issued with each login page, valid once and for an hour. A
 * scraper therefore has to read the form before posting it, as with the real thing.
 */
export class CsrfTokens {
  private readonly issued = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const token = randomBytes(18).toString('base64url');
    this.issued.set(token, this.now());
    if (this.issued.size > MAX_OUTSTANDING) {
      this.issued.delete(this.issued.keys().next().value as string);
    }
    return token;
  }

  /** True once per issued, unexpired token. */
  consume(token: string | null | undefined): boolean {
    if (!token) return false;
    const issuedAt = this.issued.get(token);
    if (issuedAt === undefined) return false;
    this.issued.delete(token);
    return this.now() - issuedAt < TOKEN_TTL_MS;
  }
}
