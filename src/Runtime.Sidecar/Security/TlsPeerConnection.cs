using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Runtime.Sidecar.Security;

/// <summary>
/// An inbound connection whose peer passed mTLS verification: set as a connection feature at the handshake, so
/// every request on it sees the <see cref="PeerIdentity"/> and the TLS connection feature (the peer's certificate).
/// </summary>
internal sealed class TlsPeerConnection : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    public TlsPeerConnection(PeerIdentity peer, X509Certificate2 certificate, string localSpiffeId, SslApplicationProtocol protocol, string? serverName = null)
    {
        ApplicationProtocol = protocol.Protocol;
        ServerName = string.IsNullOrEmpty(serverName) ? null : serverName;
        Peer = peer;
        ClientCertificate = certificate;
        // Envoy's XFCC: By (this workload), Hash (SHA-256 of the peer certificate's DER, hex), URI (peer SPIFFE id).
        ForwardedClientCert = $"By={localSpiffeId};Hash={Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))};URI={peer.SpiffeId}";
    }

    /// <summary>The verified peer.</summary>
    public PeerIdentity Peer { get; }

    /// <summary>The server name (SNI) the peer sent in its ClientHello, as sent; null when it sent none.</summary>
    public string? ServerName { get; }

    /// <summary>The <c>x-forwarded-client-cert</c> value the app receives for requests on this connection.</summary>
    public string ForwardedClientCert { get; }

    /// <summary>The ALPN protocol negotiated (Kestrel's HTTP/2 pipeline requires h2 over TLS).</summary>
    public ReadOnlyMemory<byte> ApplicationProtocol { get; }

    /// <inheritdoc/>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <inheritdoc/>
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    /// <summary>The verified connection a request arrived on, or null for plaintext.</summary>
    public static TlsPeerConnection? Of(HttpContext context) => context?.Features.Get<TlsPeerConnection>();
}
