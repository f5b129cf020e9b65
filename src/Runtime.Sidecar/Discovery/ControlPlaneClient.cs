using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Api;
using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Discovery;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Traffic;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Discovery;

/// <summary>
/// The sidecar's link to the control plane: registers its endpoint, heartbeats, subscribes to its snapshots,
/// applies each one and ACKs it (or NACKs it with the reason, keeping the previous config), and persists what
/// it applied. Heartbeats carry the outlier detector's state when it changed (and the first of each session,
/// so a control plane that forgot it, or holds a stale one, is brought up to date) and the workload certificate
/// held (which paces root rotations); each snapshot's trust bundle goes to the certificate rotation. On any failure it moves to
/// the next control-plane replica after a jittered backoff; the sidecar keeps serving its last good config all
/// the while.
/// </summary>
internal sealed partial class ControlPlaneClient : IAsyncDisposable
{
    private const string Service = "/runtime.mesh.v1.DiscoveryService/";
    private static readonly GrpcCallOptions CallOptions = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly SidecarOptions _options;
    private readonly BoundPorts _ports;
    private readonly ProxyConfig _config;
    private readonly SnapshotFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger<ControlPlaneClient> _logger;
    private readonly IOutlierStatusSource? _outlier;
    private readonly CertificateRotation? _certificates;
    private readonly TrafficReporter? _traffic; // service-graph edge statistics (issue 6)
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _jitter = new();
    private Task? _loop;
    private volatile Registration? _registration;
    private volatile bool _connected;
    private int _disposed;

    /// <summary>
    /// Creates the link; <paramref name="outlier"/> is the detector whose state heartbeats report (null: none),
    /// <paramref name="certificates"/> the workload certificate heartbeats report and snapshots' trust bundles go to (null: none),
    /// <paramref name="traffic"/> the per-edge request deltas heartbeats carry (null: none).
    /// </summary>
    public ControlPlaneClient(
        SidecarOptions options, BoundPorts ports, ProxyConfig config, SnapshotFile file, TimeProvider time, ILogger<ControlPlaneClient> logger, IOutlierStatusSource? outlier = null,
        CertificateRotation? certificates = null, TrafficReporter? traffic = null)
    {
        _traffic = traffic;
        _outlier = outlier;
        _certificates = certificates;
        _options = options;
        _ports = ports;
        _config = config;
        _file = file;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether the config stream is up: a snapshot came on it and it has not ended since (for metrics).</summary>
    public bool Connected => _connected;

    /// <summary>The proxy id the control plane gave this sidecar, once registered.</summary>
    public string? ProxyId => _registration?.ProxyId;

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopFailed(_logger, ex.Message);
            }
        }

        // A clean exit deregisters at once, so callers stop picking this endpoint now rather than after the TTL.
        if (_registration is { } registration)
        {
            await DeregisterAsync(registration).ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task DeregisterAsync(Registration registration)
    {
        try
        {
            using var client = new GrpcClient(registration.Server);
            var options = new GrpcCallOptions { Timeout = TimeSpan.FromSeconds(2) };
            await client.UnaryAsync(Service + "Deregister", new V1.DeregisterRequest { ProxyId = registration.ProxyId }, V1.DeregisterResponse.Parser, options).ConfigureAwait(false);
        }
        catch (GrpcException ex)
        {
            LogDeregisterFailed(_logger, ex.Message);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var servers = _options.ControlPlanes.Count > 0 ? _options.ControlPlanes : [new Uri(SidecarCommandLine.DefaultControlPlane)];
        var failures = 0;
        var turn = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Stay with a replica while it works (registries are per replica); move on only when it fails.
            var server = servers[turn % servers.Count];
            try
            {
                await SessionAsync(server, () => failures = 0, cancellationToken).ConfigureAwait(false);
                LogStreamEnded(_logger, server);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (GrpcException ex)
            {
                LogSessionFailed(_logger, server, ex.Status, ex.Message);
                turn++;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong, the loop must live on: it is the sidecar's only way back to the control plane.
                LogSessionFailed(_logger, server, GrpcStatusCode.Unknown, ex.Message);
                turn++;
            }

            var delay = Backoff.Delay(failures++, _jitter);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SessionAsync(Uri server, Action connected, CancellationToken cancellationToken)
    {
        using var client = new GrpcClient(server) { MaxReceiveMessageSize = 64 * 1024 * 1024 };
        var registered = await client.UnaryAsync(Service + "Register", new V1.RegisterRequest { Identity = Identity(), ProxyVersion = SidecarHost.Version }, V1.RegisterResponse.Parser, CallOptions, cancellationToken).ConfigureAwait(false);
        if (_registration is { } previous && previous.Server != server)
        {
            // Registries are per replica: leave no stale endpoint behind on the one we moved away from.
            await DeregisterAsync(previous).ConfigureAwait(false);
        }

        _registration = new Registration(server, registered.ProxyId);
        LogRegistered(_logger, server, registered.ProxyId);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(client, registered.ProxyId, TimeSpan.FromMilliseconds(Math.Max(100, registered.HeartbeatIntervalMs)), session);
        try
        {
            var subscribe = new V1.SubscribeRequest { ProxyId = registered.ProxyId, KnownVersion = _config.Current?.Snapshot.Version ?? "" };
            await foreach (var message in client.ServerStreamingAsync(Service + "Subscribe", subscribe, V1.ProxySnapshot.Parser, options: null, session.Token).ConfigureAwait(false))
            {
                connected();
                _connected = true;
                string? error;
                try
                {
                    var snapshot = DiscoveryMessages.FromMessage(message);
                    // Trust first and whatever the routing config's fate: a root rotation must not wait on a NACK. An
                    // unusable bundle is logged there and the one in use kept; it is no reason to refuse the routes.
                    if (snapshot.Trust is { } trust)
                    {
                        _ = _certificates?.ApplyTrust(trust);
                    }

                    error = _config.TryApply(snapshot, "control-plane");
                    if (error is null)
                    {
                        _file.Save(snapshot);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or System.Text.Json.JsonException)
                {
                    error = $"could not read version {message.Version}: {ex.Message}";
                }

                var ack = new V1.AckRequest { ProxyId = registered.ProxyId, Version = message.Version, Error = error ?? "" };
                await client.UnaryAsync(Service + "Ack", ack, V1.AckResponse.Parser, CallOptions, session.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The heartbeat ended the session (registration lost): register again.
        }
        finally
        {
            _connected = false;
            await session.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    private async Task HeartbeatAsync(GrpcClient client, string proxyId, TimeSpan interval, CancellationTokenSource session)
    {
        // What this session last reported; null until the first report, which goes out even when empty.
        IReadOnlyList<EndpointOutlierStatus>? reported = null;
        try
        {
            while (true)
            {
                await NextHeartbeatAsync(interval, session.Token).ConfigureAwait(false);
                var request = new V1.HeartbeatRequest { ProxyId = proxyId, Certificate = CertificateReport() };
                var outlier = OutlierState();
                if (outlier is not null && (reported is null || !reported.SequenceEqual(outlier)))
                {
                    request.Outlier = DiscoveryMessages.ToReport(outlier);
                }

                // Service-graph statistics (issue 6): committed only once the control plane took them; a failed
                // heartbeat's report is sent again unchanged (same sequence number, so the silo counts it once).
                var traffic = _traffic?.Prepare();
                request.Traffic = traffic?.Report;
                try
                {
                    await client.UnaryAsync(Service + "Heartbeat", request, V1.HeartbeatResponse.Parser, CallOptions, session.Token).ConfigureAwait(false);
                }
                catch (GrpcException ex) when (ex.Status == GrpcStatusCode.InvalidArgument && request.Outlier is not null)
                {
                    // The heartbeat counted; only the report was refused. Sending it again would be refused again.
                    LogOutlierReportRejected(_logger, ex.Message);
                }

                if (traffic is not null)
                {
                    _traffic!.Commit(traffic);
                }

                reported = outlier ?? reported;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (GrpcException ex)
        {
            // NOT_FOUND: the registration expired (or the replica restarted). Either way: new session.
            LogHeartbeatFailed(_logger, ex.Status, ex.Message);
            await session.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the heartbeat interval, cut short when a new workload certificate is in place, so the control plane learns of it at once.</summary>
    private async Task NextHeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(interval, _time, cancellationToken);
        if (_certificates is not null)
        {
            await Task.WhenAny(delay, _certificates.NextIssued.WaitAsync(cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        await delay.ConfigureAwait(false);
    }

    /// <summary>The workload certificate held now, as a heartbeat reports it; null without one.</summary>
    private V1.CertificateReport? CertificateReport() => _certificates?.Held is { } held
        ? new V1.CertificateReport
        {
            SpiffeId = held.Certificate.SpiffeId,
            NotAfter = Timestamp.FromDateTimeOffset(held.Certificate.NotAfter),
            RootSha256 = held.RootSha256,
            TrustBundleGeneration = held.TrustBundleGeneration,
        }
        : null;

    /// <summary>The outlier detector's state in a stable order; null when there is no detector or it failed.</summary>
    private EndpointOutlierStatus[]? OutlierState()
    {
        if (_outlier is null)
        {
            return null;
        }

        try
        {
            return [.. _outlier.Current()
                .OrderBy(e => e.Host, StringComparer.Ordinal)
                .ThenBy(e => e.Address, StringComparer.Ordinal)
                .ThenBy(e => e.Port)];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failing detector must not stop the heartbeats that keep this endpoint registered.
            LogOutlierStateFailed(_logger, ex.Message);
            return null;
        }
    }

    private V1.ProxyIdentity Identity()
    {
        var identity = new V1.ProxyIdentity
        {
            Service = _options.Service,
            Namespace = _options.Namespace,
            ServiceAccount = _options.ServiceAccount,
            Address = _options.Address,
            InboundPort = _ports.Inbound,
            AdminPort = _ports.Admin,
            AppPort = _options.AppPort ?? 0,
            Instance = _options.Instance ?? $"{_options.Service}-{_options.Address}-{_ports.Inbound}",
        };
        foreach (var (key, value) in _options.Labels)
        {
            identity.Labels[key] = value;
        }

        return identity;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with {Server} as {ProxyId}")]
    private static partial void LogRegistered(ILogger logger, Uri server, string proxyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control plane {Server}: {Status} {Reason}; serving the last good config and retrying")]
    private static partial void LogSessionFailed(ILogger logger, Uri server, GrpcStatusCode status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control plane {Server} ended the config stream; reconnecting")]
    private static partial void LogStreamEnded(ILogger logger, Uri server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Status} {Reason}); registering again")]
    private static partial void LogHeartbeatFailed(ILogger logger, GrpcStatusCode status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The control-plane loop failed: {Reason}")]
    private static partial void LogLoopFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deregistering failed: {Reason}; the control plane drops this endpoint when its TTL runs out")]
    private static partial void LogDeregisterFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane refused the outlier report: {Reason}")]
    private static partial void LogOutlierReportRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the outlier-detection state failed: {Reason}; heartbeating without it")]
    private static partial void LogOutlierStateFailed(ILogger logger, string reason);

    private sealed record Registration(Uri Server, string ProxyId);
}
