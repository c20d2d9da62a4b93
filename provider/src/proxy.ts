// The egress proxy most municipal networks require, from the standard variables as curl and most tools
// read them: HTTPS_PROXY for https:// endpoints (HTTP_PROXY for http://, ALL_PROXY for both), NO_PROXY
// for the hosts reached directly, in either case (proxy-from-env). The request goes through the proxy
// in a CONNECT tunnel (https-proxy-agent): TLS runs end to end between the provider and the endpoint,
// so the endpoint's certificate is checked and the client certificate presented as without a proxy, and
// the proxy sees neither. Proxy credentials in the URL (http://user:password@proxy:3128) are sent as
// Proxy-Authorization and never shown: every message names the proxy through maskUrl.
import { createHash } from "node:crypto";
import type * as http from "node:http";
import * as https from "node:https";
import type * as net from "node:net";
import type * as tls from "node:tls";
import { HttpsProxyAgent } from "https-proxy-agent";
import { getProxyForUrl } from "proxy-from-env";
import { maskUrl } from "./endpoint";

/** The proxy an endpoint is reached through. */
export interface EgressProxy {
    /** The proxy's URL as configured (it may hold credentials: never shown). */
    url: string;
    /** The proxy's URL as messages show it (credentials masked). */
    shown: string;
    /** The variable it came from, as messages name it, e.g. "HTTPS_PROXY". */
    source: string;
}

/** The variables proxy-from-env reads for a URL of this protocol, in its order. */
function variablesFor(protocol: string): string[] {
    const scheme = protocol.replace(/:$/, "");
    return [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY"];
}

/**
 * The proxy for an endpoint, or undefined when it is reached directly (no proxy variable, or NO_PROXY
 * names its host).
 *
 * @example
 * process.env.HTTPS_PROXY = "http://proxy.kommune.dk:3128";
 * proxyFor("https://klassifikation.example.dk")?.shown; // "http://proxy.kommune.dk:3128"
 */
export function proxyFor(endpoint: string, env: NodeJS.ProcessEnv = process.env): EgressProxy | undefined {
    const url = getProxyForUrl(endpoint);
    if (!url) return undefined;
    const protocol = new URL(endpoint).protocol;
    const source = variablesFor(protocol).find((v) => env[v] !== undefined && env[v] !== "") ?? "ALL_PROXY";
    return { url, shown: maskUrl(url), source };
}

/** CONNECT through the proxy, then TLS to the endpoint with the connection's own TLS settings. */
class TunnellingAgent extends HttpsProxyAgent<string> {
    constructor(
        proxy: string,
        private readonly tlsOptions: tls.ConnectionOptions,
    ) {
        super(proxy, { keepAlive: true });
    }

    // https-proxy-agent upgrades the tunnel with the request's options only: add the connection's
    // CA, client certificate and key, so they hold through the proxy as they do without one.
    override connect(
        req: http.ClientRequest,
        opts: Parameters<HttpsProxyAgent<string>["connect"]>[1],
    ): Promise<net.Socket> {
        return super.connect(req, { ...opts, ...this.tlsOptions });
    }
}

/**
 * Agents of this process, by proxy and TLS settings (their SHA-256: no key material is kept as a key),
 * so every client with the same certificate, such as a vendor's for many municipalities, and the STS
 * beside the API, reuses the same kept-alive TLS connections instead of a handshake each.
 */
const agents = new Map<string, http.Agent>();

function agentKey(proxy: EgressProxy | undefined, tlsOptions: tls.ConnectionOptions): string {
    const hash = createHash("sha256").update(proxy?.url ?? "direct");
    for (const [name, value] of Object.entries(tlsOptions).sort(([a], [b]) => a.localeCompare(b))) {
        hash.update(`\0${name}\0`);
        hash.update(Buffer.isBuffer(value) ? value : String(value));
    }
    return hash.digest("hex");
}

/**
 * The agent that reaches the endpoint: directly, or through the proxy the environment names for it.
 * Clients with the same proxy and TLS settings share one.
 *
 * @example
 * const { agent, proxy } = agentFor("https://klassifikation.example.dk", { ca, cert, key });
 */
export function agentFor(
    endpoint: string,
    tlsOptions: tls.ConnectionOptions,
): { agent: http.Agent; proxy?: EgressProxy } {
    const proxy = proxyFor(endpoint);
    const key = agentKey(proxy, tlsOptions);
    let agent = agents.get(key);
    if (!agent) {
        agent = proxy
            ? new TunnellingAgent(proxy.url, tlsOptions)
            : new https.Agent({ keepAlive: true, ...tlsOptions });
        agents.set(key, agent);
    }
    return { agent, ...(proxy ? { proxy } : {}) };
}
