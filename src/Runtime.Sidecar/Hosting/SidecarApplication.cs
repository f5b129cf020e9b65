using System.Net;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Admin;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Discovery;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Listening;
using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security.Jwt;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tcp;
using Runtime.Sidecar.Traffic;

namespace Runtime.Sidecar.Hosting;

/// <summary>
/// The sidecar process, started in stages: persisted config (so it can serve before the control plane answers)
/// → listeners (outbound, inbound, admin) → control-plane link. Stopping runs the other way: deregister first
/// (callers stop picking this endpoint), then drain in-flight requests, then close.
/// </summary>
internal sealed partial class SidecarApplication : IAsyncDisposable
{
    private const string ListenerItemKey = "runtime.sidecar.listener";

    private readonly SidecarOptions _options;
    private readonly WebApplication _app;
    private readonly ILogger<SidecarApplication> _logger;
    private readonly Dictionary<ListenerKind, ListenOptions> _listeners = [];
    private ControlPlaneClient? _controlPlane;
    private int _stopped;

    public SidecarApplication(SidecarOptions options)
    {
        _options = options;
        var logLevel = new LogLevelSwitch(options.LogLevel);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((category, level) => logLevel.IsEnabled(level) && (level >= LogLevel.Warning || category is null || !category.StartsWith("Microsoft.", StringComparison.Ordinal)));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Proxying paths stream bodies of any size at any pace: Kestrel's 30 MB cap and minimum data rate
            // would cut off large uploads and slow streams.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            // mTLS (issue 5): sidecars originate HTTP/2 inside TLS with an http target (:scheme http) and TLS is
            // terminated ahead of Kestrel's own checks, so :scheme cannot be required to match the transport.
            kestrel.AllowAlternateSchemes = true;
            // Apps and peer sidecars speak HTTP/1.1 or h2c (gRPC) on the same port: sniffed per connection.
            ListenBoth(kestrel, new IPEndPoint(IPAddress.Loopback, options.OutboundPort), ListenerKind.Outbound);
            ListenBoth(kestrel, new IPEndPoint(IPAddress.Parse(options.Address), options.InboundPort), ListenerKind.Inbound);
            kestrel.Listen(IPAddress.Loopback, options.AdminPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                Tag(listen, ListenerKind.Admin);
                _listeners[ListenerKind.Admin] = listen;
            });
        });

        var identity = new SidecarIdentity(options.Service, options.Namespace, options.Labels, options.ServiceAccount);
        builder.Services.AddSingleton<IConnectionListenerFactory, HandoffListenerFactory>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(logLevel);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClusterResilienceRegistry>();
        builder.Services.AddSingleton<IOutlierStatusSource>(sp => sp.GetRequiredService<ClusterResilienceRegistry>());
        builder.Services.AddSingleton<ProxyConfig>();
        builder.Services.AddSingleton(sp => new SnapshotFile(options.DataDir, options.Service, options.Namespace, sp.GetRequiredService<ILogger<SnapshotFile>>()));
        builder.Services.AddHttpForwarder();
        builder.Services.AddWorkloadCertificates(options);
        builder.Services.AddSingleton<OutboundProxy>();
        builder.Services.AddSingleton<Security.Authorization.InboundAuthorization>(); // AuthorizationPolicy (issue 5)
        builder.Services.AddSingleton<JwksCache>(); // JWT (RequestAuthentication)
        builder.Services.AddSingleton<JwtAuthenticator>(); // JWT (RequestAuthentication)
        builder.Services.AddSingleton<InboundProxy>();
        builder.Services.AddTcpTunnels(); // TCP through the mesh (issue 6)
        builder.Services.AddSingleton(_ => AccessLogWriter.Open(options.AccessLogPath, options.AccessLogFormat)); // access logs (issue 6)
        builder.Services.AddSingleton(sp => new AccessLog(sp.GetRequiredService<ProxyConfig>(), sp.GetRequiredService<AccessLogWriter>(), options.AppPort is int app ? $"127.0.0.1:{app}" : null, Tracing.SpanTags.For(identity, options).InboundCluster, sp.GetService<ILogger<AccessLog>>()));
        builder.Services.AddSingleton(sp => new Tracing.SpanExport(options, identity)); // tracing (issue 6)
        builder.Services.AddSingleton<Tracing.SidecarTracer>(); // tracing (issue 6)
        builder.Services.AddSingleton(sp => new MetricsOverrides(sp.GetRequiredService<ProxyConfig>())); // Telemetry metrics overrides (issue 6)
        builder.Services.AddSingleton(sp => new RequestMetrics(identity, sp.GetService<IWorkloadCertificateSource>(), sp.GetRequiredService<AccessLog>(), sp.GetRequiredService<MetricsOverrides>())); // Istio metrics (issue 6)
        // mTLS (issue 5): with a certificate source, inbound TLS termination and outbound TLS origination.
        if (options.CertificateSource is { } certificates)
        {
            builder.Services.AddSingleton(certificates);
        }

        builder.Services.AddSingleton(sp => sp.GetService<IWorkloadCertificateSource>() is { } source ? new TlsPeerVerifier(source, sp.GetRequiredService<TimeProvider>()) : null!);
        builder.Services.AddSingleton(sp => new TlsOrigination(sp.GetService<TlsPeerVerifier>(), sp.GetRequiredService<ILogger<TlsOrigination>>()));
        builder.Services.AddSingleton(sp => sp.GetService<TlsPeerVerifier>() is { } verifier
            ? new TlsInboundTermination(sp.GetRequiredService<ProxyConfig>(), verifier, options, sp.GetRequiredService<ILogger<TlsInboundTermination>>())
            : null!);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton<StopSequence>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StopSequence>());
        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILogger<SidecarApplication>>();
    }

    public Task Ready => _app.Services.GetRequiredService<ProxyConfig>().Ready;

    public IServiceProvider Services => _app.Services;

    public async Task<RunningSidecar> StartAsync(CancellationToken cancellationToken)
    {
        var services = _app.Services;
        var config = services.GetRequiredService<ProxyConfig>();
        var file = services.GetRequiredService<SnapshotFile>();

        // Stage: the last good config, so the sidecar serves even if the control plane is down right now.
        if (file.Load() is { } persisted && config.TryApply(persisted, "persisted") is { } rejected)
        {
            LogPersistedRejected(_logger, rejected);
        }

        // Stage: listeners.
        var outbound = services.GetRequiredService<OutboundProxy>();
        var inbound = services.GetRequiredService<InboundProxy>();
        var metrics = services.GetRequiredService<RequestMetrics>();
        var tracer = services.GetRequiredService<Tracing.SidecarTracer>(); // tracing (issue 6)
        var admin = new AdminEndpoints(config, services.GetRequiredService<ClusterResilienceRegistry>(), services.GetRequiredService<LogLevelSwitch>(), _app.Lifetime, () => _controlPlane?.ProxyId, metrics, new SidecarHealthMetrics(config, services.GetRequiredService<ClusterResilienceRegistry>(), services.GetService<IWorkloadCertificateSource>(), () => services.GetRequiredService<CertificateRotation>().TrustGeneration, () => _controlPlane?.Connected ?? false, TimeProvider.System)); // health metrics (issue 6)
        // Arguments run in order: the start timestamp is taken before the proxy starts on the request.
        _app.Run(context => ListenerOf(context) switch
        {
            // Tracing (issue 6): Begin rewrites the trace headers and x-request-id before the proxy reads them.
            ListenerKind.Outbound => tracer.ObserveAsync(context, tracer.Begin(context, outbound: true), outbound: true, metrics.ObserveAsync(context, outbound: true, Stopwatch.GetTimestamp(), outbound.HandleAsync(context))),
            ListenerKind.Inbound => tracer.ObserveAsync(context, tracer.Begin(context, outbound: false), outbound: false, metrics.ObserveAsync(context, outbound: false, Stopwatch.GetTimestamp(), inbound.HandleAsync(context))),
            _ => admin.HandleAsync(context),
        });
        _app.Lifetime.ApplicationStopping.Register(() => LogStopping(_logger));
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var ports = new BoundPorts(Port(ListenerKind.Inbound), Port(ListenerKind.Outbound), Port(ListenerKind.Admin));

        // Stage: the workload certificate (CA), then the control-plane link.
        var certificates = services.GetRequiredService<CertificateRotation>();
        certificates.Start();
        services.GetRequiredService<StopSequence>().OnStopping(() => certificates.DisposeAsync().AsTask());

        _controlPlane = new ControlPlaneClient(_options, ports, config, file, TimeProvider.System, services.GetRequiredService<ILogger<ControlPlaneClient>>(), services.GetService<IOutlierStatusSource>(), certificates,
            new TrafficReporter(metrics, TimeProvider.System)); // service-graph edge statistics (issue 6)
        _controlPlane.Start();
        var controlPlane = _controlPlane;
        services.GetRequiredService<StopSequence>().OnStopping(() => controlPlane.DisposeAsync().AsTask());

        var running = new RunningSidecar(this, Address(IPAddress.Loopback, ports.Outbound), Address(IPAddress.Parse(_options.Address), ports.Inbound), Address(IPAddress.Loopback, ports.Admin));
        LogListening(_logger, _options.Service, running.OutboundAddress, running.InboundAddress, running.AdminAddress);
        return running;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            try
            {
                // Stopping the host deregisters first (StopSequence), then drains; disposing again is a no-op.
                await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (_controlPlane is not null)
                {
                    await _controlPlane.DisposeAsync().ConfigureAwait(false);
                }

                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void ListenBoth(KestrelServerOptions kestrel, IPEndPoint address, ListenerKind kind)
    {
        var handoff = new Http2Handoff();
        kestrel.Listen(new HandoffEndPoint(kind.ToString()), listen =>
        {
            Tag(listen, kind);
            handoff.ConfigureHttp2(listen);
        });
        kestrel.Listen(address, listen =>
        {
            Tag(listen, kind);
            if (kind == ListenerKind.Inbound)
            {
                // mTLS (issue 5): TLS is terminated (or plaintext refused) before the HTTP/1.1-or-h2c handoff.
                listen.Use(next => listen.ApplicationServices.GetService<TlsInboundTermination>()?.Wrap(next) ?? next);
            }

            // TCP (issue 6): a connection opening with CONNECT is a tunnel, served before the HTTP handoff.
            listen.Use(next => listen.ApplicationServices.GetRequiredService<TcpTunnelListener>().For(kind)(next));
            handoff.ConfigurePublic(listen);
            _listeners[kind] = listen;
        });
    }

    private static void Tag(ListenOptions listen, ListenerKind kind) =>
        listen.Use(next => connection =>
        {
            connection.Items[ListenerItemKey] = kind;
            return next(connection);
        });

    private static ListenerKind ListenerOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerItemKey, out var kind) == true ? (ListenerKind)kind! : ListenerKind.Admin;

    private int Port(ListenerKind kind) => _listeners[kind].IPEndPoint!.Port;

    private static Uri Address(IPAddress address, int port) =>
        new($"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sidecar for {Service}: outbound {Outbound}, inbound {Inbound}, admin {Admin}")]
    private static partial void LogListening(ILogger logger, string service, Uri outbound, Uri inbound, Uri admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The persisted config was refused ({Reason}); waiting for the control plane")]
    private static partial void LogPersistedRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: finishing in-flight requests")]
    private static partial void LogStopping(ILogger logger);
}
