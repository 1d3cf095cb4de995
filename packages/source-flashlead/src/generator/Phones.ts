/**
 * Fictional phone numbers for generated exports. Every number is in a range that a numbering
 * authority keeps out of service for drama and fiction, so no generated phone reaches a
 * subscriber. Each is written with its country prefix, so libphonenumber-js 1.13 accepts it as
 * valid under any default country.
 *
 * - Ofcom's drama ranges, 1,000 numbers each: `+44 20 7946 0000` to `0999` and the others in
 *   `ukLeadBlocks` and `ukContactBlocks`. Ofcom's 0115 496, 01632 960 and 07700 900 ranges are
 *   left out because libphonenumber-js rejects them as invalid (the messy Excel wrappers use
 *   07700 900 for that reason), and the premium-rate 0909 879 range is left out too.
 * - NANPA's `555-0100` to `555-0199` under real US area codes, 100 numbers each.
 *
 * Leads and contacts draw from separate sequences, so no lead shares a phone with a contact.
 * Number `n` of a sequence is the same in every export, whatever its size or seed.
 */

/** A sequence of fictional phones: one for leads, one for contacts. */
export type PhoneSequence = "lead" | "contact";

/** Ofcom drama blocks of the lead sequence, each a prefix that three more digits complete. */
const ukLeadBlocks = [
  "+44 20 7946 0", // London
  "+44 121 496 0", // Birmingham
  "+44 161 496 0", // Manchester
  "+44 141 496 0", // Glasgow
  "+44 151 496 0", // Liverpool
  "+44 131 496 0", // Edinburgh
  "+44 117 496 0", // Bristol
  "+44 114 496 0", // Sheffield
  "+44 29 2018 0", // Cardiff
  "+44 28 9649 6", // Northern Ireland
];

/** Ofcom drama blocks of the contact sequence. */
const ukContactBlocks = [
  "+44 113 496 0", // Leeds
  "+44 116 496 0", // Leicester
  "+44 118 496 0", // Reading
  "+44 191 498 0", // Tyneside, Durham and Sunderland
  "+44 306 999 0", // UK-wide 03
  "+44 808 157 0", // freephone
];

/**
 * US area codes, each with its fictional numbers 555-0100 to 555-0199. Two in three go to
 * leads and every third to contacts, in this order.
 */
const usAreaCodes = (
  "201 202 203 205 206 207 208 212 213 214 215 216 217 218 301 302 303 304 305 307 308 309 " +
  "312 313 314 315 316 317 318 319 401 402 404 405 406 412 414 415 419 501 502 503 504 505 " +
  "507 509 512 513 515 517 601 602 603 605 606 608 612 614 615 616 617 618 701 702 703 704 " +
  "712 713 715 716 717 801 802 803 812 814 815 816 901 913 914 915 916"
).split(" ");

const ukBlockSize = 1000;
const usBlockSize = 100;

const sequences: { readonly [S in PhoneSequence]: { uk: Array<string>; us: Array<string> } } = {
  lead: {
    uk: ukLeadBlocks,
    us: usAreaCodes.filter((_, index) => index % 3 !== 2).map((code) => `+1 ${code} 555 01`),
  },
  contact: {
    uk: ukContactBlocks,
    us: usAreaCodes.filter((_, index) => index % 3 === 2).map((code) => `+1 ${code} 555 01`),
  },
};

/**
 * Number of phones in each sequence, numbered from 1. Lead 1 gets `+44 20 7946 0001`, as in the
 * bundled sample export, so the first number of the first block is never used.
 */
export const fictionalPhoneCount: { readonly [S in PhoneSequence]: number } = {
  lead: sequences.lead.uk.length * ukBlockSize + sequences.lead.us.length * usBlockSize - 1,
  contact:
    sequences.contact.uk.length * ukBlockSize + sequences.contact.us.length * usBlockSize - 1,
};

/**
 * Returns number `n` of a sequence, or undefined when `n` is past `fictionalPhoneCount`. The
 * sequence does not start over, because the person dedupe queues the second of two people with
 * one phone as a duplicate of the first.
 *
 * @example
 * ```ts
 * fictionalPhone("lead", 1); // "+44 20 7946 0001"
 * fictionalPhone("contact", 6000); // "+1 203 555 0100"
 * ```
 */
export const fictionalPhone = (sequence: PhoneSequence, n: number): string | undefined => {
  if (!Number.isInteger(n) || n < 1 || n > fictionalPhoneCount[sequence]) return undefined;
  const { uk, us } = sequences[sequence];
  if (n < uk.length * ukBlockSize) {
    const block = uk[Math.floor(n / ukBlockSize)];
    return `${block}${String(n % ukBlockSize).padStart(3, "0")}`;
  }
  const rest = n - uk.length * ukBlockSize;
  const block = us[Math.floor(rest / usBlockSize)];
  return `${block}${String(rest % usBlockSize).padStart(2, "0")}`;
};
