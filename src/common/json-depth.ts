import type { NextFunction, Request, Response } from 'express';

/** No body of this API nests deeper than a few levels; 32 leaves room for any client. */
export const MAX_JSON_DEPTH = 32;

/** How deep a parsed JSON value nests, without recursion (a hostile body may nest a million deep). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses JSON bodies nested deeper than `maxDepth` with a 400, before validation: turning a
 * body into a DTO recurses once per level, and a few thousand levels (well under the body size
 * limit) overflow the stack — a 500 for any client that sends `[[[[…]]]]`.
 */
export function rejectDeeplyNestedJson(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (
      req.body !== null &&
      typeof req.body === 'object' &&
      jsonDepth(req.body, maxDepth) > maxDepth
    ) {
      next(
        Object.assign(
          new Error(`the JSON body is nested too deeply (more than ${maxDepth} levels)`),
          {
            status: 400,
          },
        ),
      );
      return;
    }
    next();
  };
}
