// The HTTP client one service is reached with: mutual TLS with the system certificate (its dates checked
// first), the CA bundle, the egress proxy the environment names, no redirects, every status returned to
// the caller, and the provider's User-Agent.
import axios, { AxiosInstance } from "axios";
import type { ConnectionSettings } from "./connection";
import { PROVIDER_VERSION } from "./version";
import { agentFor, EgressProxy } from "./proxy";
import { checkCertificateDates } from "./tls";
import type { Target } from "./transport";

const USER_AGENT = `fk-iac-klassifikation/${PROVIDER_VERSION} (pulumi dynamic provider; node ${process.version})`;

/** The HTTP client for the target, and the proxy it goes through (if any). */
export function connect(settings: ConnectionSettings, target: Target): { http: AxiosInstance; proxy?: EgressProxy } {
    if (settings.clientCertificate) checkCertificateDates(settings.clientCertificate, target.endpoint);
    const { agent, proxy } = agentFor(target.endpoint, {
        ...(settings.caBundle ? { ca: settings.caBundle } : {}),
        ...(settings.clientCertificate ? { cert: settings.clientCertificate, key: settings.clientKey } : {}),
        ...(settings.clientKeyPassphrase ? { passphrase: settings.clientKeyPassphrase } : {}),
        ...(settings.pfx ? { pfx: settings.pfx, passphrase: settings.pfxPassphrase } : {}),
        rejectUnauthorized: true,
    });
    const http = axios.create({
        baseURL: `${target.endpoint}${target.basePath}`,
        timeout: settings.timeoutMs,
        httpsAgent: agent,
        ...(proxy ? { httpAgent: agent } : {}),
        // The agent tunnels through the proxy the environment names (proxy.ts); axios's own proxy
        // support would send the request itself to the proxy, breaking end-to-end TLS.
        proxy: false,
        maxRedirects: 0,
        validateStatus: () => true,
        transitional: { clarifyTimeoutError: true },
        headers: {
            "User-Agent": USER_AGENT,
            Accept: "application/json, application/problem+json",
            ...(settings.token ? { Authorization: `Bearer ${settings.token}` } : {}),
        },
    });
    return { http, ...(proxy ? { proxy } : {}) };
}

/** The proxy URL's user name and password, as redaction must hide them (also percent-decoded). */
export function proxySecrets(url: string): string[] {
    const { username, password } = new URL(url);
    return [password, decodeURIComponent(password), username.length >= 8 ? username : ""].filter((s) => s.length > 0);
}
