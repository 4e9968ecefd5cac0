/** The paper venue: deterministic simulated matching engine + BrokerAdapter (DESIGN §1). */
export { PaperBroker } from './adapter.ts';
export { PaperExchange, type Bar, type PaperAccountConfig, type PaperExchangeOptions } from './exchange.ts';
export { InstrumentTable } from './instruments.ts';
export { PositionBook, type RoundTrip } from './positions.ts';
export { barPath } from './bar-path.ts';
