/**
 * CME Globex holiday closures for US equity-index, energy and metal futures, 2025–2027.
 * Source: CME Group "Trading Hours / Holiday Calendar" notices and the NYSE holiday schedule
 * (CME equity-index products follow NYSE full-day closures). Early closes (e.g. day after
 * Thanksgiving, Christmas Eve) are listed separately with the CT close time.
 * The calendar only matters for session rules and end-of-day reports; it never changes a
 * trading-day label (DESIGN §2).
 */
export const CME_HOLIDAYS: Readonly<Record<string, string>> = {
  '2025-01-01': "New Year's Day",
  '2025-01-09': 'National Day of Mourning (President Carter)',
  '2025-01-20': 'Martin Luther King Jr. Day',
  '2025-02-17': "Presidents' Day",
  '2025-04-18': 'Good Friday',
  '2025-05-26': 'Memorial Day',
  '2025-06-19': 'Juneteenth',
  '2025-07-04': 'Independence Day',
  '2025-09-01': 'Labor Day',
  '2025-11-27': 'Thanksgiving Day',
  '2025-12-25': 'Christmas Day',
  '2026-01-01': "New Year's Day",
  '2026-01-19': 'Martin Luther King Jr. Day',
  '2026-02-16': "Presidents' Day",
  '2026-04-03': 'Good Friday',
  '2026-05-25': 'Memorial Day',
  '2026-06-19': 'Juneteenth',
  '2026-07-03': 'Independence Day (observed)',
  '2026-09-07': 'Labor Day',
  '2026-11-26': 'Thanksgiving Day',
  '2026-12-25': 'Christmas Day',
  '2027-01-01': "New Year's Day",
  '2027-01-18': 'Martin Luther King Jr. Day',
  '2027-02-15': "Presidents' Day",
  '2027-03-26': 'Good Friday',
  '2027-05-31': 'Memorial Day',
  '2027-06-18': 'Juneteenth (observed)',
  '2027-07-05': 'Independence Day (observed)',
  '2027-09-06': 'Labor Day',
  '2027-11-25': 'Thanksgiving Day',
  '2027-12-24': 'Christmas Day (observed)',
};

/** Early closes (local CT time of the close). */
export const CME_EARLY_CLOSES: Readonly<Record<string, string>> = {
  '2025-07-03': '12:00',
  '2025-11-28': '12:15',
  '2025-12-24': '12:15',
  '2026-11-27': '12:15',
  '2026-12-24': '12:15',
  '2027-11-26': '12:15',
};

export function isCmeHoliday(dateLabel: string): boolean {
  return dateLabel in CME_HOLIDAYS;
}

/** Weekday of a `YYYY-MM-DD` label: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dateLabel: string): number {
  const [y, m, d] = dateLabel.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** A CME trading day: Monday–Friday and not a full holiday closure. */
export function isCmeTradingDay(dateLabel: string): boolean {
  const wd = weekdayOf(dateLabel);
  return wd >= 1 && wd <= 5 && !isCmeHoliday(dateLabel);
}
