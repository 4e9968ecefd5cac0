/** Market, limit and stop orders through POST /api/v1/orders; a pre-trade rejection says which rule refused and why. */
import { useState } from 'preact/hooks';
import { ApiError, ruleName, type RuleRefusal } from '../api.ts';
import { formatNumber } from '../format.ts';
import type { Session } from '../session.ts';
import type { Quote } from '../types.ts';

type Outcome = { kind: 'ok'; text: string } | { kind: 'rejected'; rules: readonly RuleRefusal[]; text: string };

export function OrderTicket({
  session,
  account,
  quotes,
}: {
  session: Session;
  account: string;
  quotes: Readonly<Record<string, Quote>>;
}) {
  const [symbol, setSymbol] = useState('MES');
  const [qty, setQty] = useState('1');
  const [orderType, setType] = useState<'market' | 'limit' | 'stop'>('market');
  const [price, setPrice] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);
  const q = quotes[symbol.toUpperCase()];

  const place = async (side: 'buy' | 'sell') => {
    setBusy(true);
    setOutcome(undefined);
    const body = {
      account,
      symbol: symbol.trim().toUpperCase(),
      side,
      qty: Number(qty),
      orderType,
      ...(orderType === 'limit' ? { price: price.trim() } : {}),
      ...(orderType === 'stop' ? { stopPrice: price.trim() } : {}),
      clientOrderId: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    };
    try {
      const r = await session.api.post<{ orderId: string; status?: string }>('/orders', body);
      setOutcome({ kind: 'ok', text: `${side} ${body.qty} ${body.symbol} ${orderType}: accepted (${r.orderId})` });
    } catch (err) {
      const e = err as ApiError;
      setOutcome({ kind: 'rejected', rules: e.rules ?? [], text: e.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card ticket" aria-labelledby="h-ticket">
      <h2 id="h-ticket">Order ticket</h2>
      <form onSubmit={(e) => e.preventDefault()}>
        <label>
          Symbol
          <input value={symbol} onInput={(e) => setSymbol((e.target as HTMLInputElement).value)} required />
        </label>
        <label>
          Quantity
          <input
            type="number"
            min="1"
            step="1"
            value={qty}
            onInput={(e) => setQty((e.target as HTMLInputElement).value)}
            required
          />
        </label>
        <label>
          Type
          <select value={orderType} onChange={(e) => setType((e.target as HTMLSelectElement).value as 'market')}>
            <option value="market">Market</option>
            <option value="limit">Limit</option>
            <option value="stop">Stop</option>
          </select>
        </label>
        {orderType !== 'market' && (
          <label>
            {orderType === 'limit' ? 'Limit price' : 'Stop price'}
            <input inputMode="decimal" value={price} onInput={(e) => setPrice((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <p class="quote num" aria-live="off">
          {q ? `bid ${formatNumber(q.bid)} · ask ${formatNumber(q.ask)}` : 'no quote yet'}
        </p>
        <div class="actions">
          <button type="button" class="buy" disabled={busy} onClick={() => void place('buy')}>
            Buy
          </button>
          <button type="button" class="sell" disabled={busy} onClick={() => void place('sell')}>
            Sell
          </button>
        </div>
      </form>
      {outcome?.kind === 'ok' && (
        <p class="ok" role="status">
          {outcome.text}
        </p>
      )}
      {outcome?.kind === 'rejected' && (
        <div class="rejected" role="alert" data-testid="order-rejected">
          <strong>Order rejected</strong>
          {outcome.rules.length > 0 ? (
            <ul>
              {outcome.rules.map((r) => (
                <li key={r.rule}>
                  {ruleName(r.rule)}: {r.reason}
                </li>
              ))}
            </ul>
          ) : (
            <p>{outcome.text}</p>
          )}
        </div>
      )}
    </section>
  );
}
