using Runtime.Grpc.Client;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Tests.Testing;

/// <summary>A sidecar reduced to its DiscoveryService calls, so meshctl has proxies to report on.</summary>
internal sealed class FakeSidecar : IDisposable
{
    private static readonly GrpcCallOptions CallOptions = new() { Timeout = Meshctl.Timeout };

    private readonly GrpcClient _client;
    private readonly CancellationTokenSource _cancel = new();
    private IAsyncEnumerator<V1.ProxySnapshot>? _stream;

    private FakeSidecar(GrpcClient client, string proxyId)
    {
        _client = client;
        ProxyId = proxyId;
    }

    public string ProxyId { get; }

    public static Task<FakeSidecar> RegisterAsync(string server, string service, string ns, string address, string instance, params (string Key, string Value)[] labels)
    {
        var identity = new V1.ProxyIdentity { Service = service, Namespace = ns, Address = address, InboundPort = 15006, Instance = instance };
        foreach (var (key, value) in labels)
        {
            identity.Labels[key] = value;
        }

        return RegisterAsync(server, identity);
    }

    public static async Task<FakeSidecar> RegisterAsync(string server, V1.ProxyIdentity identity)
    {
        var client = new GrpcClient(new Uri(server));
        var response = await client.UnaryAsync(
            "/runtime.mesh.v1.DiscoveryService/Register", new V1.RegisterRequest { Identity = identity, ProxyVersion = "test" }, V1.RegisterResponse.Parser, CallOptions);
        return new FakeSidecar(client, response.ProxyId);
    }

    /// <summary>Subscribes (once) and reads pushes until one satisfies <paramref name="condition"/>, ACKing each unless told not to.</summary>
    public async Task<V1.ProxySnapshot> WaitForAsync(Func<V1.ProxySnapshot, bool> condition, string what, bool ack = true)
    {
        _stream ??= _client.ServerStreamingAsync(
            "/runtime.mesh.v1.DiscoveryService/Subscribe", new V1.SubscribeRequest { ProxyId = ProxyId }, V1.ProxySnapshot.Parser, options: null, _cancel.Token)
            .GetAsyncEnumerator(_cancel.Token);
        using var overall = new CancellationTokenSource(Meshctl.Timeout);
        while (true)
        {
            bool moved;
            try
            {
                moved = await _stream.MoveNextAsync().AsTask().WaitAsync(overall.Token);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"{ProxyId}: timed out waiting for {what}", ex);
            }

            Assert.True(moved, $"{ProxyId}: the Subscribe stream ended while waiting for {what}");
            var snapshot = _stream.Current;
            if (ack)
            {
                await AckAsync(snapshot.Version);
            }

            if (condition(snapshot))
            {
                return snapshot;
            }
        }
    }

    public Task AckAsync(string version, string error = "") => _client.UnaryAsync(
        "/runtime.mesh.v1.DiscoveryService/Ack", new V1.AckRequest { ProxyId = ProxyId, Version = version, Error = error }, V1.AckResponse.Parser, CallOptions);

    /// <summary>A heartbeat carrying the outlier detector's complete state.</summary>
    public Task HeartbeatAsync(params Abstractions.Discovery.EndpointOutlierStatus[] outlier) => _client.UnaryAsync(
        "/runtime.mesh.v1.DiscoveryService/Heartbeat",
        new V1.HeartbeatRequest { ProxyId = ProxyId, Outlier = Abstractions.Api.DiscoveryMessages.ToReport(outlier) },
        V1.HeartbeatResponse.Parser,
        CallOptions);

    public static bool HasEndpoint(V1.ProxySnapshot snapshot, string proxyId) =>
        snapshot.Services.SelectMany(s => s.Endpoints).Any(e => e.ProxyId == proxyId);

    public static bool HasResource(V1.ProxySnapshot snapshot, string kind, string name) =>
        snapshot.Resources.Any(r => r.Kind == kind && r.Metadata.Name == name);

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
        _client.Dispose();
    }
}
