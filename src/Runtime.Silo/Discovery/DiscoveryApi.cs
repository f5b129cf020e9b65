using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Grpc;
using Runtime.Grpc.Server;
using Runtime.Silo.Api;
using Runtime.Silo.Traffic;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Discovery;

/// <summary>
/// <c>runtime.mesh.v1.DiscoveryService</c>: the edge between wire messages and the registry and distributor.
/// An unknown proxy id is NOT_FOUND telling the sidecar to register again (registrations live in memory, so
/// after a control plane restart every sidecar's next heartbeat gets this and it re-registers); an invalid
/// identity is INVALID_ARGUMENT listing every problem.
/// </summary>
internal sealed partial class DiscoveryApi(ProxyRegistry registry, SnapshotDistributor distributor, DiscoveryMetrics metrics, ILogger<DiscoveryApi> logger, TrafficStore? traffic = null)
{
    public static ServiceDescriptor Descriptor { get; } = V1.DiscoveryReflection.Descriptor.Services.Single(s => s.Name == "DiscoveryService");

    public GrpcServiceDefinition Build() => GrpcServiceDefinition.For(Descriptor)
        .Unary<V1.RegisterRequest, V1.RegisterResponse>("Register", RegisterAsync)
        .Unary<V1.HeartbeatRequest, V1.HeartbeatResponse>("Heartbeat", HeartbeatAsync)
        .Unary<V1.DeregisterRequest, V1.DeregisterResponse>("Deregister", DeregisterAsync)
        .ServerStreaming<V1.SubscribeRequest, V1.ProxySnapshot>("Subscribe", SubscribeAsync)
        .Unary<V1.AckRequest, V1.AckResponse>("Ack", AckAsync)
        .Unary<V1.ListProxiesRequest, V1.ListProxiesResponse>("ListProxies", ListProxiesAsync)
        .Unary<V1.GetProxySnapshotRequest, V1.ProxySnapshot>("GetProxySnapshot", GetProxySnapshotAsync)
        .Unary<V1.ListEndpointHealthRequest, V1.ListEndpointHealthResponse>("ListEndpointHealth", ListEndpointHealthAsync)
        .Build();

    private Task<V1.RegisterResponse> RegisterAsync(V1.RegisterRequest request, GrpcCallContext context)
    {
        if (request.Identity is null)
        {
            throw ApiErrors.Invalid("identity is required: service, namespace, address and inbound_port at least");
        }

        var identity = FromMessage(request.Identity);
        var problems = ProxyIdentityRules.Validate(identity);
        if (problems.Count > 0)
        {
            LogRegisterRejected(problems.Count);
            var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
            throw ApiErrors.Invalid($"{count} with the identity; not registered:\n" + string.Join("\n", problems.Select(p => "- " + p)));
        }

        var proxy = registry.Register(ProxyIdentityRules.Normalize(identity), request.ProxyVersion);
        return Task.FromResult(new V1.RegisterResponse
        {
            ProxyId = proxy.Id,
            HeartbeatIntervalMs = (long)registry.Options.HeartbeatInterval.TotalMilliseconds,
            TtlMs = (long)registry.Options.Ttl.TotalMilliseconds,
        });
    }

    /// <remarks>
    /// An invalid outlier report does not cost the proxy its registration: the heartbeat counts, the report is
    /// dropped (the previous one stays) and the answer is INVALID_ARGUMENT listing every problem.
    /// </remarks>
    private Task<V1.HeartbeatResponse> HeartbeatAsync(V1.HeartbeatRequest request, GrpcCallContext context)
    {
        RequireProxyId(request.ProxyId);
        IReadOnlyList<EndpointOutlierStatus>? outlier = request.Outlier is { } report ? [.. report.Endpoints.Select(DiscoveryMessages.FromMessage)] : null;
        var problems = outlier is null ? [] : OutlierReportRules.Validate(outlier);
        var certificate = request.Certificate is { } reported
            ? new ProxyCertificateReport(reported.SpiffeId, reported.NotAfter?.ToDateTimeOffset() ?? default, reported.RootSha256, reported.TrustBundleGeneration)
            : null;
        if (!registry.Heartbeat(request.ProxyId, problems.Count == 0 ? outlier : null, certificate))
        {
            throw NotRegistered(request.ProxyId);
        }

        // Service-graph statistics (issue 6): taken with the heartbeat, whatever the outlier report's fate.
        if (traffic is not null && registry.Find(request.ProxyId) is { } proxy)
        {
            traffic.Record(proxy.Id, proxy.RegisteredAt, TrafficMessages.FromMessage(request.Traffic));
        }

        if (problems.Count > 0)
        {
            LogOutlierReportRejected(request.ProxyId, problems.Count);
            var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
            throw ApiErrors.Invalid($"heartbeat recorded, but the outlier report was dropped ({count}):\n" + string.Join("\n", problems.Select(p => "- " + p)));
        }

        return Task.FromResult(new V1.HeartbeatResponse());
    }

    private Task<V1.DeregisterResponse> DeregisterAsync(V1.DeregisterRequest request, GrpcCallContext context)
    {
        RequireProxyId(request.ProxyId);
        traffic?.Forget(request.ProxyId); // keeps what it reported, takes no more (issue 6)
        return registry.Deregister(request.ProxyId) is null ? throw NotRegistered(request.ProxyId) : Task.FromResult(new V1.DeregisterResponse());
    }

    private async Task SubscribeAsync(V1.SubscribeRequest request, IGrpcStreamWriter<V1.ProxySnapshot> writer, GrpcCallContext context)
    {
        RequireProxyId(request.ProxyId);
        var cancellationToken = context.CancellationToken;
        if (!registry.Connect(request.ProxyId))
        {
            throw NotRegistered(request.ProxyId);
        }

        try
        {
            var subscription = await distributor.SubscribeAsync(request.ProxyId, cancellationToken).ConfigureAwait(false)
                ?? throw NotRegistered(request.ProxyId);
            LogSubscribed(request.ProxyId, request.KnownVersion);
            try
            {
                // The current snapshot goes out first even when known_version equals it: the sidecar learns that
                // the stream is live and confirms the version with an ACK.
                await foreach (var snapshot in subscription.Snapshots.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        await writer.WriteAsync(DiscoveryMessages.ToMessage(snapshot), cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        metrics.PushFailed();
                        throw;
                    }

                    metrics.Pushed();
                }
            }
            finally
            {
                distributor.Unsubscribe(subscription);
            }
        }
        finally
        {
            registry.Disconnect(request.ProxyId);
        }
    }

    private Task<V1.AckResponse> AckAsync(V1.AckRequest request, GrpcCallContext context)
    {
        RequireProxyId(request.ProxyId);
        if (request.Version.Length == 0)
        {
            throw ApiErrors.Invalid("version is required: the version of the snapshot being ACKed or NACKed");
        }

        return distributor.Acknowledge(request.ProxyId, request.Version, request.Error)
            ? Task.FromResult(new V1.AckResponse())
            : throw NotRegistered(request.ProxyId);
    }

    private Task<V1.ListProxiesResponse> ListProxiesAsync(V1.ListProxiesRequest request, GrpcCallContext context)
    {
        var response = new V1.ListProxiesResponse();
        response.Proxies.AddRange(distributor.Statuses().Select(ToMessage));
        if (request.AppliedResources.Count > 0)
        {
            var keys = request.AppliedResources.Select(r => new ResourceKey(
                MeshKinds.TryResolve(r.Kind, out var kind) ? kind.Kind : r.Kind,
                r.Namespace.Length == 0 ? "default" : r.Namespace,
                r.Name)).ToList();
            response.Applied.AddRange(distributor.Applied(keys).Select(a => new V1.ResourceApplied
            {
                Resource = ResourceMessages.ToMessage(a.Key),
                ResourceVersion = a.ResourceVersion,
                Applied = a.Applied,
                Proxies = a.Proxies,
            }));
        }

        return Task.FromResult(response);
    }

    private async Task<V1.ProxySnapshot> GetProxySnapshotAsync(V1.GetProxySnapshotRequest request, GrpcCallContext context)
    {
        if (request.Proxy.Length == 0)
        {
            throw ApiErrors.Invalid("proxy is required: a proxy id, an instance name, or <service>.<namespace>");
        }

        var proxy = Resolve(request.Proxy);
        var snapshot = await distributor.SnapshotAsync(proxy.Id, context.CancellationToken).ConfigureAwait(false)
            ?? throw NotRegistered(proxy.Id);
        return DiscoveryMessages.ToMessage(snapshot);
    }

    private Task<V1.ListEndpointHealthResponse> ListEndpointHealthAsync(V1.ListEndpointHealthRequest request, GrpcCallContext context) =>
        Task.FromResult(DiscoveryMessages.ToMessage(OutlierHealthView.Of(registry.Proxies, request.Host.Length == 0 ? null : request.Host)));

    /// <summary>A proxy by id, instance name, or <c>service.namespace</c> when only one instance matches.</summary>
    private RegisteredProxy Resolve(string text)
    {
        var proxies = registry.Proxies;
        if (proxies.FirstOrDefault(p => p.Id == text) is { } exact)
        {
            return exact;
        }

        var byInstance = proxies.Where(p => p.Identity.Instance == text).ToList();
        var matches = byInstance.Count > 0 ? byInstance : [.. proxies.Where(p => $"{p.Identity.Service}.{p.Identity.Namespace}" == text)];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new GrpcException(GrpcStatusCode.NotFound, $"no registered proxy is \"{text}\"; meshctl proxy-status lists them"),
            _ => throw ApiErrors.Invalid($"\"{text}\" matches {matches.Count} proxies ({string.Join(", ", matches.Select(m => m.Id))}); name one by its proxy id"),
        };
    }

    private static void RequireProxyId(string proxyId)
    {
        if (proxyId.Length == 0)
        {
            throw ApiErrors.Invalid("proxy_id is required: the id Register returned");
        }
    }

    private static GrpcException NotRegistered(string proxyId) => new(
        GrpcStatusCode.NotFound,
        $"proxy \"{proxyId}\" is not registered (it expired, deregistered, or the control plane restarted); register again");

    private static ProxyIdentity FromMessage(V1.ProxyIdentity message) => new()
    {
        Service = message.Service,
        Namespace = message.Namespace,
        ServiceAccount = message.ServiceAccount,
        Labels = new Dictionary<string, string>(message.Labels, StringComparer.Ordinal),
        Address = message.Address,
        InboundPort = message.InboundPort,
        AppPort = message.AppPort,
        Instance = message.Instance,
        AdminPort = message.AdminPort,
    };

    private static V1.ProxyStatus ToMessage(ProxyStatusView status)
    {
        var identity = status.Proxy.Identity;
        var message = new V1.ProxyIdentity
        {
            Service = identity.Service,
            Namespace = identity.Namespace,
            ServiceAccount = identity.ServiceAccount,
            Address = identity.Address,
            InboundPort = identity.InboundPort,
            AppPort = identity.AppPort,
            Instance = identity.Instance,
            AdminPort = identity.AdminPort,
        };
        foreach (var (key, value) in identity.Labels)
        {
            message.Labels[key] = value;
        }

        return new V1.ProxyStatus
        {
            ProxyId = status.Proxy.Id,
            Identity = message,
            State = status.State switch
            {
                SyncState.Synced => V1.SyncState.Synced,
                SyncState.Nacked => V1.SyncState.Nacked,
                SyncState.Disconnected => V1.SyncState.Disconnected,
                _ => V1.SyncState.Stale,
            },
            AckedVersion = status.AckedVersion,
            LatestVersion = status.LatestVersion,
            NackError = status.NackError,
            LastHeartbeat = Timestamp.FromDateTimeOffset(status.Proxy.LastHeartbeat),
            Connected = status.Proxy.Connected,
            ProxyVersion = status.Proxy.ProxyVersion,
            Certificate = status.Proxy.Certificate is { } certificate
                ? new V1.CertificateReport
                {
                    SpiffeId = certificate.SpiffeId,
                    NotAfter = Timestamp.FromDateTimeOffset(certificate.NotAfter),
                    RootSha256 = certificate.RootSha256,
                    TrustBundleGeneration = certificate.TrustBundleGeneration,
                }
                : null,
        };
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Register rejected: {ProblemCount} problems with the identity")]
    private partial void LogRegisterRejected(int problemCount);

    [LoggerMessage(EventId = 332, Level = LogLevel.Warning, Message = "Proxy {ProxyId} sent an outlier report with {ProblemCount} problems; kept its previous report")]
    private partial void LogOutlierReportRejected(string proxyId, int problemCount);

    [LoggerMessage(EventId = 331, Level = LogLevel.Debug, Message = "Proxy {ProxyId} subscribed (holds version '{KnownVersion}')")]
    private partial void LogSubscribed(string proxyId, string knownVersion);
}
