// Dates in Danish time. Virkning dates are calendar dates in Europe/Copenhagen ("dags dato").

const danishDate = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Copenhagen",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
});

/** The calendar date (YYYY-MM-DD) in Europe/Copenhagen at the given instant. */
export function danishDateOf(instant: Date): string {
    return danishDate.format(instant);
}

/** A clock that can be moved forward for tests (delivery delay, "a day later"). */
export class Clock {
    private offsetMs = 0;

    now(): Date {
        return new Date(Date.now() + this.offsetMs);
    }

    today(): string {
        return danishDateOf(this.now());
    }

    get offsetSeconds(): number {
        return this.offsetMs / 1000;
    }

    setOffsetSeconds(seconds: number): void {
        this.offsetMs = seconds * 1000;
    }
}

/** The calendar date `days` after `date` (both YYYY-MM-DD); negative goes back. */
export function addDays(date: string, days: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
