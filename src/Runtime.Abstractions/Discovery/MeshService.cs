namespace Runtime.Abstractions.Discovery;

/// <summary>A service a proxy can call, with the endpoints serving it.</summary>
public sealed record MeshService
{
    /// <summary>Short name, e.g. <c>reviews</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Namespace of the service.</summary>
    public required string Namespace { get; init; }

    /// <summary>Fully qualified host: <c>reviews.default.svc.cluster.local</c>, or a ServiceEntry host.</summary>
    public required string Host { get; init; }

    /// <summary>Every known endpoint, healthy or not.</summary>
    public IReadOnlyList<MeshEndpoint> Endpoints { get; init; } = [];

    /// <summary>Ports the service declares (ServiceEntry); empty for services known from registered sidecars.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];
}
