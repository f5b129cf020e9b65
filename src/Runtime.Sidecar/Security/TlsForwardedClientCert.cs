namespace Runtime.Sidecar.Security;

/// <summary>Envoy's <c>x-forwarded-client-cert</c> header, which tells the app who called over mTLS.</summary>
internal static class TlsForwardedClientCert
{
    /// <summary>The header's name.</summary>
    public const string HeaderName = "x-forwarded-client-cert";
}
