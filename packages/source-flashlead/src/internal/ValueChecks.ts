/**
 * Checks of a column's values against the types that discovery can infer for it: dates with the
 * rules of `parseDateValue`, amounts with `readAmount` and e-mail addresses with
 * `isEmailAddress`. All three come from @ferry/core, and the mapping's normalizers read values
 * with the same functions, so a value reported here is one that a migration cannot read.
 *
 * The column's type, date order and separators are known only after its last value, so each cell
 * is checked once for every order and every separator convention, and the counts are kept for
 * each. Memory stays bounded: counts and the first few examples, never the values themselves.
 */
import {
  type DateOrder,
  type InferredType,
  isEmailAddress,
  type NumberSeparators,
  readAmount,
  splitMoney,
} from "@ferry/core";

/** The file and line of a value. */
export interface CellOrigin {
  readonly file: string;
  readonly line: number;
}

/** A value that does not read as its column's type. */
export interface InvalidValue {
  readonly file: string;
  readonly line: number;
  readonly value: string;
}

/** The values of a column that do not read as its inferred type, counted, with the first few. */
export interface InvalidValues {
  readonly type: "date" | "number" | "email";
  /** The reading applied: the date order, or the group and decimal separators. */
  readonly readAs: string;
  readonly count: number;
  readonly examples: ReadonlyArray<InvalidValue>;
}

const exampleCap = 5;
const valueCap = 200;

/** An example with its position in the column, so that two tallies merge in column order. */
interface Example extends InvalidValue {
  readonly position: number;
}

/** A count of values with the first few examples. */
class InvalidTally {
  count = 0;
  readonly examples: Array<Example> = [];

  add(position: number, origin: CellOrigin, value: string): void {
    this.count += 1;
    if (this.examples.length >= exampleCap) return;
    const stored = value.length > valueCap ? `${value.slice(0, valueCap)}…` : value;
    this.examples.push({ position, file: origin.file, line: origin.line, value: stored });
  }
}

/** Returns the first examples of two tallies of distinct values, in column order. */
const merged = (first: InvalidTally, second: InvalidTally): InvalidValues["examples"] =>
  [...first.examples, ...second.examples]
    .sort((a, b) => a.position - b.position)
    .slice(0, exampleCap)
    .map(({ file, line, value }) => ({ file, line, value }));

/**
 * The separator conventions of the locales that the plan proposer picks: `1,234.56` (en-US,
 * en-GB, en-IE, es-MX), `1.234,56` (pt-BR, de-DE, es-ES, it-IT, nl-NL) and `1 234,56` (fr-FR,
 * pt-PT), where any white space groups the digits.
 */
const conventions: ReadonlyArray<NumberSeparators> = [
  { group: ",", decimal: "." },
  { group: ".", decimal: "," },
  { group: "\u202f", decimal: "," },
];

const describeSeparators = ({ group, decimal }: NumberSeparators): string =>
  `group "${group === "\u202f" ? "space" : group}" and decimal "${decimal}"`;

/**
 * The characters that an amount can contain: digits, separators, signs, brackets, currency codes
 * and the currency symbols of `readMoney`. A value with any other character never reads as one.
 */
const amountCharacters = /^[\d\s.,()$€£¥₹złA-Z-]+$/u;

// Up to 15 digits, so that the number stays finite and exact.
const plainDigits = /^\d{1,15}$/;

/**
 * Tells whether a value may read as an amount. Values typed as dates, e-mail addresses, URLs,
 * booleans or long text never do, and a phone number with a leading `+` fails the character test.
 */
const mayBeAmount = (type: InferredType, value: string): boolean =>
  type === "number" ||
  type === "money" ||
  ((type === "string" || type === "phone") && amountCharacters.test(value));

/** Checks the values of one column as they stream. */
export class ValueChecks {
  /** Values that fail every check: no date in any order, no amount and no e-mail address. */
  readonly #unreadable = new InvalidTally();
  readonly #dayFirst = new InvalidTally();
  readonly #monthFirst = new InvalidTally();
  readonly #yearFirst = new InvalidTally();
  readonly #everyOrder = new InvalidTally();
  readonly #amounts = conventions.map(() => new InvalidTally());
  readonly #emails = new InvalidTally();
  #position = 0;

  /**
   * Takes one non-empty value into account. `type` is the value's own inferred type, and
   * `rejectingOrders` the orders under which it is no date, from the column's date inference.
   * A value that fails every check, as most values of a text column do, is counted once in
   * `#unreadable` and in no other tally.
   */
  add(
    value: string,
    type: InferredType,
    rejectingOrders: ReadonlySet<DateOrder>,
    origin: CellOrigin,
  ): void {
    const position = this.#position;
    this.#position += 1;
    const digitsOnly = plainDigits.test(value);
    const amountPossible = digitsOnly || mayBeAmount(type, value);
    if (rejectingOrders.size === 3 && !amountPossible && type !== "email") {
      this.#unreadable.add(position, origin, value);
      return;
    }

    this.#addDate(position, value, rejectingOrders, origin);
    if (!amountPossible) {
      for (const tally of this.#amounts) tally.add(position, origin, value);
    } else if (!digitsOnly) {
      // Plain digits read as the same amount under every convention, so only others are read.
      const parts = splitMoney(value, "XXX");
      for (let index = 0; index < conventions.length; index += 1) {
        const separators = conventions[index];
        if (separators !== undefined && readAmount(parts.amount, separators) === undefined) {
          this.#amounts[index]?.add(position, origin, value);
        }
      }
    }
    if (type !== "email" || !isEmailAddress(value)) this.#emails.add(position, origin, value);
  }

  /**
   * Returns the values that do not read as the column's inferred type, or undefined when all do
   * or the type is not checked. `dateOrder` is the column's order; with `ambiguous`, only the
   * values that are no date in any order count.
   */
  invalid(
    inferredType: InferredType,
    dateOrder: DateOrder | "ambiguous" | undefined,
  ): InvalidValues | undefined {
    if (inferredType === "date" || inferredType === "datetime") {
      const order = dateOrder ?? "ambiguous";
      if (order === "ambiguous") return this.#result("date", "in any order", this.#everyOrder);
      return this.#result("date", order, this.#byOrder(order));
    }
    if (inferredType === "number" || inferredType === "money") return this.#amountResult();
    if (inferredType === "email") return this.#result("email", "e-mail address", this.#emails);
    return undefined;
  }

  #addDate(
    position: number,
    value: string,
    rejectingOrders: ReadonlySet<DateOrder>,
    origin: CellOrigin,
  ): void {
    const size = rejectingOrders.size;
    if (size === 0) return;
    if (size === 3) {
      this.#everyOrder.add(position, origin, value);
      this.#dayFirst.add(position, origin, value);
      this.#monthFirst.add(position, origin, value);
      this.#yearFirst.add(position, origin, value);
      return;
    }
    if (rejectingOrders.has("day-first")) this.#dayFirst.add(position, origin, value);
    if (rejectingOrders.has("month-first")) this.#monthFirst.add(position, origin, value);
    if (rejectingOrders.has("year-first")) this.#yearFirst.add(position, origin, value);
  }

  #byOrder(order: DateOrder): InvalidTally {
    if (order === "day-first") return this.#dayFirst;
    return order === "month-first" ? this.#monthFirst : this.#yearFirst;
  }

  /** Reads the column with the convention that rejects the fewest values, the first on a tie. */
  #amountResult(): InvalidValues | undefined {
    let best = 0;
    for (let index = 1; index < conventions.length; index += 1) {
      const count = this.#amounts[index]?.count ?? 0;
      if (count < (this.#amounts[best]?.count ?? 0)) best = index;
    }
    const separators = conventions[best] ?? { group: ",", decimal: "." };
    return this.#result("number", describeSeparators(separators), this.#amounts[best]);
  }

  #result(
    type: InvalidValues["type"],
    readAs: string,
    tally: InvalidTally | undefined,
  ): InvalidValues | undefined {
    const count = (tally?.count ?? 0) + this.#unreadable.count;
    if (tally === undefined || count === 0) return undefined;
    return { type, readAs, count, examples: merged(tally, this.#unreadable) };
  }
}
