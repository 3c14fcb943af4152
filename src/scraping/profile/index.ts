export * from './target-profile.js';
export { validateProfile, type ProfileValidationResult } from './profile-validator.js';
export { loadProfile, parseProfile, type ProfileOverrides } from './profile-loader.js';
export { ProfileValidationError } from './profile-validation.error.js';
export { templateVariables } from './profile-consistency-checks.js';
export { globToRegExp, isBlockedRequest } from './browser-block-rules.js';
export { targetUrl } from './target-url.js';
