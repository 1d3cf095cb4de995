/**
 * Money amounts written with a locale's separators and a currency symbol or code, such as
 * `R$ 1.000,50` (pt-BR) or `€1,234.50` (en-IE). A value whose separators do not fit the locale
 * is rejected, never reinterpreted with other separators. The reading itself is `readMoney` of
 * @ferry/core, which the Flash Lead discovery uses too.
 */
import { localeSeparators, type Money, readMoney } from "@ferry/core";

import { fail, type Normalized, succeed } from "./Normalized.js";

export type { Money } from "@ferry/core";
export { localeSeparators } from "@ferry/core";

/**
 * Parses a money amount with the locale's separators; a symbol or ISO code in the value wins
 * over the default currency.
 *
 * @example
 * ```ts
 * parseMoney("R$ 1.000,50", "pt-BR", "BRL"); // { ok: true, value: { value: 1000.5, currency: "BRL" } }
 * parseMoney("1,000.50", "pt-BR", "BRL"); // { ok: false, reason: "invalid-money", ... }
 * ```
 */
export const parseMoney = (
  raw: string,
  locale: string,
  defaultCurrency: string,
): Normalized<Money> => {
  const text = raw.trim();
  if (text === "") return fail("empty", "the amount is empty");

  const money = readMoney(text, localeSeparators(locale), defaultCurrency.toUpperCase());
  if (money === undefined) {
    const { group, decimal } = localeSeparators(locale);
    return fail(
      "invalid-money",
      `"${raw}" is not an amount in ${locale} (group "${group}", decimal "${decimal}"); ` +
        "set numberLocale in the plan to the locale of the export",
    );
  }
  return succeed(money);
};
