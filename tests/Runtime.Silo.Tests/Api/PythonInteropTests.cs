using Google.Protobuf;
using Google.Protobuf.Reflection;
using Runtime.Grpc.Tests.Interop;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Api;

/// <summary>
/// The real control plane's management API driven by an independent gRPC implementation (Debian's
/// python3-grpcio): unary calls, an error status, server streaming with a deadline, and reflection.
/// </summary>
public sealed class PythonInteropTests
{
    private const string Manifest = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
        """;

    [Fact]
    public async Task ApplyListAndGet_FromPython_WorkAndMissingIsNotFound()
    {
        await using var api = await ApiFixture.StartAsync();
        var apply = new V1.ApplyRequest();
        apply.Manifests.Add(new V1.Manifest { Source = "py.yaml", Content = Manifest });

        var applied = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "unary", "/runtime.mesh.v1.ConfigService/Apply", [apply]);
        var listed = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "unary", "/runtime.mesh.v1.ConfigService/List", [new V1.ListRequest { Kind = "vs" }]);
        var missing = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "unary", "/runtime.mesh.v1.ConfigService/Get", [new V1.GetRequest { Kind = "vs", Name = "nope" }]);

        Assert.Equal(0, applied.Code);
        Assert.Equal(V1.ApplyOutcome.Created, V1.ApplyResponse.Parser.ParseFrom(applied.ResponseBytes.Single()).Results.Single().Outcome);
        Assert.Equal("reviews", V1.ListResponse.Parser.ParseFrom(listed.ResponseBytes.Single()).Resources.Single().Metadata.Name);
        Assert.Equal(5, missing.Code);
        Assert.Contains("\"nope\" not found", missing.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_InvalidFromPython_IsInvalidArgumentListingEveryError()
    {
        await using var api = await ApiFixture.StartAsync();
        var apply = new V1.ApplyRequest();
        apply.Manifests.Add(new V1.Manifest { Source = "py.yaml", Content = Manifest.Replace("http:", "htp:", StringComparison.Ordinal) + "\n    weight: -1" });

        var result = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "unary", "/runtime.mesh.v1.ConfigService/Apply", [apply]);

        Assert.Equal(3, result.Code);
        Assert.Contains("spec.htp", result.Details, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FromPythonWithDeadline_StreamsStateThenDeadlineExceeded()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.Client.ApplyAsync(Manifest);

        var result = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "server_streaming", "/runtime.mesh.v1.ConfigService/Watch", [new V1.WatchRequest()], timeoutSeconds: 1.5);

        Assert.Equal(4, result.Code);
        var events = result.ResponseBytes.Select(V1.WatchEvent.Parser.ParseFrom).ToList();
        Assert.Equal([V1.WatchEventType.Added, V1.WatchEventType.Bookmark], events.Select(e => e.Type));
    }

    [Theory]
    [InlineData("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")]
    public async Task Reflection_FromPython_ListsManagementServicesAndDescribesThem(string method)
    {
        await using var api = await ApiFixture.StartAsync();

        var result = await PythonGrpc.CallAsync(api.Silo.GrpcAddress, "bidi", method, [ReflectionRequest.ListServices(), ReflectionRequest.FileContainingSymbol("runtime.mesh.v1.ConfigService")]);

        Assert.Equal(0, result.Code);
        var responses = result.ResponseBytes.ToList();
        var services = ReflectionRequest.ServiceNames(responses[0]);
        Assert.Contains("runtime.mesh.v1.ConfigService", services);
        Assert.Contains("runtime.mesh.v1.ServerInfoService", services);
        var files = ReflectionRequest.FileDescriptors(responses[1]).Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        var config = files.Single(f => f.Name == "runtime/mesh/v1/config.proto");
        Assert.Contains(config.Service, s => s.Name == "ConfigService" && s.Method.Any(m => m.Name == "Watch" && m.ServerStreaming));
        Assert.Contains(files, f => f.Name == "google/protobuf/struct.proto");
    }

    /// <summary>
    /// Just enough of grpc.reflection's wire format, written against its field numbers, so this test depends
    /// on the protocol and not on the transport's own (internal) message types.
    /// </summary>
    private static class ReflectionRequest
    {
        public static RawMessage ListServices() => new RawMessage(7, ByteString.Empty);

        public static RawMessage FileContainingSymbol(string symbol) => new RawMessage(4, ByteString.CopyFromUtf8(symbol));

        // ServerReflectionResponse.list_services_response (6) -> ListServiceResponse.service (1) -> ServiceResponse.name (1).
        public static List<string> ServiceNames(byte[] response) =>
            [.. Fields(response, 6).SelectMany(list => Fields(list, 1)).SelectMany(service => Fields(service, 1)).Select(n => System.Text.Encoding.UTF8.GetString(n))];

        // ServerReflectionResponse.file_descriptor_response (4) -> FileDescriptorResponse.file_descriptor_proto (1).
        public static List<byte[]> FileDescriptors(byte[] response) => [.. Fields(response, 4).SelectMany(r => Fields(r, 1))];

        private static List<byte[]> Fields(byte[] message, int number)
        {
            var input = new CodedInputStream(message);
            var found = new List<byte[]>();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    found.Add(input.ReadBytes().ToByteArray());
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return found;
        }
    }

    /// <summary>A message of one length-delimited field, enough to send a reflection request.</summary>
    private sealed class RawMessage(int field, ByteString value) : IMessage
    {
        public MessageDescriptor Descriptor => throw new NotSupportedException("raw test message");

        public void MergeFrom(CodedInputStream input) => throw new NotSupportedException("raw test message");

        public void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(value);
        }

        public int CalculateSize() => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeBytesSize(value);
    }
}
