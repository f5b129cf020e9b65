namespace Runtime.Abstractions.Networking;

/// <summary>One listener of a gateway.</summary>
public sealed record Server
{
    /// <summary>Port the listener binds.</summary>
    public ServicePort? Port { get; init; }

    /// <summary>Address or unix socket to bind.</summary>
    public string? Bind { get; init; }

    /// <summary>Hosts exposed (<c>namespace/host</c> allowed).</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>TLS termination settings.</summary>
    public ServerTlsSettings? Tls { get; init; }

    /// <summary>Loopback endpoint traffic is forwarded to.</summary>
    public string? DefaultEndpoint { get; init; }

    /// <summary>Listener name.</summary>
    public string? Name { get; init; }
}
