export { extractOrder } from './order-extractor.js';
export type { ExtractionResult } from './extraction-result.js';
export { classifyPage, isLoggedInPage, type PageKind } from './page-classifier.js';
export { extractPageVariables } from './page-variables.js';
export { resolveUrlTemplate, MissingTemplateVariableError } from './url-template.js';
export { parseSearchResult } from './search-result-parser.js';
export { parseLoginForm, type LoginForm } from './login-form-parser.js';
export {
  buildLookupRequest,
  buildSideRequest,
  isValidOsNumber,
  InvalidOsNumberError,
  type TargetRequest,
} from './lookup-request.js';
export { normalizeText } from './text-normalizer.js';
export { parseDateBr, parseDecimal, parseInteger, parseMoneyBrl } from './value-parsers.js';
