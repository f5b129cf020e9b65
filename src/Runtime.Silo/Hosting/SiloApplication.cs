using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Telemetry;
using Runtime.Grpc.Server;
using Runtime.Silo.Api;
using Runtime.Silo.Ca;
using Runtime.Silo.Dashboard;
using Runtime.Silo.Discovery;
using Runtime.Silo.Metrics;
using Runtime.Silo.Store;
using Runtime.Silo.Traffic;

namespace Runtime.Silo.Hosting;

/// <summary>
/// The control-plane host, started in explicit stages: options (validated by the caller) → store
/// open/migrate → endpoints, with the management API mapped in <see cref="MapManagementApi"/> → listeners
/// (distribution starts with them, following the opened store's change feed)
/// → ready. Shutdown runs the other way: not ready, watches completed, listeners stopped, store closed.
/// </summary>
internal sealed partial class SiloApplication : IAsyncDisposable
{
    /// <summary>Largest management API request: room for a manifest at the reader's 16M-character limit.</summary>
    internal const int ManagementApiMaxMessageBytes = 64 * 1024 * 1024;

    private const string ListenerItemKey = "runtime.silo.listener";

    private readonly SiloOptions _options;
    private readonly WebApplication _app;
    private readonly ILogger<SiloApplication> _logger;
    private ListenOptions? _grpcListen;
    private ListenOptions? _httpListen;
    private string? _portsFile;
    private int _stopped;

    public SiloApplication(SiloOptions options, Action<IServiceCollection>? configureServices)
    {
        _options = options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.LogLevel > LogLevel.Warning ? options.LogLevel : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", options.LogLevel > LogLevel.Warning ? options.LogLevel : LogLevel.Warning);

        var address = SiloOptionsValidator.TryParseAddress(options.ListenAddress)
            ?? throw new ArgumentException($"--listen-address '{options.ListenAddress}' is not an IP address", nameof(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Sidecars hold config streams open for hours: pings find a peer that vanished without a reset, so its
            // stream ends and its registration expires instead of staying HEALTHY forever.
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Listen(address, options.GrpcPort, listen =>
            {
                // gRPC clients fail against cleartext Http1AndHttp2: h2c needs an HTTP/2-only endpoint.
                listen.Protocols = HttpProtocols.Http2;
                TagConnections(listen, ListenerKind.Grpc);
                _grpcListen = listen;
            });
            kestrel.Listen(address, options.HttpPort, listen =>
            {
                // Cleartext cannot negotiate h2 (no ALPN), so Http1AndHttp2 would serve HTTP/1.1 anyway, with a warning.
                listen.Protocols = HttpProtocols.Http1;
                TagConnections(listen, ListenerKind.Http);
                _httpListen = listen;
            });
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<SiloMetrics>();
        builder.Services.AddSingleton<MetricsCollector>();
        builder.Services.AddSingleton<CaMetrics>();
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConfigStoreOptions>(store => store.DatabasePath = Path.Combine(options.DataDir, "mesh.db"));
        builder.Services.AddSingleton<SqliteConfigStore>();
        builder.Services.AddSingleton<IConfigStore>(sp => sp.GetRequiredService<SqliteConfigStore>());
        builder.Services.AddHostedService<ChangeLogCompactionService>();
        builder.Services.AddSingleton<CaStartup>();
        builder.Services.AddSingleton<ITrustBundleSource>(sp => sp.GetRequiredService<CaStartup>());
        builder.Services.AddHostedService<CaRefreshService>();
        builder.Services.AddDiscovery();
        builder.Services.AddServiceGraph(); // service graph from sidecars' traffic reports (issue 6)
        builder.Services.Configure<DiscoveryOptions>(discovery =>
        {
            discovery.HeartbeatInterval = options.HeartbeatInterval;
            discovery.Ttl = options.EndpointTtl;
            // Expire within a quarter TTL of the deadline, and at least once a second.
            discovery.ExpiryScanInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, Math.Max(1, options.EndpointTtl.Ticks / 4)));
        });
        // A bulk apply of thousands of resources is one message; gRPC's 4 MiB default would refuse it.
        builder.Services.AddGrpcTransport(grpc => grpc.MaxReceiveMessageSize = ManagementApiMaxMessageBytes);
        builder.Services.AddDashboard(); // dashboard (issue 6)
        configureServices?.Invoke(builder.Services);

        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILogger<SiloApplication>>();
    }

    public IServiceProvider Services => _app.Services;

    public async Task<RunningSilo> StartAsync(CancellationToken cancellationToken)
    {
        // The collector must listen before anything is measured (counters and histograms are not replayed, and
        // instruments record their zero series when they are made): resolve it before anything that measures.
        _ = _app.Services.GetRequiredService<MetricsCollector>();
        var readiness = _app.Services.GetRequiredService<SiloReadiness>();
        var store = _app.Services.GetRequiredService<IConfigStore>();
        var distributor = _app.Services.GetRequiredService<SnapshotDistributor>();

        // Stage: store.
        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        readiness.StoreOpened();

        // Stage: CA (its material lives in the store).
        _app.Services.GetRequiredService<CaStartup>().Load();

        // Stage: endpoints. The port gate runs after routing so it can read each endpoint's listener.
        _app.UseRouting();
        _app.Use(RestrictToListener);
        MapOperationalEndpoints(_app.MapGroup("").WithMetadata(new ListenerAffinity(ListenerKind.Http)));
        MapManagementApi(_app.MapGroup("").WithMetadata(new ListenerAffinity(ListenerKind.Grpc)));
        readiness.ApiMapped();

        // Stage: listeners.
        _app.Lifetime.ApplicationStopping.Register(() =>
        {
            readiness.Stopping();
            store.CompleteWatches();
            // Subscribe streams never end by themselves; end them so the listeners can drain.
            distributor.CompleteSubscriptions();
        });
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var grpcPort = _grpcListen!.IPEndPoint!.Port;
        var httpPort = _httpListen!.IPEndPoint!.Port;
        var host = _grpcListen.IPEndPoint.Address;
        var grpcAddress = new Uri($"http://{FormatHost(host)}:{grpcPort}");
        var httpAddress = new Uri($"http://{FormatHost(host)}:{httpPort}");
        _portsFile = PortsFile.Write(_options.DataDir, grpcPort, httpPort);
        _app.Services.GetRequiredService<DashboardAddress>().Set(httpAddress); // dashboard (issue 6): for ServerInfo.GetVersion
        LogGrpcListening(grpcAddress);
        LogHttpListening(httpAddress);
        LogReady(store.Name, _portsFile);
        return new RunningSilo(this, grpcAddress, httpAddress, _portsFile, store);
    }

    /// <summary>
    /// Maps the gRPC management API (ConfigService, ServerInfoService, DiscoveryService, CertificateService and server reflection) on
    /// <paramref name="grpcEndpoints"/>, whose routes answer only on the h2c gRPC port.
    /// </summary>
    /// <param name="grpcEndpoints">Route builder restricted to the gRPC listener.</param>
    private static void MapManagementApi(IEndpointRouteBuilder grpcEndpoints)
    {
        var services = grpcEndpoints.ServiceProvider;
        grpcEndpoints.MapGrpcService(ActivatorUtilities.CreateInstance<ConfigApi>(services).Build());
        grpcEndpoints.MapGrpcService(ActivatorUtilities.CreateInstance<ServerInfoApi>(services).Build());
        grpcEndpoints.MapGrpcService(ActivatorUtilities.CreateInstance<DiscoveryApi>(services).Build());
        grpcEndpoints.MapGrpcService(ActivatorUtilities.CreateInstance<CertificateApi>(services).Build());
        grpcEndpoints.MapGrpcReflection();
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            // Fires ApplicationStopping (not ready, watches completed), then stops the listeners.
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _app.Services.GetRequiredService<IConfigStore>().DisposeAsync().ConfigureAwait(false);
            if (_portsFile is not null)
            {
                PortsFile.Delete(_portsFile);
            }

            LogStopped();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void MapOperationalEndpoints(IEndpointRouteBuilder http)
    {
        http.MapGet("/healthz", () => Results.Text("ok\n"));
        http.MapGet("/readyz", (SiloReadiness readiness) =>
            readiness.NotReadyReason is { } reason
                ? Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready\n"));
        http.MapGet("/metrics", (MetricsCollector collector) =>
            Results.Text(collector.Render(), PrometheusTextWriter.ContentType));
        http.MapServiceGraph(); // GET /api/dashboard/graph (issue 6)
        http.MapDashboard(); // dashboard (issue 6)
    }

    private static void TagConnections(ListenOptions listen, ListenerKind kind) =>
        listen.Use(next => connection =>
        {
            connection.Items[ListenerItemKey] = kind;
            return next(connection);
        });

    private static Task RestrictToListener(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ListenerAffinity>() is { } affinity)
        {
            var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
            if (items is null || !items.TryGetValue(ListenerItemKey, out var kind) || (ListenerKind)kind! != affinity.Listener)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "gRPC (h2c) listening on {Address}")]
    private partial void LogGrpcListening(Uri address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "HTTP (health, metrics) listening on {Address}")]
    private partial void LogHttpListening(Uri address);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Silo ready: store {Store}, ports written to {PortsFile}")]
    private partial void LogReady(string store, string portsFile);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Silo stopped")]
    private partial void LogStopped();
}
