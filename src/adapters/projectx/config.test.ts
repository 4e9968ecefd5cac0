import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyReader, parseProjectXSection } from './config.ts';
import { brokerEntry } from '../registry.ts';

const base = { kind: 'projectx', username: 'trader1', apiKeyEnv: 'PX_KEY', accounts: { '123456': 'A1', '777': 'A2' } };

describe('projectx broker section', () => {
  it('is registered and lists the mapped riskgate accounts', () => {
    const e = brokerEntry('projectx');
    assert.ok(e);
    assert.deepEqual([...e.accounts({ section: base, paperAccounts: [], now: () => 0 })].sort(), ['A1', 'A2']);
    assert.equal(e.schema.safeParse(base).success, true);
  });

  it('needs exactly one key source and rejects unknown keys', () => {
    assert.throws(() => parseProjectXSection({ ...base, apiKeyFile: 'k' }), /exactly one of apiKeyFile or apiKeyEnv/);
    assert.throws(() => parseProjectXSection({ ...base, apiKeyEnv: undefined }), /exactly one/);
    assert.throws(
      () => parseProjectXSection({ ...base, apiKey: 'inline' }),
      /ERR_CONFIG_INVALID|Unrecognized|unrecognized/,
    );
    assert.throws(() => parseProjectXSection({ ...base, accounts: { abc: 'A1' } }), /broker\.accounts/);
  });

  it('reads the key from the environment or a file only when asked, never naming its value', () => {
    const s = parseProjectXSection(base);
    assert.equal(apiKeyReader(s, { PX_KEY: ' secret-1 \n' })(), 'secret-1');
    assert.throws(() => apiKeyReader(s, {})(), /PX_KEY is not set/);
    const dir = mkdtempSync(join(tmpdir(), 'px-'));
    writeFileSync(join(dir, 'key'), 'secret-2\n');
    const f = parseProjectXSection({ ...base, apiKeyEnv: undefined, apiKeyFile: join(dir, 'key') });
    assert.equal(apiKeyReader(f)(), 'secret-2');
  });

  it('creates the adapter lazily', async () => {
    const e = brokerEntry('projectx');
    const b = await e?.create({ section: base, paperAccounts: [], now: () => 0 });
    assert.equal(b?.name, 'projectx');
  });
});
