// Whom a client's credentials act for (the municipality), as the guard before every write needs it:
// asked once per client with Laes myndighed, or seen in what a search found, since the contract gives
// a caller only its own municipality's subscriptions. A failed look-up is not remembered.
import { kommuneNavn } from "./kommuner";
import type { Myndighed } from "./wire";

/**
 * The municipality one client's credentials act for, known once.
 *
 * @example
 * const actingFor = new ActingFor();
 * actingFor.seen(await search()); // learnt from the search, when it found any
 * await actingFor.get(() => laesMyndighed()); // asks only when not known yet
 */
export class ActingFor {
    private answer?: Promise<Myndighed>;

    /** The municipality, from what is known or else from `ask` (asked at most once at a time). */
    get(ask: () => Promise<Myndighed>): Promise<Myndighed> {
        if (!this.answer) {
            const asked = ask();
            asked.catch(() => {
                if (this.answer === asked) this.answer = undefined;
            });
            this.answer = asked;
        }
        return this.answer;
    }

    /** Learns it from subscriptions a search or read returned, when they all name one municipality. */
    seen(found: readonly { kommunekode: string }[]): void {
        const kommuner = new Set(found.map((a) => a.kommunekode));
        if (this.answer || kommuner.size !== 1) return;
        const [kommunekode] = kommuner;
        this.answer = Promise.resolve({ kommunekode, navn: kommuneNavn(kommunekode) ?? kommunekode });
    }
}
