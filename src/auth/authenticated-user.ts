import type { UserRole } from './user-role.js';

/** Who is calling, as the auth guard puts it on the request. */
export interface AuthenticatedUser {
  id: string;
  username: string;
  role: UserRole;
}

/** The claims of the service's access tokens. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  role: UserRole;
  /** The user's token version when the token was issued. */
  ver: number;
  /** The token's own id, by which it can be revoked (logout). */
  jti: string;
  /** Expiry (s since the epoch): tokens without one are refused. */
  exp?: number;
}
