import type { z } from 'zod';
import { AppError, type ErrorDetail } from './errors.js';

/** `recipient.email`, `awards[3].badgeClass`: the path as a person would write it. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key], prefix),
        message: `"${formatPath([...issue.path, key], prefix)}" is not a known field`,
      }));
    }
    const path = formatPath(issue.path, prefix);
    return [{ path, message: `"${path}" ${describe(issue)}` }];
  });
}

/** Parse `input` with `schema`, or throw a 422 `validation_failed` naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = zodDetails(result.error, prefix);
  const first = details[0]?.message ?? 'request is invalid';
  throw new AppError('validation_failed', details.length > 1 ? `${first} (and ${details.length - 1} more)` : first, details);
}

/** Plain-language wording for zod's issues; custom messages from our schemas are kept as written. */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return 'is required';
      return `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_format':
      if (issue.format === 'email') return 'must be an e-mail address';
      if (issue.format === 'url') return 'must be a URL';
      if (issue.format === 'datetime') return 'must be a date-time with a time zone, e.g. "2026-05-01T09:00:00Z"';
      return issue.message.startsWith('Invalid') ? `must match the format ${issue.format}` : issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${String(issue.maximum)} items` : issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}
