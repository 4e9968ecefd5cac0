/** Market data shipped with riskgate: the paper feed of `riskgate start` and the smoke test. */
import { fileURLToPath } from 'node:url';

/** Daily S&P 500 bars 2000–2020, quoted as MES/ES by the paper feed. */
export const BUNDLED_SP500 = fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url));
