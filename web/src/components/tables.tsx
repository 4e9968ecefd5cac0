/** Rule distances, positions (flatten), working orders (cancel) and fills. */
import { band, formatMoney, formatNumber, formatTime, signOf } from '../format.ts';
import { ruleName } from '../api.ts';
import type { Fill, Order, Position, RuleDistance } from '../types.ts';

export function Distances({ distances }: { distances: readonly RuleDistance[] }) {
  return (
    <section class="card" aria-labelledby="h-rules">
      <h2 id="h-rules">Rules</h2>
      <table>
        <thead>
          <tr>
            <th>Rule</th>
            <th class="r">Value</th>
            <th class="r">Limit</th>
            <th class="r">Used</th>
            <th class="bar-col" aria-hidden="true" />
          </tr>
        </thead>
        <tbody>
          {distances.map((d) => (
            <tr key={d.rule} class={`band-${band(d.usedPct)}`} data-rule={d.rule}>
              <td>{ruleName(d.rule)}</td>
              <td class="num">{formatNumber(d.value)}</td>
              <td class="num">{formatNumber(d.limit)}</td>
              <td class="num">{Math.max(0, d.usedPct).toFixed(1)}%</td>
              <td class="bar-col">
                <div class="bar">
                  <div class="bar-fill" style={{ width: `${Math.min(100, Math.max(0, d.usedPct))}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Positions({
  positions,
  currency,
  canAct,
  onFlatten,
}: {
  positions: readonly Position[];
  currency: string;
  canAct: boolean;
  onFlatten: () => void;
}) {
  const open = positions.filter((p) => Number(p.qty) !== 0);
  return (
    <section class="card" aria-labelledby="h-positions">
      <div class="card-head">
        <h2 id="h-positions">Positions</h2>
        {canAct && (
          <button type="button" class="danger" onClick={onFlatten} disabled={open.length === 0}>
            Flatten all
          </button>
        )}
      </div>
      {open.length === 0 ? (
        <p class="muted" data-testid="flat">
          Flat: no open positions.
        </p>
      ) : (
        <table data-testid="positions">
          <thead>
            <tr>
              <th>Symbol</th>
              <th class="r">Qty</th>
              <th class="r">Avg price</th>
              <th class="r">Unrealized</th>
            </tr>
          </thead>
          <tbody>
            {open.map((p) => (
              <tr key={p.symbol}>
                <td>{p.symbol}</td>
                <td class="num">{formatNumber(p.qty)}</td>
                <td class="num">{formatNumber(p.avgPrice)}</td>
                <td class={`num ${signOf(p.unrealizedPnl)}`}>{formatMoney(p.unrealizedPnl, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function WorkingOrders({
  orders,
  timezone,
  canAct,
  onCancel,
}: {
  orders: readonly Order[];
  timezone: string;
  canAct: boolean;
  onCancel: (o: Order) => void;
}) {
  const working = orders.filter((o) => o.status === 'working' || o.status === 'partially_filled');
  return (
    <section class="card" aria-labelledby="h-orders">
      <h2 id="h-orders">Working orders</h2>
      {working.length === 0 ? (
        <p class="muted">No working orders.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Symbol</th>
              <th>Side</th>
              <th class="r">Qty</th>
              <th>Type</th>
              <th class="r">Price</th>
              {canAct && <th />}
            </tr>
          </thead>
          <tbody>
            {working.map((o) => (
              <tr key={o.orderId}>
                <td class="num">{formatTime(o.placedAt, timezone)}</td>
                <td>{o.symbol}</td>
                <td class={o.side}>{o.side}</td>
                <td class="num">{formatNumber(o.qty)}</td>
                <td>{o.orderType}</td>
                <td class="num">{formatNumber(o.price ?? o.stopPrice ?? null)}</td>
                {canAct && (
                  <td>
                    <button type="button" class="small" onClick={() => onCancel(o)} aria-label={`Cancel ${o.orderId}`}>
                      Cancel
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Fills({ fills, timezone, currency }: { fills: readonly Fill[]; timezone: string; currency: string }) {
  return (
    <section class="card" aria-labelledby="h-fills">
      <h2 id="h-fills">Fills</h2>
      {fills.length === 0 ? (
        <p class="muted">No fills yet.</p>
      ) : (
        <div class="scroll">
          <table data-testid="fills">
            <thead>
              <tr>
                <th>Time</th>
                <th>Symbol</th>
                <th>Side</th>
                <th class="r">Qty</th>
                <th class="r">Price</th>
                <th class="r">Fee</th>
              </tr>
            </thead>
            <tbody>
              {fills.slice(0, 100).map((f) => (
                <tr key={`${f.orderId}-${f.fillId}`}>
                  <td class="num">{formatTime(f.ts, timezone)}</td>
                  <td>{f.symbol}</td>
                  <td class={f.side}>{f.side}</td>
                  <td class="num">{formatNumber(f.qty)}</td>
                  <td class="num">{formatNumber(f.price)}</td>
                  <td class="num">{formatMoney(f.fee, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
