/**
 * Enforcement in an enforce-mode replay (no broker): a close_all / close_position / trim decision
 * is executed at once as a fill at the symbol's mark price, without fee, so the replay shows what
 * the account would have looked like had riskgate acted. Live, the Enforcer does this through
 * the broker and the broker's fills come back as ordinary events.
 */
import { abs, ZERO } from '../domain/money.ts';
import { isoOf, type FillEvent } from '../domain/events.ts';
import type { Decision } from './decision.ts';
import type { RiskEngine } from './risk-engine.ts';

/** Executes the close/trim outcomes of `decisions`; returns the decisions those fills caused. */
export function simulateEnforcement(engine: RiskEngine, decisions: readonly Decision[], depth = 0): Decision[] {
  const out: Decision[] = [];
  let n = 0;
  for (const d of decisions) {
    const rec = engine.accounts.get(d.account);
    if (!rec) continue;
    for (const o of d.outcomes) {
      let targets: { symbol: string; keep: bigint }[] = [];
      if (o.kind === 'close_all')
        targets = [...rec.state.positions.values()]
          .filter((p) => p.qty !== ZERO)
          .map((p) => ({ symbol: p.symbol, keep: ZERO }));
      else if (o.kind === 'close_position') targets = [{ symbol: o.symbol, keep: ZERO }];
      else if (o.kind === 'trim') targets = [{ symbol: o.symbol, keep: o.toQty }];
      for (const { symbol, keep } of targets) {
        const pos = rec.state.positions.get(symbol);
        const mark = engine.markOf(symbol);
        if (!pos || pos.qty === ZERO || mark === undefined) continue;
        const reduceBy = abs(pos.qty) - abs(keep);
        if (reduceBy <= ZERO) continue;
        const id = `rg-enforce-${d.rule}-${d.t}-${d.account}-${symbol}-${depth}-${n++}`;
        // A timer's decision (ts = its deadline) is executed once the event that revealed it is
        // in: the engine clock never goes back, so the fill is stamped at the current event time.
        const t = Math.max(d.t, engine.clock.lastT);
        // No fillId: riskgate's own execution is no venue fill that could come again (and ids of
        // closes at one instant may repeat).
        const fill: FillEvent = {
          type: 'fill',
          ts: t === d.t ? d.ts : isoOf(t),
          t,
          account: d.account,
          orderId: id,
          fillId: '',
          symbol,
          side: pos.qty > ZERO ? 'sell' : 'buy',
          qty: reduceBy,
          price: mark,
          fee: ZERO,
        };
        out.push(...engine.process(fill));
      }
    }
  }
  // Fills can trigger further closes (e.g. a realized loss limit); they settle within a few rounds.
  if (out.length && depth < 4) out.push(...simulateEnforcement(engine, out, depth + 1));
  return out;
}
