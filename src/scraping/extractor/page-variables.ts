import type { TargetProfile } from '../profile/target-profile.js';
import { compileProfile } from './compiled-profile.js';
import { firstNode, loadDocument, select } from './html-document.js';
import { normalizeText, nodeText } from './text-normalizer.js';

/**
 * Values of the profile's `page_variables` found on a page (e.g. the internal id a side request
 * needs). A variable that is not on the page is left out; `resolveUrlTemplate` then says which.
 */
export function extractPageVariables(html: string, profile: TargetProfile): Record<string, string> {
  const compiled = compileProfile(profile);
  const $ = loadDocument(html);
  const values: Record<string, string> = {};
  for (const variable of compiled.variables) {
    let text: string | undefined = html;
    if (variable.selector) {
      const selection = select($, variable.selector).first();
      const node = firstNode(selection);
      if (!node) continue;
      const attribute = variable.attribute ? selection.attr(variable.attribute) : undefined;
      text = variable.attribute
        ? attribute === undefined
          ? undefined
          : normalizeText(attribute)
        : nodeText(node);
    }
    if (text === undefined) continue;
    if (variable.regex) {
      const match = variable.regex.exec(text);
      text = match?.slice(1).find((group) => group !== undefined);
      if (text === undefined) continue;
    }
    if (text !== '') values[variable.name] = text;
  }
  return values;
}
