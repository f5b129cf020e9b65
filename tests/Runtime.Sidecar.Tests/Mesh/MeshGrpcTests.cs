using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Grpc.Tests.Interop;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// gRPC (h2c from the app) through a client sidecar and a server sidecar to a real gRPC server — a second
/// control plane serves as the application, since its management API is gRPC with unary, server-streaming
/// and bidirectional (reflection) methods.
/// </summary>
public sealed class MeshGrpcTests
{
    private const string Manifest = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: through-the-mesh
        spec:
          hosts: [somewhere]
          http:
          - route:
            - destination: { host: somewhere }
        """;

    [Fact]
    public async Task Grpc_UnaryErrorAndServerStreaming_ThroughTwoSidecars()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await StartGrpcAppAsync();
        var (client, _) = await StartPairAsync(mesh, app);
        using var grpc = ClientThrough(client);
        var options = new GrpcCallOptions { Timeout = TestTimeouts.Default };

        var apply = new V1.ApplyRequest();
        apply.Manifests.Add(new V1.Manifest { Source = "mesh.yaml", Content = Manifest });
        var applied = await grpc.UnaryAsync("/runtime.mesh.v1.ConfigService/Apply", apply, V1.ApplyResponse.Parser, options);
        var missing = await Assert.ThrowsAsync<GrpcException>(() => grpc.UnaryAsync("/runtime.mesh.v1.ConfigService/Get", new V1.GetRequest { Kind = "vs", Name = "nope" }, V1.Resource.Parser, options));
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var events = new List<V1.WatchEventType>();
        await foreach (var change in grpc.ServerStreamingAsync("/runtime.mesh.v1.ConfigService/Watch", new V1.WatchRequest(), V1.WatchEvent.Parser, cancellationToken: stop.Token))
        {
            events.Add(change.Type);
            if (change.Type == V1.WatchEventType.Bookmark)
            {
                break;
            }
        }

        Assert.Equal(V1.ApplyOutcome.Created, applied.Results.Single().Outcome);
        Assert.Equal(GrpcStatusCode.NotFound, missing.Status);
        Assert.Contains("\"nope\" not found", missing.Message, StringComparison.Ordinal);
        Assert.Equal([V1.WatchEventType.Added, V1.WatchEventType.Bookmark], events);
    }

    [Fact]
    public async Task Grpc_BidirectionalStreamFromPython_ThroughTwoSidecars()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await StartGrpcAppAsync();
        var (client, _) = await StartPairAsync(mesh, app);

        var result = await PythonGrpc.CallAsync(
            client.OutboundAddress,
            "bidi",
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            [new ListServices(), new ListServices()],
            authority: "config-api");

        Assert.Equal(0, result.Code);
        Assert.Equal(2, result.Responses.Count);
        Assert.All(result.ResponseBytes, r => Assert.Contains("runtime.mesh.v1.ConfigService", System.Text.Encoding.UTF8.GetString(r), StringComparison.Ordinal));
    }

    internal static Task<RunningSilo> StartGrpcAppAsync() =>
        SiloHost.StartAsync(
            new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = Directory.CreateTempSubdirectory("mesh-grpc-app-").FullName, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            CancellationToken.None).WaitAsync(TestTimeouts.Default);

    internal static async Task<(RunningSidecar Client, RunningSidecar Server)> StartPairAsync(MeshHarness mesh, RunningSilo app)
    {
        var server = await mesh.StartSidecarAsync("config-api", null, appPort: app.GrpcAddress.Port);
        var client = await mesh.StartSidecarAsync("client", null);
        await MeshHarness.WaitForEndpointsAsync(client, "config-api.default.svc.cluster.local", 1);
        return (client, server);
    }

    /// <summary>A gRPC client addressing "config-api" by name, whose connections all go to the client sidecar's outbound port.</summary>
    internal static GrpcClient ClientThrough(RunningSidecar sidecar)
    {
        var outbound = sidecar.OutboundAddress;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(outbound.Host, outbound.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new GrpcClient(new Uri("http://config-api"), handler);
    }

    /// <summary>grpc.reflection.v1 ServerReflectionRequest{list_services: ""} (field 7), written by hand.</summary>
    private sealed class ListServices : IMessage
    {
        public MessageDescriptor Descriptor => throw new NotSupportedException("raw test message");

        public void MergeFrom(CodedInputStream input) => throw new NotSupportedException("raw test message");

        public void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(7, WireFormat.WireType.LengthDelimited);
            output.WriteString("");
        }

        public int CalculateSize() => 2;
    }
}
