import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { UsageError } from '../../../src/core/usage-error.js';
import { loadSavedReport } from '../../../src/report/load.js';
import { render } from '../../../src/report/render.js';
import { makeModel } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'wxmail-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(path: string): UsageError {
  try {
    loadSavedReport(path);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return err as UsageError;
  }
  throw new Error('expected loadSavedReport to throw');
}

describe('loadSavedReport', () => {
  it('reads back what --format json wrote', () => {
    const model = makeModel();
    const path = file('ok.json', render(model, 'json', { color: false }));
    expect(loadSavedReport(path)).toEqual(model);
  });

  it('tolerates a byte-order mark (Windows editors add one)', () => {
    const path = file('bom.json', `\uFEFF${JSON.stringify(makeModel())}`);
    expect(loadSavedReport(path).schemaVersion).toBe(1);
  });

  it('names a missing file', () => {
    expect(errorOf(join(dir, 'nope.json')).message).toBe(`cannot read report ${join(dir, 'nope.json')}: no such file`);
  });

  it('names a directory', () => {
    expect(errorOf(dir).message).toBe(`cannot read report ${dir}: it is a directory`);
  });

  it.skipIf(process.getuid?.() === 0)('names a file it may not read', () => {
    const path = file('secret.json', '{}');
    chmodSync(path, 0o000);
    expect(errorOf(path).message).toMatch(/: permission denied$/);
  });

  it('says when the file is not JSON, and what to give when it is HTML without the embedded data', () => {
    expect(errorOf(file('bad.json', '{"schemaVersion": 1,')).message).toMatch(/^report .*bad\.json is not JSON: /);
    const html = render(makeModel(), 'html', { color: false }).replace(/<script type="application\/json"[^]*?<\/script>/, '');
    expect(errorOf(file('old.html', html)).message).toMatch(/old\.html is an HTML file without the embedded wxmail report data .*give the JSON report \(--format json\)/);
    expect(errorOf(file('junit.xml', render(makeModel(), 'junit', { color: false }))).message).toMatch(/is HTML or XML; give the JSON report/);
  });

  it('reads the model back out of an HTML report, even when tenant strings try to close the script element', () => {
    const model = makeModel();
    model.checks[0]!.summary = 'app </script><script>alert(1)</script> & <!-- \u2028 "quoted"';
    model.checks[0]!.details = '</SCRIPT >';
    const html = render(model, 'html', { color: false });
    // Exactly one script element, and it is the data block: nothing a tenant wrote became markup.
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    expect(loadSavedReport(file('report.html', html))).toEqual(model);
  });

  it('says when the JSON is not a wxmail report', () => {
    expect(errorOf(file('pkg.json', '{"name": "x"}')).message).toMatch(/pkg\.json is not a wxmail report/);
    expect(errorOf(file('arr.json', '[]')).message).toMatch(/is not a wxmail report/);
    const other = { ...makeModel(), tool: { name: 'other', version: '1' } };
    expect(errorOf(file('other.json', JSON.stringify(other))).message).toMatch(/is not a wxmail report/);
  });

  it('says which schemaVersion it got when it is not 1', () => {
    const path = file('v2.json', JSON.stringify({ ...makeModel(), schemaVersion: 2 }));
    expect(errorOf(path).message).toBe(`${path} is a wxmail report of schemaVersion 2; this wxmail reads schemaVersion 1`);
  });

  it('names the JSON path of a schema violation', () => {
    const model = makeModel();
    (model.checks[2] as any).status = 'ok';
    const path = file('invalid.json', JSON.stringify(model));
    expect(errorOf(path).message).toMatch(
      /invalid\.json is not a valid wxmail report: \/checks\/2\/status must be equal to one of the allowed values .*got "ok"$/,
    );
  });
});
