namespace Runtime.Silo.Hosting;

/// <summary>Which of the silo's listeners a connection arrived on.</summary>
internal enum ListenerKind
{
    /// <summary>The HTTP/2-only (h2c) gRPC listener.</summary>
    Grpc,

    /// <summary>The HTTP/1.1 listener for health and metrics.</summary>
    Http,
}
