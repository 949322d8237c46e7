/** A LIKE pattern (with `escape '\'`) that finds `text` anywhere, in any case: `%` and `_` typed by a person match themselves. */
export const likeEscaped = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
