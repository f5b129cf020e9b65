using System.Text;
using System.Text.Json;
using Runtime.Abstractions.Mesh;
using Runtime.Sidecar.AccessLogging;

namespace Runtime.Sidecar.Tests.MeshConfig;

/// <summary>Lines rendered from mesh config format strings and JSON labels.</summary>
public sealed class AccessLogTemplateLineTests
{
    private static readonly AccessLogEntry Entry = new()
    {
        StartTime = new DateTime(2026, 11, 22, 1, 2, 3, 456, DateTimeKind.Utc),
        Outbound = true,
        Method = "POST",
        Path = "/api?x=1",
        Protocol = "HTTP/2",
        ResponseCode = 503,
        ResponseFlags = "UH",
        BytesReceived = 12,
        BytesSent = 34,
        DurationMs = 5,
        UserAgent = "curl\n/8",
    };

    [Fact]
    public void Append_TextTemplate_OneLineWithMissingAsDashAndControlCharactersReplaced()
    {
        var template = AccessLogTemplate.Parse("[%START_TIME%] %REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST% 100%% %REQ(USER-AGENT)%\n", out var error);
        Assert.Null(error);
        var line = new StringBuilder();

        AccessLogLine.Append(line, Entry with { Output = new AccessLogOutput(AccessLogOutput.Stdout, null, template, null) }, AccessLogFormat.Json);

        Assert.Equal("[2026-11-22T01:02:03.456Z] POST /api?x=1 503 UH - 100% curl /8\n", line.ToString());
    }

    [Fact]
    public void Append_JsonLabels_NumbersNullsAndStrings()
    {
        var labels = AccessLogTemplate.ParseLabels("""{"code":"%RESPONSE_CODE%","host":"%UPSTREAM_HOST%","req":"%REQ(:METHOD)% %REQ(:PATH)%"}""", out var error);
        Assert.Null(error);
        var line = new StringBuilder();

        AccessLogLine.Append(line, Entry with { Output = new AccessLogOutput(AccessLogOutput.Stdout, AccessLogEncoding.Json, null, labels) }, AccessLogFormat.Text);

        Assert.EndsWith("\n", line.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line.ToString());
        Assert.Equal(503, json.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("host").ValueKind);
        Assert.Equal("POST /api?x=1", json.RootElement.GetProperty("req").GetString());
    }

    [Fact]
    public void Append_EncodingOnly_OverridesTheSidecarFormat()
    {
        var line = new StringBuilder();

        AccessLogLine.Append(line, Entry with { Output = new AccessLogOutput("/tmp/x.log", AccessLogEncoding.Json, null, null) }, AccessLogFormat.Text);

        using var json = JsonDocument.Parse(line.ToString());
        Assert.Equal("outbound", json.RootElement.GetProperty("direction").GetString());
    }

    [Theory]
    [InlineData("%START_TIME", "unterminated operator")]
    [InlineData("%REQ(:PATH):abc%", "operator '%REQ(:PATH):abc%' is not supported")]
    [InlineData("%DYNAMIC_METADATA(istio)%", "operator '%DYNAMIC_METADATA(istio)%' is not supported")]
    public void Parse_Unsupported_ErrorNamesTheOperator(string format, string message)
    {
        Assert.Null(AccessLogTemplate.Parse(format, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
