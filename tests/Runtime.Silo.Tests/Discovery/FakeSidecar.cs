using System.Net.Sockets;
using Runtime.Grpc.Client;
using Runtime.Silo.Tests.Api;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>A sidecar as the control plane sees it: plain DiscoveryService calls over its own gRPC connection.</summary>
internal sealed class FakeSidecar : IDisposable
{
    /// <summary>How long a pushed change may take to arrive: generous for a loaded 2-core machine, far above the 1 s design bound.</summary>
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(10);

    private readonly GrpcClient _client;
    private readonly SocketsHttpHandler _handler;
    private readonly List<Socket> _sockets;
    private CancellationTokenSource? _streamCancel;
    private IAsyncEnumerator<V1.ProxySnapshot>? _stream;

    private FakeSidecar(SocketsHttpHandler handler, GrpcClient client, List<Socket> sockets, string proxyId, V1.ProxyIdentity identity)
    {
        _handler = handler;
        _client = client;
        _sockets = sockets;
        ProxyId = proxyId;
        Identity = identity;
    }

    public string ProxyId { get; }

    public V1.ProxyIdentity Identity { get; }

    public V1.ProxySnapshot? Last { get; private set; }

    /// <summary>Snapshots read from the Subscribe stream so far.</summary>
    public int Received { get; private set; }

    public static async Task<FakeSidecar> RegisterAsync(Uri server, string service, string ns, string address, string instance, Dictionary<string, string>? labels)
    {
        // Its own connections, each socket kept, so a test can drop them as a crashed sidecar's kernel would.
        var sockets = new List<Socket>();
        var handler = new SocketsHttpHandler { ConnectCallback = (context, token) => ConnectAsync(context, sockets, token) };
        var client = new GrpcClient(server, handler);
        var identity = new V1.ProxyIdentity { Service = service, Namespace = ns, Address = address, InboundPort = 15006, AppPort = 9080, Instance = instance };
        identity.Labels.Add(labels ?? []);
        var response = await client.CallAsync("DiscoveryService/Register", new V1.RegisterRequest { Identity = identity, ProxyVersion = "test-1.0" }, V1.RegisterResponse.Parser);
        return new FakeSidecar(handler, client, sockets, response.ProxyId, identity);
    }

    /// <summary>Opens the Subscribe stream; the control plane pushes the current snapshot first.</summary>
    public void Subscribe(string knownVersion = "")
    {
        _streamCancel = new CancellationTokenSource();
        _stream = _client.ServerStreamingAsync(
            "/runtime.mesh.v1.DiscoveryService/Subscribe",
            new V1.SubscribeRequest { ProxyId = ProxyId, KnownVersion = knownVersion },
            V1.ProxySnapshot.Parser,
            options: null,
            _streamCancel.Token).GetAsyncEnumerator(_streamCancel.Token);
    }

    /// <summary>The next pushed snapshot.</summary>
    public async Task<V1.ProxySnapshot> NextAsync(string what)
    {
        var stream = _stream ?? throw new InvalidOperationException("call Subscribe first");
        bool moved;
        try
        {
            moved = await stream.MoveNextAsync().AsTask().WaitAsync(PushTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ProxyId}: no snapshot within {PushTimeout.TotalSeconds}s while waiting for {what} (last version {Last?.Version ?? "none"})", ex);
        }

        Assert.True(moved, $"{ProxyId}: the Subscribe stream ended while waiting for {what}");
        Last = stream.Current;
        Received++;
        return stream.Current;
    }

    /// <summary>Reads pushes until one satisfies <paramref name="condition"/>, optionally ACKing each; bounded by one overall timeout.</summary>
    public async Task<V1.ProxySnapshot> WaitForAsync(Func<V1.ProxySnapshot, bool> condition, string what, bool ack = true)
    {
        using var overall = new CancellationTokenSource(PushTimeout);
        while (true)
        {
            overall.Token.ThrowIfCancellationRequested();
            var snapshot = await NextAsync(what);
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

    /// <summary>Whether the stream ended (normally) within the push timeout.</summary>
    public async Task<bool> StreamEndedAsync()
    {
        var stream = _stream ?? throw new InvalidOperationException("call Subscribe first");
        while (await stream.MoveNextAsync().AsTask().WaitAsync(PushTimeout))
        {
        }

        return true;
    }

    public Task<V1.AckResponse> AckAsync(string version, string error = "") =>
        _client.CallAsync("DiscoveryService/Ack", new V1.AckRequest { ProxyId = ProxyId, Version = version, Error = error }, V1.AckResponse.Parser);

    public Task<V1.HeartbeatResponse> HeartbeatAsync() => HeartbeatAsync(outlier: null);

    /// <summary>A heartbeat carrying an outlier report (null: none, i.e. unchanged).</summary>
    public Task<V1.HeartbeatResponse> HeartbeatAsync(V1.OutlierReport? outlier) =>
        _client.CallAsync("DiscoveryService/Heartbeat", new V1.HeartbeatRequest { ProxyId = ProxyId, Outlier = outlier }, V1.HeartbeatResponse.Parser);

    public Task<V1.DeregisterResponse> DeregisterAsync() =>
        _client.CallAsync("DiscoveryService/Deregister", new V1.DeregisterRequest { ProxyId = ProxyId }, V1.DeregisterResponse.Parser);

    public Task<V1.RegisterResponse> RegisterAgainAsync() =>
        _client.CallAsync("DiscoveryService/Register", new V1.RegisterRequest { Identity = Identity, ProxyVersion = "test-1.0" }, V1.RegisterResponse.Parser);

    /// <summary>
    /// Cancels the Subscribe call between reads (a sidecar going away without deregistering). Cancelling the token
    /// alone sends nothing while no read is pending; disposing the stream resets it (RST_STREAM CANCEL).
    /// </summary>
    public async Task CloseStreamAsync()
    {
        var stream = _stream ?? throw new InvalidOperationException("call Subscribe first");
        _stream = null;
        _streamCancel?.Cancel();
        await stream.DisposeAsync();
    }

    /// <summary>Cancels the Subscribe call while a read is pending for the next snapshot, as a sidecar's read loop is.</summary>
    public async Task CancelPendingReadAsync()
    {
        var stream = _stream ?? throw new InvalidOperationException("call Subscribe first");
        _stream = null;
        var read = stream.MoveNextAsync().AsTask();
        _streamCancel?.Cancel();
        // A push racing the cancel completes that read; the next one then ends on the cancelled token.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await read)
            {
                read = stream.MoveNextAsync().AsTask();
            }
        });
        await stream.DisposeAsync();
    }

    /// <summary>Closes every TCP connection of this sidecar, with no HTTP/2 goodbye (a sidecar process that died).</summary>
    public void CloseConnections()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Close();
            }

            _sockets.Clear();
        }
    }

    public void Dispose()
    {
        _streamCancel?.Cancel();
        _streamCancel?.Dispose();
        _client.Dispose();
        _handler.Dispose();
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, List<Socket> sockets, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (sockets)
        {
            sockets.Add(socket);
        }

        return new NetworkStream(socket, ownsSocket: true);
    }
}
