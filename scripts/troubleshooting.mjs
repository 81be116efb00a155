// Writes docs/TROUBLESHOOTING.md from the explanation entries of the built checks.
// Run it as `npm run docs` (it builds first); test/unit/docs/troubleshooting.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinChecks } from '../dist/checks/index.js';
import { TROUBLESHOOTING_FILE, renderTroubleshooting } from '../dist/src/report/troubleshooting.js';

const target = fileURLToPath(new URL(`../${TROUBLESHOOTING_FILE}`, import.meta.url));
writeFileSync(target, renderTroubleshooting(builtinChecks));
process.stdout.write(`wrote ${TROUBLESHOOTING_FILE}\n`);
