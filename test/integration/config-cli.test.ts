/**
 * Config errors a new user meets: a `broker` section riskgate cannot serve is an error naming the
 * kinds that exist (never a silent paper broker), and YAML syntax errors quote the offending line.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riskgate } from '../fixtures/cli.ts';
import { validateConfigText } from '../../src/config/load.ts';

describe('riskgate config: broker kinds and YAML syntax errors', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('config validate rejects a broker kind that is not built (tradovate) or unknown, naming the kinds', async () => {
    for (const kind of ['tradovate', 'nope']) {
      const r = await riskgate([
        'config',
        'validate',
        file(`${kind}.yaml`, `broker:\n  kind: ${kind}\n  apiKey: secret\n`),
      ]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(
        r.stdout,
        new RegExp(`^broker\\.kind: unknown or unsupported broker kind "${kind}" \\(kinds: paper, projectx\\)$`, 'm'),
      );
      assert.doesNotMatch(r.stdout, /secret/);
    }
  });

  it('every config load refuses an unknown broker kind instead of starting the paper broker', async () => {
    const events = file('events.ndjson', '{"ts":"2026-04-07T13:31:00.000Z","type":"clock"}\n');
    const r = await riskgate(['replay', events, '--config', file('tv.yaml', 'broker: { kind: tradovate }\n')]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^riskgate: ERR_CONFIG_INVALID: invalid config .*tv\.yaml:\n {2}broker\.kind: unknown or unsupported broker kind "tradovate" \(kinds: paper, projectx\)\n$/,
    );
  });

  it('checks a projectx section with its own schema: no inline API key, one key source', () => {
    const text = 'broker:\n  kind: projectx\n  username: u\n  apiKey: secret\n  accounts: { "123": A1 }\n';
    const problems = validateConfigText(text).problems;
    assert.deepEqual(
      problems.map((p) => p.path),
      ['broker.apiKey', 'broker.apiKeyFile'],
    );
    assert.doesNotMatch(JSON.stringify(problems), /secret/);
    assert.deepEqual(
      validateConfigText('broker:\n  kind: projectx\n  username: u\n  apiKeyEnv: PX\n  accounts: { "123": A1 }\n')
        .problems,
      [],
    );
  });

  it("checks the rest of the section with the kind's own schema: a paper section has only kind", () => {
    assert.deepEqual(validateConfigText('broker:\n  kind: paper\n  url: wss://example\n').problems, [
      { path: 'broker.url', message: 'unknown key for broker kind paper' },
    ]);
    assert.deepEqual(validateConfigText('broker: { kind: paper }\n').problems, []);
    assert.deepEqual(validateConfigText('timezone: UTC\n').problems, [], 'no broker section = paper');
    assert.match(validateConfigText('broker: { url: x }\n').problems[0]?.message ?? '', /^missing: .*kinds: paper/);
    assert.equal(validateConfigText('broker: { kind: paper }\n').config?.broker?.kind, 'paper');
  });

  it('a YAML syntax error names the file, line and column and quotes the offending line', async () => {
    const bad = file(
      'indent.yaml',
      'timezone: UTC\nrisk:\n  rules:\n   RULE-003: { limit: "5" }\n    RULE-004: { limit: 3 }\n',
    );
    const v = await riskgate(['config', 'validate', bad]);
    assert.equal(v.code, 1);
    const line = v.stdout.split('\n')[0] ?? '';
    assert.ok(line.startsWith(`${bad}:5:`), line);
    assert.match(line, /\[BAD_INDENT\]: " {4}RULE-004: \{ limit: 3 \}"$/);
    const loaded = await riskgate(['replay', file('e.ndjson', ''), '--config', bad]);
    assert.equal(loaded.code, 1);
    assert.match(loaded.stderr, /ERR_CONFIG_INVALID: .*indent\.yaml:\n {2}.*indent\.yaml:5:\d+: .*RULE-004/);
  });

  it('a config path that is missing or a directory is one catalogued error', async () => {
    const folder = await riskgate(['config', 'validate', dir]);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /^riskgate: ERR_CONFIG_NOT_FOUND: config file .* is a directory, not a file\n$/);
    const missing = await riskgate(['config', 'validate', join(dir, 'absent.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^riskgate: ERR_CONFIG_NOT_FOUND: config file not found: .*absent\.yaml\n$/);
  });

  it('a YAML error at the end of the file quotes the last non-blank line', () => {
    const [p] = validateConfigText('timezone: UTC\nname: "unterminated\n', 'x.yaml').problems;
    assert.match(p?.path ?? '', /^x\.yaml:\d+:\d+$/);
    assert.match(p?.message ?? '', /\[MISSING_CHAR\] near line 2: "name: \\"unterminated"$/);
  });
});
