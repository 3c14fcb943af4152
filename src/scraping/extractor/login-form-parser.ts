import type { TargetProfile } from '../profile/target-profile.js';
import { targetUrl } from '../profile/target-url.js';
import { loadDocument } from './html-document.js';

export interface LoginForm {
  /** Absolute URL the form posts to. */
  action: string;
  method: 'GET' | 'POST';
  /** Hidden inputs (CSRF token and the like) to send back as they are. */
  hiddenFields: Record<string, string>;
  usernameField: string;
  passwordField: string;
}

/**
 * The login form of a login page: where it goes and the hidden fields it carries, so the HTTP
 * path can post it like a browser would. Null when the page has no such form.
 */
export function parseLoginForm(
  html: string,
  profile: TargetProfile,
  pageUrl?: string,
): LoginForm | null {
  const $ = loadDocument(html);
  const form = $(profile.login.form_selector).first();
  if (form.length === 0) return null;
  const base = pageUrl ?? targetUrl(profile, profile.login.url);
  const hiddenFields: Record<string, string> = {};
  form.find('input[type="hidden" i][name]').each((_, input) => {
    const name = $(input).attr('name');
    if (name) hiddenFields[name] = $(input).attr('value') ?? '';
  });
  return {
    action: new URL(form.attr('action') || base, base).toString(),
    method: (form.attr('method') ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET',
    hiddenFields,
    usernameField: profile.login.username_field,
    passwordField: profile.login.password_field,
  };
}
