/**
 * Reading settings of each source file: encoding and delimiter as discovered, the date order of
 * its date columns, and a locale, currency, phone country and time zone inferred from money and
 * phone samples. What cannot be inferred takes the proposer's defaults, with a warning.
 */
import type { ColumnProfile, Inventory, ObjectInventory } from "@ferry/core";

import type { SourceFileSettings } from "../Plan.js";
import type { PlanWarning } from "../PlanWarning.js";

/** Settings the proposer falls back to, and which a caller can set. */
export interface RegionDefaults {
  readonly numberLocale: string;
  readonly defaultCurrency: string;
  readonly defaultPhoneCountry: string;
  readonly timeZone: string;
}

/** The defaults used when the export shows no region. */
export const fallbackRegion: RegionDefaults = {
  numberLocale: "en-US",
  defaultCurrency: "USD",
  defaultPhoneCountry: "US",
  timeZone: "UTC",
};

// Markers in money samples and the region they point to.
const moneyRegions: ReadonlyArray<readonly [RegExp, RegionDefaults]> = [
  [
    /R\$|BRL/,
    {
      numberLocale: "pt-BR",
      defaultCurrency: "BRL",
      defaultPhoneCountry: "BR",
      timeZone: "America/Sao_Paulo",
    },
  ],
  [
    /£|GBP/,
    {
      numberLocale: "en-GB",
      defaultCurrency: "GBP",
      defaultPhoneCountry: "GB",
      timeZone: "Europe/London",
    },
  ],
  [
    /MX\$|MXN/,
    {
      numberLocale: "es-MX",
      defaultCurrency: "MXN",
      defaultPhoneCountry: "MX",
      timeZone: "America/Mexico_City",
    },
  ],
  [
    /€\s*\d[\d.]*,\d{2}\b|\d[\d.]*,\d{2}\s*€/,
    {
      numberLocale: "de-DE",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "DE",
      timeZone: "Europe/Berlin",
    },
  ],
  [
    /€|EUR/,
    {
      numberLocale: "en-IE",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "IE",
      timeZone: "Europe/Dublin",
    },
  ],
  [
    /US\$|\$|USD/,
    {
      numberLocale: "en-US",
      defaultCurrency: "USD",
      defaultPhoneCountry: "US",
      timeZone: "America/New_York",
    },
  ],
];

// Country calling codes in phone samples and their region.
const phoneRegions: ReadonlyArray<readonly [string, RegionDefaults]> = [
  ["+55", moneyRegions[0]?.[1] ?? fallbackRegion],
  ["+44", moneyRegions[1]?.[1] ?? fallbackRegion],
  ["+52", moneyRegions[2]?.[1] ?? fallbackRegion],
  ["+49", moneyRegions[3]?.[1] ?? fallbackRegion],
  [
    "+33",
    {
      numberLocale: "fr-FR",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "FR",
      timeZone: "Europe/Paris",
    },
  ],
  [
    "+34",
    {
      numberLocale: "es-ES",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "ES",
      timeZone: "Europe/Madrid",
    },
  ],
  [
    "+351",
    {
      numberLocale: "pt-PT",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "PT",
      timeZone: "Europe/Lisbon",
    },
  ],
  [
    "+39",
    {
      numberLocale: "it-IT",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "IT",
      timeZone: "Europe/Rome",
    },
  ],
  [
    "+31",
    {
      numberLocale: "nl-NL",
      defaultCurrency: "EUR",
      defaultPhoneCountry: "NL",
      timeZone: "Europe/Amsterdam",
    },
  ],
  ["+1", moneyRegions[5]?.[1] ?? fallbackRegion],
];

const samplesOf = (inventory: Inventory, types: ReadonlyArray<string>): ReadonlyArray<string> =>
  inventory.objects.flatMap((object) =>
    object.columns.filter((c) => types.includes(c.inferredType)).flatMap((c) => c.samples),
  );

/** Infers the export's region from money samples, then phone samples. */
export const inferRegion = (inventory: Inventory): RegionDefaults | undefined => {
  const money = samplesOf(inventory, ["money"]).join(" ");
  const byMoney = moneyRegions.find(([pattern]) => pattern.test(money));
  if (byMoney !== undefined) return byMoney[1];

  const phones = samplesOf(inventory, ["phone"]).map((sample) => sample.replace(/[\s()-]/g, ""));
  const byPhone = phoneRegions.find(([prefix]) => phones.some((phone) => phone.startsWith(prefix)));
  return byPhone?.[1];
};

const dateOrders = new Set(["day-first", "month-first", "year-first"]);

/**
 * The date order of an object's date columns, if one is decided. A column profile's format
 * reads like `day-first, with time`; year-first (ISO) columns decide nothing about the day and
 * month of the other columns, so a day-first or month-first column wins over them.
 */
const dateOrderOf = (columns: ReadonlyArray<ColumnProfile>) => {
  const orders = columns
    .map((column) => column.format?.split(",")[0]?.trim())
    .filter((order): order is SourceFileSettings["dateOrder"] =>
      order === undefined ? false : dateOrders.has(order),
    );
  return orders.find((order) => order !== "year-first") ?? orders[0];
};

/**
 * Proposes the settings of each file of each object.
 *
 * @example
 * ```ts
 * proposeFileSettings(inventory, fallbackRegion).files[0];
 * // { object: "lead", path: "leads.csv", encoding: "utf-8", delimiter: ";", dateOrder: "day-first", timeZone: "America/Sao_Paulo", ... }
 * ```
 */
export const proposeFileSettings = (
  inventory: Inventory,
  defaults: RegionDefaults,
  inferred: RegionDefaults | undefined,
): { files: ReadonlyArray<SourceFileSettings>; warnings: ReadonlyArray<PlanWarning> } => {
  const region = inferred ?? defaults;
  const warnings: Array<PlanWarning> = [];
  if (inferred === undefined) {
    warnings.push({
      code: "region-defaulted",
      message: `no money or phone value shows the export's region, so numbers use ${region.numberLocale}, currency ${region.defaultCurrency}, phones ${region.defaultPhoneCountry} and times ${region.timeZone}; check the files section`,
    });
  }
  const fallbackOrder = region.numberLocale === "en-US" ? "month-first" : "day-first";

  const files = inventory.objects.flatMap((object: ObjectInventory) => {
    const order = dateOrderOf(object.columns);
    const hasDates = object.columns.some(
      (c) => c.inferredType === "date" || c.inferredType === "datetime",
    );
    if (order === undefined && hasDates) {
      warnings.push({
        code: "date-order-undecided",
        message: `no date in ${object.kind} decides the day/month order, so the plan reads them ${fallbackOrder} from the ${region.numberLocale} locale; check dateOrder`,
      });
    }
    return object.files.map((file) => ({
      object: object.kind,
      path: file.path,
      encoding: file.encoding,
      delimiter: file.delimiter,
      dateOrder: order ?? fallbackOrder,
      ...region,
    }));
  });
  return { files, warnings };
};
