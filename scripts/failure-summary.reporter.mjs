// A node:test reporter that writes only the tests that failed, one block each: the test's
// name, its file and the first lines of its error. run-tests.mjs prints the result after the
// whole run, so that the end of a long log says what failed without a search through it.
const ERROR_LINES = 12;

export default async function* failureSummary(source) {
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    // A suite fails when one of its tests does; the test itself is listed already.
    if (details?.type === 'suite') continue;
    const error = details?.error;
    const cause = error?.cause ?? error;
    const text = String(cause?.stack ?? cause?.message ?? cause ?? 'no error given');
    const lines = text
      .split('\n')
      .slice(0, ERROR_LINES)
      .map((line) => `    ${line}`);
    yield `- ${name}${file === undefined ? '' : ` (${file})`}\n${lines.join('\n')}\n`;
  }
}
