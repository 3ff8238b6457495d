/**
 * Text Postgres cannot store. A NUL character is refused in `text` (SQLSTATE 22021) and in `jsonb`
 * (22P05); a lone UTF-16 surrogate (half of a pair, `"\ud800"` in JSON) is refused in `jsonb`
 * (22P02) and silently turned into U+FFFD in `text`. Every request part is checked for both right
 * after it is parsed, so the answer is a 400 naming the field rather than a 500 from the database.
 */

/** The largest value of a Postgres `integer` (int4) column: every integer a request sends to one is bounded by it. */
export const INT4_MAX = 2_147_483_647;

const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, in words, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (text.includes(NUL)) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (half of a character), which cannot be stored';
  return null;
}

export interface UnstorableText {
  /** Where it is: object keys and array indexes from the root (a bad key names the object holding it). */
  path: Array<string | number>;
  message: string;
}

/** A path as a chain back to the root, so walking a deep value copies nothing. */
interface PathLink {
  parent: PathLink | null;
  key: string | number;
}

function toPath(link: PathLink | null): Array<string | number> {
  const path: Array<string | number> = [];
  for (let at = link; at; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The first string (value or object key) in a parsed JSON value that Postgres cannot store, or
 * null. Walks with its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown): UnstorableText | null {
  const stack: Array<{ value: unknown; at: PathLink | null }> = [{ value, at: null }];
  while (stack.length > 0) {
    const { value: current, at } = stack.pop() as { value: unknown; at: PathLink | null };
    if (typeof current === 'string') {
      const reason = unstorableTextReason(current);
      if (reason) return { path: toPath(at), message: `The text ${reason}` };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], at: { parent: at, key: i } });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const reason = unstorableTextReason(key);
        if (reason) return { path: toPath(at), message: `A field name ${reason}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], at: { parent: at, key: entries[i][0] } });
    }
  }
  return null;
}
