using System.Net.Security;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// TLS to originate over upstream connections, named by the value of its settings. Pooled clients keep one
/// connection pool per <see cref="Partition"/> (see <see cref="TlsPartitionedHandler"/>): requests whose settings are
/// equal share connections, also across config pushes, and no request ever reuses a connection opened under other
/// settings or in plaintext.
/// </summary>
internal sealed class UpstreamTls
{
    private readonly Func<Version, SslClientAuthenticationOptions> _options;

    /// <summary>Creates the TLS for one set of settings.</summary>
    /// <param name="partition">
    /// Equal exactly when the settings are: every value that changes what the handshake sends or accepts (mode,
    /// SNI, trust roots, allowed peer names, client certificate) must be part of it.
    /// </param>
    /// <param name="options">The client options for a new connection, given the HTTP version opening it (for ALPN).</param>
    public UpstreamTls(string partition, Func<Version, SslClientAuthenticationOptions> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(partition);
        ArgumentNullException.ThrowIfNull(options);
        Partition = partition;
        _options = options;
    }

    /// <summary>The connection-pool partition: the settings as one comparable value.</summary>
    public string Partition { get; }

    /// <summary>The last partition a pooled client resolved for this object (saves the lookup on the hot path).</summary>
    internal TlsPartitionedHandler.Resolved? LastResolved { get; set; }

    /// <summary>The options to authenticate a new connection opened by a request of <paramref name="version"/>.</summary>
    public SslClientAuthenticationOptions OptionsFor(Version version) => _options(version);
}
