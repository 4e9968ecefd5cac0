/**
 * The chart labels of an account: loaded over REST (GET /api/v1/labels?account=) and kept current
 * from the `labels` stream topic, which carries every change the login may see.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LabelChange } from './live.ts';
import type { Session } from './session.ts';
import type { Label } from './types.ts';

/** Applies one pushed change to a list kept sorted by time; other accounts' labels are ignored. */
export function applyLabelChange(labels: readonly Label[], account: string, change: LabelChange): Label[] {
  const rest = labels.filter((l) => l.id !== change.label.id);
  if (change.event === 'deleted' || change.label.account !== account) return rest;
  return [...rest, change.label].sort((a, b) => a.time.localeCompare(b.time));
}

export function useLabels(
  session: Session,
  account: string,
  change: LabelChange | undefined,
): { labels: readonly Label[]; error: string | undefined } {
  const [labels, setLabels] = useState<Label[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let gone = false;
    session.api
      .get<{ labels: Label[] }>(`/labels?account=${encodeURIComponent(account)}`)
      .then((r) => !gone && setLabels(r.labels))
      .catch((err: Error) => !gone && setError(err.message));
    return () => {
      gone = true;
    };
  }, [session, account]);
  useEffect(() => {
    if (change) setLabels((l) => applyLabelChange(l, account, change));
  }, [change, account]);
  return { labels, error };
}
