import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;

/**
 * The README's install path without the npm registry: `npm pack` makes the release tarball, and
 * `npm install --global` of it gives a bare `wxmail`. Tests reach no registry, so the dependencies
 * the registry would supply are linked from this checkout, and npm runs --offline.
 */
describe('installing wxmail from a packed tarball', () => {
  it('the tarball holds everything the CLI needs; npm install --global gives a working `wxmail`', async () => {
    const work = mkdtempSync(join(tmpdir(), 'wxinstall-'));
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ROOT], { cwd: work });
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toContain('bin/wxmail.js');
    expect(paths).toContain('schema/report.schema.json');
    expect(paths).toContain('fixtures/scenarios/healthy.yaml');
    expect(paths.some((p) => p.startsWith('dist/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);

    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['xzf', join(work, filename), '-C', unpacked]);
    symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'package', 'node_modules'));
    const prefix = join(work, 'prefix');
    await run('npm', ['install', '--global', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', prefix, join(unpacked, 'package')], { cwd: work });

    const wxmail = join(prefix, 'bin', 'wxmail');
    expect((await run(wxmail, ['--version'])).stdout.trim()).toBe(version);
    const demo = await run(wxmail, ['doctor', '--demo', '--scenario', 'healthy', '--format', 'json'], { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work } });
    expect((JSON.parse(demo.stdout) as { status: string }).status).toMatch(/^(pass|warn)$/);
  });
});
