namespace Runtime.Sidecar.Hosting;

/// <summary>A started sidecar: where its listeners are, and how to stop it.</summary>
public sealed class RunningSidecar : IAsyncDisposable
{
    private readonly SidecarApplication _application;

    internal RunningSidecar(SidecarApplication application, Uri outbound, Uri inbound, Uri admin)
    {
        _application = application;
        OutboundAddress = outbound;
        InboundAddress = inbound;
        AdminAddress = admin;
    }

    /// <summary>Where the application sends its outbound calls (use as HTTP_PROXY).</summary>
    public Uri OutboundAddress { get; }

    /// <summary>Where other sidecars send mesh traffic for this workload.</summary>
    public Uri InboundAddress { get; }

    /// <summary>The admin endpoints.</summary>
    public Uri AdminAddress { get; }

    /// <summary>Completes when the first configuration is in.</summary>
    public Task Ready => _application.Ready;

    /// <summary>Completes when the sidecar stops (e.g. after <c>POST /quitquitquit</c>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _application.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the sidecar: deregisters, finishes in-flight requests, closes listeners.</summary>
    public ValueTask DisposeAsync() => _application.DisposeAsync();

    /// <summary>The sidecar's services (for tests and diagnostics).</summary>
    internal IServiceProvider Services => _application.Services;
}
