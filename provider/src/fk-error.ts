// The provider's error type: a message that says what is wrong and what to do, with a stable code
// (error-codes.ts). Every error is made by the factory in errors.ts.
import { FkErrorCode, troubleshootingLink } from "./error-codes";

/** A service the provider calls, as messages name it, with the setting that says where it is. */
export interface Service {
    /** e.g. "the classification API" */
    name: string;
    /** e.g. "fk:endpoint" */
    setting: string;
}

/** The classification API (fk:endpoint). */
export const CLASSIFICATION_API: Service = { name: "the classification API", setting: "fk:endpoint" };

/** FK Adgangsstyring's security token service (fk:stsEndpoint). */
export const STS_SERVICE: Service = { name: "FK Adgangsstyring's token service (STS)", setting: "fk:stsEndpoint" };

export class FkError extends Error {
    readonly code: FkErrorCode;
    /** HTTP status behind the error, when there was one. */
    readonly status?: number;
    /** The message without its code. */
    readonly detail: string;
    /** The README's troubleshooting row for this code, e.g. `README.md#fk-timeout`. */
    readonly help: string;

    constructor(code: FkErrorCode, message: string, status?: number) {
        super(`${message} [${code}]`);
        this.name = "FkError";
        this.code = code;
        this.status = status;
        this.detail = message;
        this.help = troubleshootingLink(code);
    }

    /**
     * The same error, naming the operation's x-TransaktionsId, so a municipality can quote it to
     * support. An error that names one already is returned as it is.
     *
     * @example
     * throw err.inTransaction("0b8f…"); // "... (x-TransaktionsId 0b8f…) [FK_REJECTED]"
     */
    inTransaction(transaktionsId: string): FkError {
        if (this.detail.includes("x-TransaktionsId")) return this;
        return new FkError(this.code, `${this.detail} (x-TransaktionsId ${transaktionsId})`, this.status);
    }
}

/** What a failure that wrote nothing says of itself; dropped where something was written before it. */
export const NOTHING_WRITTEN = "Nothing was left half-done";
