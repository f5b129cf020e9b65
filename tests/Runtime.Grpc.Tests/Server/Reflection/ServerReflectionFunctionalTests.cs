using Google.Protobuf;
using Google.Protobuf.Reflection;
using Runtime.Grpc.Server.Reflection.V1;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Server.Reflection;

/// <summary>
/// Reflection is bidirectional streaming, which the public client does not offer; these tests speak
/// it over a raw HTTP/2 stream and keep the request body open to check answers arrive per request.
/// </summary>
public sealed class ServerReflectionFunctionalTests : IAsyncLifetime
{
    private const string V1Method = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    private const string V1AlphaMethod = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    private GrpcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData(V1Method)]
    [InlineData(V1AlphaMethod)]
    public async Task ListServices_BothVersions_ListsMappedAndReflectionServices(string method)
    {
        await using var stream = await ReflectionStream.OpenAsync(_server.Address, method);

        var response = await stream.AskAsync(new ServerReflectionRequest { Host = "h", ListServices = "*" });

        Assert.Equal("h", response.ValidHost);
        Assert.Equal(
            ["runtime.grpc.tests.echo.EchoService", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Theory]
    [InlineData("runtime.grpc.tests.echo.EchoService")]
    [InlineData("runtime.grpc.tests.echo.EchoService.Count")]
    [InlineData("runtime.grpc.tests.echo.CountReply")]
    [InlineData("runtime.grpc.tests.echo.CountReply.Stamp")]
    [InlineData("runtime.grpc.tests.echo.CountReply.Parity")]
    public async Task FileContainingSymbol_ServiceMethodMessageNestedEnum_ReturnsFileWithDependencies(string symbol)
    {
        await using var stream = await ReflectionStream.OpenAsync(_server.Address, V1Method);

        var response = await stream.AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("echo.proto", files[0].Name);
        Assert.Contains(files, f => f.Name == "google/protobuf/duration.proto");
        Assert.Equal("EchoService", files[0].Service.Single().Name);
        // The set is complete: it links into real descriptors without anything missing.
        var built = FileDescriptor.BuildFromByteStrings(response.FileDescriptorResponse.FileDescriptorProto.Reverse());
        Assert.Contains(built, f => f.FindTypeByName<MessageDescriptor>("CountReply") is not null);
    }

    [Fact]
    public async Task SeveralRequestsOnOneStream_EachAnsweredAsItArrives()
    {
        await using var stream = await ReflectionStream.OpenAsync(_server.Address, V1Method);

        var byName = await stream.AskAsync(new ServerReflectionRequest { FileByFilename = "google/rpc/status.proto" });
        var self = await stream.AskAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.reflection.v1.ServerReflection" });
        var missing = await stream.AskAsync(new ServerReflectionRequest { FileContainingSymbol = "no.such.Type" });
        var extension = await stream.AskAsync(new ServerReflectionRequest
        {
            FileContainingExtension = new ExtensionRequest { ContainingType = "runtime.grpc.tests.echo.EchoRequest", ExtensionNumber = 100 },
        });
        var numbers = await stream.AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "runtime.grpc.tests.echo.EchoRequest" });
        var unknownType = await stream.AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "no.such.Type" });

        // google/rpc/status.proto is not used by any mapped service.
        Assert.Equal((int)GrpcStatusCode.NotFound, byName.ErrorResponse.ErrorCode);
        Assert.Equal("grpc/reflection/v1/reflection.proto", FileDescriptorProto.Parser.ParseFrom(self.FileDescriptorResponse.FileDescriptorProto[0]).Name);
        Assert.Equal((int)GrpcStatusCode.NotFound, missing.ErrorResponse.ErrorCode);
        Assert.Equal("no.such.Type", missing.OriginalRequest.FileContainingSymbol);
        Assert.Equal((int)GrpcStatusCode.NotFound, extension.ErrorResponse.ErrorCode);
        Assert.Equal("runtime.grpc.tests.echo.EchoRequest", numbers.AllExtensionNumbersResponse.BaseTypeName);
        Assert.Empty(numbers.AllExtensionNumbersResponse.ExtensionNumber);
        Assert.Equal((int)GrpcStatusCode.NotFound, unknownType.ErrorResponse.ErrorCode);
        Assert.Equal(GrpcStatusCode.OK, await stream.CompleteAsync());
    }

    [Fact]
    public async Task FileByFilename_Dependency_ReturnsIt()
    {
        await using var stream = await ReflectionStream.OpenAsync(_server.Address, V1AlphaMethod);

        var response = await stream.AskAsync(new ServerReflectionRequest { FileByFilename = "google/protobuf/duration.proto" });

        Assert.Equal("google/protobuf/duration.proto", FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto.Single()).Name);
    }

    [Fact]
    public void V1AndV1AlphaMessages_AreWireIdentical()
    {
        var alpha = new Runtime.Grpc.Server.Reflection.V1Alpha.ServerReflectionResponse
        {
            ValidHost = "h",
            OriginalRequest = new() { FileContainingSymbol = "x.Y" },
            ErrorResponse = new() { ErrorCode = 5, ErrorMessage = "nope" },
        };

        var v1 = ServerReflectionResponse.Parser.ParseFrom(alpha.ToByteString());

        Assert.Equal("x.Y", v1.OriginalRequest.FileContainingSymbol);
        Assert.Equal(5, v1.ErrorResponse.ErrorCode);
        Assert.Equal(alpha.ToByteString(), v1.ToByteString());
    }
}
