// Runs the Vitest suite and ends with one plain summary line ("tests: N passed, N failed, N skipped")
// that CI reads. Fails on any failure, on skipped tests (none may be left behind) and on a run with none.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = '.cache/vitest-report.json';
mkdirSync('.cache', { recursive: true });
rmSync(report, { force: true });
const result = spawnSync(
  'node_modules/.bin/vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let summary;
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('tests: the test runner wrote no report');
  process.exit(result.status || 1);
}
const passed = summary.numPassedTests;
const failed = summary.numFailedTests;
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (summary.numTotalTests === 0) {
  console.error('tests: no test ran');
  process.exit(1);
}
if (skipped > 0 && process.argv.length <= 2) {
  console.error('tests: skipped tests are not allowed in the full suite');
  process.exit(1);
}
process.exit(result.status ?? 1);
