namespace Runtime.Abstractions.Networking;

/// <summary>Connection and request limits.</summary>
public sealed record ConnectionPoolSettings
{
    /// <summary>TCP-level limits.</summary>
    public TcpConnectionPool? Tcp { get; init; }

    /// <summary>HTTP-level limits.</summary>
    public HttpConnectionPool? Http { get; init; }
}
