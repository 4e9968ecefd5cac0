/**
 * ProjectX contracts behind riskgate symbols: a root (`MNQ`) → its active contract
 * (Contract/search), a contract id → its symbol (Contract/searchById), cached for the session.
 * A newly resolved contract is announced (`onActive`) so its market data is streamed.
 */
import { AppError } from '../../errors.ts';
import type { InstrumentTable } from '../../domain/instrument.ts';
import type { ProjectXClient } from './client.ts';
import { contractInfo, type ContractInfo } from './mapper.ts';
import * as S from './schemas.ts';

export class ContractBook {
  private readonly byId = new Map<string, ContractInfo>();
  private readonly activeBySymbol = new Map<string, ContractInfo>();

  constructor(
    private readonly client: ProjectXClient,
    private readonly table: InstrumentTable,
    private readonly live: boolean,
    private readonly onActive: (c: ContractInfo) => Promise<void>,
  ) {}

  /** The cached contract of an id (no venue call). */
  cached(contractId: string): ContractInfo | undefined {
    return this.byId.get(contractId);
  }

  private remember(c: ContractInfo): ContractInfo {
    this.byId.set(c.contractId, c);
    if (c.active && !this.activeBySymbol.has(c.symbol)) this.activeBySymbol.set(c.symbol, c);
    return c;
  }

  async byContractId(contractId: string): Promise<ContractInfo> {
    const cached = this.byId.get(contractId);
    if (cached) return cached;
    const r = await this.client.post('Contract/searchById', { contractId }, S.contractByIdResponse, {
      idempotent: true,
    });
    if (!r.contract) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `projectx has no contract ${contractId}`);
    const c = this.remember(contractInfo(r.contract, this.table));
    // A contract seen in an order, position or fill is one whose marks matter.
    await this.onActive(c);
    return c;
  }

  /** A symbol root (`MNQ`) → its active contract; a full contract id is taken as is. */
  async forSymbol(symbol: string): Promise<ContractInfo> {
    if (symbol.startsWith('CON.')) return this.byContractId(symbol);
    const root = this.table.root(symbol);
    const cached = this.activeBySymbol.get(root);
    if (cached) return cached;
    const r = await this.client.post(
      'Contract/search',
      { searchText: root, live: this.live },
      S.contractSearchResponse,
      { idempotent: true },
    );
    for (const c of r.contracts ?? []) this.remember(contractInfo(c, this.table));
    const found = this.activeBySymbol.get(root);
    if (!found) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `projectx has no active contract for ${symbol}`);
    await this.onActive(found);
    return found;
  }

  /** Every contract the login may trade (Contract/available), remembered for later lookups. */
  async available(): Promise<ContractInfo[]> {
    const r = await this.client.post('Contract/available', { live: this.live }, S.contractSearchResponse, {
      idempotent: true,
    });
    return (r.contracts ?? []).map((c) => this.remember(contractInfo(c, this.table)));
  }

  async symbolOf(contractId: string): Promise<string> {
    return (await this.byContractId(contractId)).symbol;
  }
}
