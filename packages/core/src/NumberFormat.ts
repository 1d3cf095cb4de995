/**
 * Numbers and money amounts written with a locale's separators and a currency symbol or code,
 * such as `R$ 1.000,50` (pt-BR) or `€1,234.50` (en-IE). An amount reads only with the separators
 * it is given, and is never reinterpreted with other separators.
 *
 * The mapping's money and number normalizers and the Flash Lead discovery read amounts with
 * these functions, so discovery reports the amounts that a migration rejects.
 */

/** The group and decimal separators of numbers, such as `,` and `.` in en-US. */
export interface NumberSeparators {
  readonly group: string;
  readonly decimal: string;
}

/** An amount and its ISO 4217 currency code. */
export interface Money {
  readonly value: number;
  readonly currency: string;
}

// Longest symbols first, so `R$` wins over `$`.
const symbols: ReadonlyArray<readonly [string, string]> = [
  ["US$", "USD"],
  ["R$", "BRL"],
  ["CA$", "CAD"],
  ["C$", "CAD"],
  ["AU$", "AUD"],
  ["A$", "AUD"],
  ["MX$", "MXN"],
  ["NZ$", "NZD"],
  ["€", "EUR"],
  ["£", "GBP"],
  ["¥", "JPY"],
  ["₹", "INR"],
  ["zł", "PLN"],
];

// Currencies written with a bare `$`; the default currency decides among them.
const dollarCurrencies = new Set(["USD", "CAD", "AUD", "MXN", "NZD", "ARS", "CLP", "COP", "SGD"]);

// Intl formatters are costly to create, so the separators are kept per locale.
const separatorsByLocale = new Map<string, NumberSeparators>();

/** Returns the group and decimal separators of a locale, from Intl. */
export const localeSeparators = (locale: string): NumberSeparators => {
  const known = separatorsByLocale.get(locale);
  if (known !== undefined) return known;
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const group = parts.find((part) => part.type === "group")?.value ?? ",";
  const decimal = parts.find((part) => part.type === "decimal")?.value ?? ".";
  const separators = { group, decimal };
  separatorsByLocale.set(locale, separators);
  return separators;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The patterns of one pair of separators, compiled once because every amount uses them. */
interface AmountPatterns {
  readonly grouped: RegExp;
  readonly plain: RegExp;
  readonly group: RegExp;
  readonly decimal: string;
}

// Keyed by the separators object, so that a caller that keeps its separators, as
// `localeSeparators` does, finds its patterns without building a key.
const patternsBySeparators = new WeakMap<NumberSeparators, AmountPatterns>();

const amountPatterns = (separators: NumberSeparators): AmountPatterns => {
  const known = patternsBySeparators.get(separators);
  if (known !== undefined) return known;
  const { group, decimal } = separators;

  // Intl uses a narrow or plain no-break space as the group separator in some locales.
  const spaced = /\s/u.test(group) || group === "\u202f";
  const groupPattern = spaced ? "[\\s\\u00a0\\u202f]" : escapeRegExp(group);
  const decimalPattern = escapeRegExp(decimal);
  const patterns = {
    grouped: new RegExp(`^\\d{1,3}(?:${groupPattern}\\d{3})+(?:${decimalPattern}\\d+)?$`, "u"),
    plain: new RegExp(`^\\d+(?:${decimalPattern}\\d+)?$`, "u"),
    group: new RegExp(groupPattern, "gu"),
    decimal,
  };
  patternsBySeparators.set(separators, patterns);
  return patterns;
};

/** A money value split into its sign, its currency and the amount text left to read. */
export interface MoneyParts {
  readonly negative: boolean;
  /** The digits and separators, without sign or currency. */
  readonly amount: string;
  readonly currency: string;
}

/**
 * Splits a money value into its sign, its currency marker and its amount text. A leading or
 * trailing `-` and enclosing brackets make it negative. A symbol or ISO code in the value wins
 * over `defaultCurrency`, and a bare `$` is `defaultCurrency` when that is a dollar currency.
 */
export const splitMoney = (text: string, defaultCurrency: string): MoneyParts => {
  const trimmed = text.trim();
  const bracketsOrMinus = /^-|^\(.*\)$|-$/.test(trimmed);
  const unsigned = trimmed
    .replace(/^\(|\)$/g, "")
    .replace(/^-|-$/g, "")
    .trim();
  const { amount, currency } = splitCurrency(unsigned, defaultCurrency);
  return {
    negative: bracketsOrMinus || amount.startsWith("-"),
    amount: amount.replace(/^-/, "").trim(),
    currency,
  };
};

/** Splits the currency marker from the amount text. */
const splitCurrency = (
  text: string,
  defaultCurrency: string,
): { amount: string; currency: string } => {
  const code = /^([A-Z]{3})\s*(.*)$|^(.*?)\s*([A-Z]{3})$/.exec(text);
  if (code !== null && !/^[A-Z]{3}$/.test(text)) {
    const currency = code[1] ?? code[4] ?? defaultCurrency;
    return { amount: (code[2] ?? code[3] ?? "").trim(), currency };
  }

  for (const [symbol, currency] of symbols) {
    if (text.includes(symbol)) return { amount: text.replace(symbol, "").trim(), currency };
  }
  if (text.includes("$")) {
    const currency = dollarCurrencies.has(defaultCurrency) ? defaultCurrency : "USD";
    return { amount: text.replace("$", "").trim(), currency };
  }
  return { amount: text, currency: defaultCurrency };
};

/**
 * Reads unsigned amount text with the given separators: plain digits with an optional decimal
 * part, or digits in groups of three. Returns undefined when the separators do not fit.
 *
 * @example
 * ```ts
 * readAmount("1.234,56", { group: ".", decimal: "," }); // 1234.56
 * readAmount("1.234,56", { group: ",", decimal: "." }); // undefined
 * ```
 */
export const readAmount = (amount: string, separators: NumberSeparators): number | undefined => {
  const patterns = amountPatterns(separators);
  if (!patterns.grouped.test(amount) && !patterns.plain.test(amount)) return undefined;
  const value = Number(amount.replace(patterns.group, "").replace(patterns.decimal, "."));
  return Number.isFinite(value) ? value : undefined;
};

/**
 * Reads a money value with the given separators, or returns undefined when it is not an amount.
 *
 * @example
 * ```ts
 * readMoney("R$ 1.000,50", { group: ".", decimal: "," }, "BRL"); // { value: 1000.5, currency: "BRL" }
 * readMoney("(1,000.50)", { group: ",", decimal: "." }, "USD"); // { value: -1000.5, currency: "USD" }
 * ```
 */
export const readMoney = (
  text: string,
  separators: NumberSeparators,
  defaultCurrency: string,
): Money | undefined => {
  const parts = splitMoney(text, defaultCurrency);
  const value = readAmount(parts.amount, separators);
  if (value === undefined) return undefined;
  return { value: parts.negative ? -value : value, currency: parts.currency };
};
