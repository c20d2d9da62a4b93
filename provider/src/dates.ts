// Calendar dates in Danish time (Europe/Copenhagen): "dags dato" is today there, not in UTC.
import { DATE_PATTERN } from "./domain";

const danishDate = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Copenhagen",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
});

const danishMoment = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Copenhagen",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
});

/**
 * A moment as a Danish reader reads it: its date and time of day in Europe/Copenhagen (summer time
 * included), `YYYY-MM-DD HH:MM`. Text that is no time is returned as it is.
 *
 * @example
 * danishDateTime("2023-05-16T08:10:00Z"); // "2023-05-16 10:10"
 * danishDateTime("2023-12-31T23:30:00Z"); // "2024-01-01 00:30"
 */
export function danishDateTime(at: string | Date): string {
    const moment = typeof at === "string" ? new Date(at) : at;
    if (Number.isNaN(moment.getTime())) return String(at);
    const part = Object.fromEntries(danishMoment.formatToParts(moment).map((p) => [p.type, p.value]));
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/**
 * Today's date (YYYY-MM-DD) in Europe/Copenhagen.
 *
 * `FK_KLASSIFIKATION_TODAY=YYYY-MM-DD` overrides it, for rehearsals and tests that must see another day.
 */
export function danishToday(now: Date = new Date()): string {
    const override = process.env.FK_KLASSIFIKATION_TODAY;
    if (override && isCalendarDate(override)) return override;
    return danishDate.format(now);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
    if (!DATE_PATTERN.test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The calendar date `days` after `date` (both YYYY-MM-DD); negative goes back.
 *
 * @example
 * addDays("2023-08-15", 7); // "2023-08-22"
 */
export function addDays(date: string, days: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
