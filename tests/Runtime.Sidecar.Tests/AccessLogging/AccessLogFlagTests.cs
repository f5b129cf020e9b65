using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Hosting;

namespace Runtime.Sidecar.Tests.AccessLogging;

public sealed class AccessLogFlagTests
{
    [Fact]
    public void Parse_NoAccessLogFlags_TextToStdout()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews"], new Dictionary<string, string?>());

        Assert.Empty(result.Errors);
        Assert.Equal(AccessLogFormat.Text, result.Options.AccessLogFormat);
        Assert.Equal("stdout", result.Options.AccessLogPath);
    }

    [Fact]
    public void Parse_FlagAndEnvironment_SetFormatAndPath()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews", "--access-log-format", "JSON"], new Dictionary<string, string?> { ["MESH_ACCESS_LOG_PATH"] = "access.log" });

        Assert.Empty(result.Errors);
        Assert.Equal(AccessLogFormat.Json, result.Options.AccessLogFormat);
        Assert.Equal("access.log", result.Options.AccessLogPath);
    }

    [Fact]
    public void Parse_UnknownFormat_ErrorNamesTheFlagAndTheChoices()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews", "--access-log-format", "xml"], new Dictionary<string, string?>());

        var error = Assert.Single(result.Errors);
        Assert.Contains("--access-log-format", error, StringComparison.Ordinal);
        Assert.Contains("text or json", error, StringComparison.Ordinal);
    }
}
