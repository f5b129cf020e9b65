using Google.Rpc;
using Runtime.Grpc.Server.Reflection.V1;
using Runtime.Grpc.Tests.Echo;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Interop;

/// <summary>Our server against Debian's python3-grpcio client (grpc core, an independent implementation).</summary>
public sealed class PythonGrpcInteropTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Unary_PythonClient_GetsResponse()
    {
        var result = await PythonGrpc.CallAsync(_server.Address, "unary", EchoBehavior.Service + "Echo", [new EchoRequest { Text = "from python" }]);

        Assert.Equal("OK", result.CodeName);
        Assert.Equal("from python", EchoReply.Parser.ParseFrom(result.ResponseBytes.Single()).Text);
    }

    [Fact]
    public async Task ServerStreaming_PythonClient_GetsEveryMessage()
    {
        var result = await PythonGrpc.CallAsync(_server.Address, "server_streaming", EchoBehavior.Service + "Count", [new CountRequest { Count = 4 }]);

        Assert.Equal("OK", result.CodeName);
        Assert.Equal([0, 1, 2, 3], result.ResponseBytes.Select(b => CountReply.Parser.ParseFrom(b).Index));
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_PythonSeesMessagesThenStatus()
    {
        var result = await PythonGrpc.CallAsync(_server.Address, "server_streaming", EchoBehavior.Service + "Count", [new CountRequest { Count = 4, FailAfter = 2 }]);

        Assert.Equal("ABORTED", result.CodeName);
        Assert.Equal("stopped after 2 replies", result.Details);
        Assert.Equal(2, result.Responses.Count);
    }

    [Fact]
    public async Task Error_PythonClient_GetsStatusMessageAndDetails()
    {
        const string Message = "weight must be ≥ 0\nsee docs: 100% required";
        var request = new FailRequest { Code = (int)GrpcStatusCode.InvalidArgument, Message = Message, Field = "spec.weight" };

        var result = await PythonGrpc.CallAsync(_server.Address, "unary", EchoBehavior.Service + "Fail", [request]);

        Assert.Equal("INVALID_ARGUMENT", result.CodeName);
        Assert.Equal(3, result.Code);
        Assert.Equal(Message, result.Details);
        var status = Status.Parser.ParseFrom(Convert.FromHexString(result.TrailingMetadata["grpc-status-details-bin"]));
        Assert.Equal(3, status.Code);
        Assert.Equal("spec.weight", status.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Deadline_PythonTimeout_DeadlineExceededAndHandlerCancelled()
    {
        // No delay: the handler waits for its token alone, so only the deadline can end it. The
        // deadline starts once python's channel is connected and is ample for the request to arrive.
        var request = new SlowRequest();

        var result = await PythonGrpc.CallAsync(_server.Address, "unary", EchoBehavior.Service + "Slow", [request], timeoutSeconds: 2);

        Assert.Equal("DEADLINE_EXCEEDED", result.CodeName);
        Assert.True(await _server.Echo.SlowCancelled.Task.Within());
    }

    [Fact]
    public async Task UnknownMethod_PythonClient_Unimplemented()
    {
        var result = await PythonGrpc.CallAsync(_server.Address, "unary", EchoBehavior.Service + "Unmapped", [new EchoRequest()]);

        Assert.Equal("UNIMPLEMENTED", result.CodeName);
    }

    [Theory]
    [InlineData("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")]
    public async Task Reflection_PythonBidiStream_ListsServicesAndResolvesSymbol(string method)
    {
        var result = await PythonGrpc.CallAsync(
            _server.Address,
            "bidi",
            method,
            [
                new ServerReflectionRequest { ListServices = "" },
                new ServerReflectionRequest { FileContainingSymbol = "runtime.grpc.tests.echo.EchoService" },
            ]);

        Assert.Equal("OK", result.CodeName);
        var responses = result.ResponseBytes.Select(ServerReflectionResponse.Parser.ParseFrom).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Contains("runtime.grpc.tests.echo.EchoService", responses[0].ListServicesResponse.Service.Select(s => s.Name));
        Assert.Equal(
            "echo.proto",
            Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(responses[1].FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }
}
