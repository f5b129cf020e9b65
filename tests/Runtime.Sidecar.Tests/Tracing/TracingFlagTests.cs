using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tracing;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>The sidecar's tracing flags and environment variables.</summary>
public sealed class TracingFlagTests
{
    [Fact]
    public void Parse_NoTracingFlags_NoEndpointHttpProtobuf()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews"], new Dictionary<string, string?>());

        Assert.Empty(result.Errors);
        Assert.Null(result.Options.TracingEndpoint);
        Assert.Equal(TracingProtocol.HttpProtobuf, result.Options.TracingProtocol);
    }

    [Fact]
    public void Parse_FlagAndEnvironment_SetEndpointAndProtocol()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews", "--tracing-protocol", "grpc"], new Dictionary<string, string?> { ["MESH_TRACING_ENDPOINT"] = "http://collector:4317" });

        Assert.Empty(result.Errors);
        Assert.Equal(new Uri("http://collector:4317"), result.Options.TracingEndpoint);
        Assert.Equal(TracingProtocol.Grpc, result.Options.TracingProtocol);
    }

    [Theory]
    [InlineData("--tracing-endpoint", "collector:4318", "http:// or https://")]
    [InlineData("--tracing-endpoint", "ftp://collector", "http:// or https://")]
    [InlineData("--tracing-protocol", "thrift", "http or grpc")]
    public void Parse_InvalidValue_ErrorNamesTheFlag(string flag, string value, string hint)
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews", flag, value], new Dictionary<string, string?>());

        var error = Assert.Single(result.Errors);
        Assert.Contains(flag, error, StringComparison.Ordinal);
        Assert.Contains(hint, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://collector:4318", TracingProtocol.HttpProtobuf, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/custom/traces", TracingProtocol.HttpProtobuf, "http://collector:4318/custom/traces")]
    [InlineData("http://collector:4317", TracingProtocol.Grpc, "http://collector:4317/")]
    public void EndpointFor_HttpWithoutPath_GetsV1Traces(string url, TracingProtocol protocol, string expected) =>
        Assert.Equal(new Uri(expected), SpanExport.EndpointFor(new Uri(url), protocol));
}
