// The one function of proxy-from-env the provider uses (the package ships no types).
declare module "proxy-from-env" {
    /**
     * The proxy URL for a URL as HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY (either case) say,
     * or "" when it is reached directly.
     */
    export function getProxyForUrl(url: string | URL): string;
}
