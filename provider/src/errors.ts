// Every user-facing error of the provider is made by this one factory, `errors`, so messages stay
// consistent and testable. Each says what is wrong, the value found, what is allowed, and how to fix
// it. None ever contains a credential: values from connection settings are named, never shown. Values
// are shown through showValue, so a huge input is cut to a readable length. The factory's two halves:
// reaching the services (errors-access.ts) and the subscription itself (errors-subscription.ts).
import { accessErrors } from "./errors-access";
import { subscriptionErrors } from "./errors-subscription";

export { FK_ERROR_CODES, type FkErrorCode, TROUBLESHOOTING, troubleshootingLink } from "./error-codes";
export { CLASSIFICATION_API, FkError, type Service, STS_SERVICE } from "./fk-error";

/**
 * The one factory of the provider's errors.
 *
 * @example
 * throw errors.invalidConnection("fk:timeoutMs", "must be a whole number from 100 to 600000", "soon");
 */
export const errors = { ...accessErrors, ...subscriptionErrors };
