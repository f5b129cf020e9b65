using Runtime.Grpc.Server;
using Runtime.Grpc.Tests.Echo;

namespace Runtime.Grpc.Tests.Server;

public sealed class GrpcServiceDefinitionBuilderTests
{
    private static GrpcServiceDefinitionBuilder Builder() => GrpcServiceDefinition.For(EchoReflection.Descriptor.Services[0]);

    [Fact]
    public void Build_ValidRegistrations_MapsEveryMethodPath()
    {
        var definition = Builder()
            .Unary<EchoRequest, EchoReply>("Echo", (r, c) => Task.FromResult(new EchoReply()))
            .ServerStreaming<CountRequest, CountReply>("Count", (r, w, c) => Task.CompletedTask)
            .Build();

        Assert.Equal(
            ["/runtime.grpc.tests.echo.EchoService/Echo", "/runtime.grpc.tests.echo.EchoService/Count"],
            definition.Handlers.Select(h => h.Path));
    }

    [Fact]
    public void Build_SeveralInvalidRegistrations_ReportsEveryProblemAtOnce()
    {
        var builder = Builder()
            .Unary<EchoRequest, EchoReply>("Nope", (r, c) => Task.FromResult(new EchoReply()))
            .Unary<CountRequest, EchoReply>("Echo", (r, c) => Task.FromResult(new EchoReply()))
            .Unary<CountRequest, CountReply>("Count", (r, c) => Task.FromResult(new CountReply()))
            .ServerStreaming<EchoRequest, EchoReply>("Slow", (r, w, c) => Task.CompletedTask);

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("'Nope' is not declared", error.Message, StringComparison.Ordinal);
        Assert.Contains("method Echo takes request type runtime.grpc.tests.echo.EchoRequest", error.Message, StringComparison.Ordinal);
        Assert.Contains("method Count is declared ServerStreaming but registered as Unary", error.Message, StringComparison.Ordinal);
        Assert.Contains("method Slow is declared Unary but registered as ServerStreaming", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 method registration problem(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MethodRegisteredTwice_Throws()
    {
        var builder = Builder()
            .Unary<EchoRequest, EchoReply>("Echo", (r, c) => Task.FromResult(new EchoReply()))
            .Unary<EchoRequest, EchoReply>("Echo", (r, c) => Task.FromResult(new EchoReply()));

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("registered more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BidiStreamingMethodAsUnary_ThrowsNamingTheKind()
    {
        var builder = Builder().Unary<EchoRequest, EchoReply>("Chat", (r, c) => Task.FromResult(new EchoReply()));

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("declared DuplexStreaming", error.Message, StringComparison.Ordinal);
    }
}
