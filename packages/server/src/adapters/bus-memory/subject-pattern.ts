/**
 * NATS subject rules: tokens separated by dots, none empty. A published subject has no
 * wildcards; in a subscription `*` stands for one token and a final `>` for one or more.
 */

const TOKEN = /^[^\s.*>]+$/;

/** Throws RangeError unless `subject` is a concrete subject one can publish on. */
export function checkSubject(subject: string): string[] {
  const tokens = subject.split('.');
  if (!tokens.every((token) => TOKEN.test(token))) {
    throw new RangeError(`${JSON.stringify(subject)} is not a subject to publish on`);
  }
  return tokens;
}

/** Throws RangeError unless `pattern` is a valid subscription subject. */
export function checkPattern(pattern: string): string[] {
  const tokens = pattern.split('.');
  const isValid = tokens.every(
    (token, index) =>
      TOKEN.test(token) || token === '*' || (token === '>' && index === tokens.length - 1),
  );
  if (!isValid) throw new RangeError(`${JSON.stringify(pattern)} is not a subscription subject`);
  return tokens;
}

/** True when a subscription to `pattern` receives a message published on `subject`. */
export function matchesSubject(pattern: readonly string[], subject: readonly string[]): boolean {
  for (const [index, token] of pattern.entries()) {
    if (token === '>') return subject.length > index;
    const actual = subject[index];
    if (actual === undefined) return false;
    if (token !== '*' && token !== actual) return false;
  }
  return pattern.length === subject.length;
}
