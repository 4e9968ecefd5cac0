/** The chart labels of an account under its equity chart: a list, and for traders a form to add one and delete. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import type { Session } from '../session.ts';
import type { Label } from '../types.ts';

interface Props {
  readonly session: Session;
  readonly account: string;
  readonly labels: readonly Label[];
  readonly canEdit: boolean;
  /** Default symbol of a new label (e.g. the open position's). */
  readonly symbol: string;
}

export function LabelsPanel({ session, account, labels, canEdit, symbol: defaultSymbol }: Props) {
  const [text, setText] = useState('');
  const [symbol, setSymbol] = useState(defaultSymbol);
  const [time, setTime] = useState('');
  const [price, setPrice] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  const tz = session.timezone;

  const add = async () => {
    setNotice(undefined);
    try {
      await session.api.post('/labels', {
        account,
        symbol: symbol.trim().toUpperCase(),
        // datetime-local is the browser's zone; blank is now
        time: time ? new Date(time).toISOString() : new Date().toISOString(),
        text: text.trim(),
        ...(price.trim() ? { price: price.trim() } : {}),
      });
      setText('');
      setPrice('');
    } catch (err) {
      setNotice(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  const remove = async (l: Label) => {
    try {
      await session.api.delete(`/labels/${encodeURIComponent(l.id)}`);
    } catch (err) {
      setNotice(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  return (
    <div class="labels" data-testid="labels">
      <h3>Labels</h3>
      {labels.length === 0 ? (
        <p class="muted">No labels.</p>
      ) : (
        <ul>
          {labels.map((l) => (
            <li key={l.id} data-label={l.id}>
              <span class="num">{formatDateTime(l.time, tz)}</span> {l.symbol}
              {l.price !== undefined && <span class="num"> @ {formatNumber(l.price)}</span>}:{' '}
              <span class="label-text">{l.text}</span>
              {canEdit && (
                <button type="button" class="link" onClick={() => void remove(l)} aria-label={`Delete label ${l.text}`}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          class="label-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label>
            Note
            <input
              name="label-text"
              value={text}
              maxLength={500}
              required
              onInput={(e) => setText((e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            Instrument
            <input value={symbol} required onInput={(e) => setSymbol((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            At (blank: now)
            <input
              type="datetime-local"
              step="1"
              value={time}
              onInput={(e) => setTime((e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            At price (optional)
            <input inputMode="decimal" value={price} onInput={(e) => setPrice((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Add label</button>
        </form>
      )}
      {notice && (
        <p class="error" role="alert">
          {notice}
        </p>
      )}
    </div>
  );
}
