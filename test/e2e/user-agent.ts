/**
 * A headless user agent that completes a browser sign-in: it follows the authorization server's
 * redirects with a cookie jar (the local server signs the user in and consents on its own), and
 * finally loads the loopback redirect URI, as a browser would.
 */

class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Where the sign-in ended: the redirect URI loaded (its page status), or an error page of the authorization server. */
export interface SignInResult {
  readonly landedOn?: URL;
  readonly status: number;
  readonly body: string;
}

/**
 * Follows `url` until it reaches `redirectPrefix` (then loads it, unless `loadRedirect` is false)
 * or stops at a page that does not redirect.
 */
export async function completeSignIn(url: string, redirectPrefix: string, loadRedirect = true): Promise<SignInResult> {
  const jar = new CookieJar();
  let next = url;
  for (let hop = 0; hop < 20; hop++) {
    if (next.startsWith(redirectPrefix)) {
      if (!loadRedirect) return { landedOn: new URL(next), status: 0, body: '' };
      const page = await fetch(next);
      return { landedOn: new URL(next), status: page.status, body: await page.text() };
    }
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (![302, 303, 307].includes(response.status) || location === null) {
      return { status: response.status, body: await response.text() };
    }
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}
