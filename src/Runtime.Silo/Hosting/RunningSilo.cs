using Runtime.Silo.Store;

namespace Runtime.Silo.Hosting;

/// <summary>A started silo: its bound addresses, its services, and the handle to stop it.</summary>
public sealed class RunningSilo : IAsyncDisposable
{
    private readonly SiloApplication _application;

    internal RunningSilo(SiloApplication application, Uri grpcAddress, Uri httpAddress, string portsFile, IConfigStore store)
    {
        _application = application;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
        PortsFile = portsFile;
        Store = store;
    }

    /// <summary>The bound gRPC (h2c, HTTP/2 only) address, for example <c>http://127.0.0.1:15010</c>.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The bound HTTP address serving <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.</summary>
    public Uri HttpAddress { get; }

    /// <summary>Path of <c>silo.ports.json</c>; removed when the silo stops.</summary>
    public string PortsFile { get; }

    /// <summary>The open config store.</summary>
    public IConfigStore Store { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _application.Services;

    /// <summary>Completes when shutdown is requested (SIGTERM, Ctrl+C) or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _application.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting, completes watches, stops listeners, closes the store, removes the ports file.</summary>
    /// <param name="cancellationToken">Cuts the graceful part of shutdown short.</param>
    public Task StopAsync(CancellationToken cancellationToken) => _application.StopAsync(cancellationToken);

    /// <summary>Stops the silo (if still running) and releases it.</summary>
    public ValueTask DisposeAsync() => _application.DisposeAsync();
}
