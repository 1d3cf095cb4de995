/**
 * Money amounts written with a locale's separators and a currency symbol or code, such as
 * `R$ 1.000,50` (pt-BR) or `€1,234.50` (en-IE). A value whose separators do not fit the locale
 * is rejected, never reinterpreted with other separators.
 */
import { fail, type Normalized, succeed } from "./Normalized.js";

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

// Currencies written with a bare `$`; the plan's default currency decides among them.
const dollarCurrencies = new Set(["USD", "CAD", "AUD", "MXN", "NZD", "ARS", "CLP", "COP", "SGD"]);

// Intl formatters are costly to create, so the separators are kept per locale.
const separatorsByLocale = new Map<string, { group: string; decimal: string }>();

/** Group and decimal separators of a locale, from Intl. */
export const localeSeparators = (locale: string): { group: string; decimal: string } => {
  const known = separatorsByLocale.get(locale);
  if (known !== undefined) return known;
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const group = parts.find((part) => part.type === "group")?.value ?? ",";
  const decimal = parts.find((part) => part.type === "decimal")?.value ?? ".";
  separatorsByLocale.set(locale, { group, decimal });
  return { group, decimal };
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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

/** Reads the number with the locale's separators, or returns undefined when they do not fit. */
const readAmount = (amount: string, locale: string): number | undefined => {
  const { group, decimal } = localeSeparators(locale);
  // Intl uses a narrow or plain no-break space as the group separator in some locales.
  const spaced = /\s/u.test(group) || group === "\u202f";
  const groupPattern = spaced ? "[\\s\\u00a0\\u202f]" : escapeRegExp(group);
  const decimalPattern = escapeRegExp(decimal);
  const grouped = new RegExp(`^\\d{1,3}(?:${groupPattern}\\d{3})+(?:${decimalPattern}\\d+)?$`, "u");
  const plain = new RegExp(`^\\d+(?:${decimalPattern}\\d+)?$`, "u");

  if (!grouped.test(amount) && !plain.test(amount)) return undefined;
  const digits = amount.replace(new RegExp(groupPattern, "gu"), "").replace(decimal, ".");
  return Number(digits);
};

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

  const negative = /^-|^\(.*\)$|-$/.test(text);
  const unsigned = text
    .replace(/^\(|\)$/g, "")
    .replace(/^-|-$/g, "")
    .trim();
  const { amount, currency } = splitCurrency(unsigned, defaultCurrency.toUpperCase());
  const cleaned = amount.replace(/^-/, "").trim();
  const value = readAmount(cleaned, locale);

  if (value === undefined || !Number.isFinite(value)) {
    const { group, decimal } = localeSeparators(locale);
    return fail(
      "invalid-money",
      `"${raw}" is not an amount in ${locale} (group "${group}", decimal "${decimal}"); ` +
        "set numberLocale in the plan to the locale of the export",
    );
  }
  const signed = negative || amount.startsWith("-") ? -value : value;
  return succeed({ value: signed, currency });
};
