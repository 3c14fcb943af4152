import type { NextFunction, Request, Response } from 'express';

/** No body of this API nests deeper than a few levels; 32 leaves room for any client. */
export const MAX_JSON_DEPTH = 32;

/** Keys that Nest's ValidationPipe deletes before validation (against prototype pollution). */
const STRIPPED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

export interface JsonShape {
  depth: number;
  /** An own key of some object in the value that validation would silently drop. */
  strippedKey?: string;
}

/** How deep a parsed JSON value nests, without recursion (a hostile body may nest a million deep). */
export function jsonShape(value: unknown, stopAt = Infinity): JsonShape {
  const shape: JsonShape = { depth: 0 };
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > shape.depth) shape.depth = depth;
    if (!Array.isArray(current))
      shape.strippedKey ??= STRIPPED_KEYS.find((key) => Object.hasOwn(current, key));
    if (shape.depth > stopAt || shape.strippedKey) return shape;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return shape;
}

const badRequest = (message: string) => Object.assign(new Error(message), { status: 400 });

/**
 * Checks a parsed JSON body before validation, answering 400:
 * - nested deeper than `maxDepth`: turning a body into a DTO recurses once per level, and a few
 *   thousand levels (well under the body size limit) overflowed the stack — a 500;
 * - with a `__proto__`, `constructor` or `prototype` key: the validation pipe deletes those
 *   silently (against prototype pollution), so the whitelist never saw them and such a body was
 *   accepted — and acted on — where any other unknown key is refused.
 */
export function guardJsonBody(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object') return next();
    const shape = jsonShape(body, maxDepth);
    if (shape.depth > maxDepth)
      return next(badRequest(`the JSON body is nested too deeply (more than ${maxDepth} levels)`));
    if (shape.strippedKey)
      return next(badRequest(`property ${shape.strippedKey} should not exist`));
    next();
  };
}
