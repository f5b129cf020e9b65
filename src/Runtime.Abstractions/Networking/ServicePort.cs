namespace Runtime.Abstractions.Networking;

/// <summary>A port of a gateway server or a ServiceEntry.</summary>
public sealed record ServicePort
{
    /// <summary>Port number, 1 to 65535.</summary>
    public int? Number { get; init; }

    /// <summary>HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP or TLS.</summary>
    public string? Protocol { get; init; }

    /// <summary>Port name; unique.</summary>
    public string? Name { get; init; }

    /// <summary>Port on the endpoints traffic goes to.</summary>
    public int? TargetPort { get; init; }
}
