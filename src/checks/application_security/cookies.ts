/**
 * Set-Cookie headers read as RFC 6265 §5.2 does: the name before the first `=`, attributes after `;`,
 * names case-insensitive. "Session-like" follows the MDN HTTP Observatory's rule of thumb (names that say
 * session, sess, sid, auth, token, login, jsessionid...), the cookies whose theft is a session takeover.
 */

export interface SetCookie {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  /** The SameSite value as sent (lower case), undefined when absent. */
  sameSite?: string;
}

const SESSION_NAME = /sess|sid|auth|token|login|jwt|connect\.sid|aspxauth/i;

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq >= 0 ? pair.slice(0, eq) : pair).trim();
  const cookie: SetCookie = { name, secure: false, httpOnly: false };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const k = key.trim().toLowerCase();
    if (k === 'secure') cookie.secure = true;
    else if (k === 'httponly') cookie.httpOnly = true;
    else if (k === 'samesite') cookie.sameSite = rest.join('=').trim().toLowerCase();
  }
  return cookie;
}

export function isSessionCookie(name: string): boolean {
  return SESSION_NAME.test(name);
}

/** Whether the SameSite attribute is one a browser understands. */
export function validSameSite(value: string | undefined): boolean {
  return value === 'strict' || value === 'lax' || value === 'none';
}
