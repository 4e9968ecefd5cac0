/**
 * The config in force (GET /api/v1/config) as JSON in an editor; Apply validates on the server
 * (PUT) and says which rule changes apply now (stricter), which at the next reset, and which need a restart.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import type { Session } from '../session.ts';

interface Plan {
  appliesNow: string[];
  atNextReset: string[];
  restartNeeded: string[];
}

export function ConfigEditor({ session, onApplied }: { session: Session; onApplied?: () => void }) {
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [plan, setPlan] = useState<Plan | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    session.api
      .get<{ config: unknown }>('/config')
      .then((r) => setText(JSON.stringify(r.config, null, 2)))
      .catch((e) => setProblems([String(e)]));
  }, []);
  const syntax = jsonProblem(text);
  const apply = async () => {
    setPlan(undefined);
    setProblems([]);
    try {
      const why = reason.trim() ? `?reason=${encodeURIComponent(reason.trim())}` : '';
      const r = await session.api.put<Plan & { config: unknown }>(`/config${why}`, JSON.parse(text));
      setPlan(r);
      setText(JSON.stringify(r.config, null, 2));
      setReason('');
      onApplied?.();
    } catch (err) {
      const e = err as ApiError;
      setProblems(e.problems?.length ? e.problems.map((p) => `${p.path}: ${p.message}`) : [e.message]);
    }
  };
  return (
    <section class="card wide" aria-labelledby="h-config">
      <h2 id="h-config">Config</h2>
      <label for="config-text">Effective config (JSON)</label>
      <textarea
        id="config-text"
        spellcheck={false}
        rows={18}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        aria-invalid={syntax ? 'true' : 'false'}
      />
      {syntax && <p class="error">{syntax}</p>}
      <label for="config-reason">Why the change (optional, in the audit trail)</label>
      <input id="config-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button type="button" disabled={!!syntax} onClick={() => void apply()}>
        Validate and apply
      </button>
      {problems.length > 0 && (
        <ul class="error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {plan && (
        <div role="status" class="plan">
          <p>Applied now (stricter): {plan.appliesNow.join(', ') || 'nothing'}</p>
          <p>At the next reset: {plan.atNextReset.join(', ') || 'nothing'}</p>
          {plan.restartNeeded.length > 0 && <p>After a restart: {plan.restartNeeded.join(', ')}</p>}
        </div>
      )}
    </section>
  );
}

function jsonProblem(text: string): string | undefined {
  if (!text) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return `Not valid JSON: ${(err as Error).message}`;
  }
}
