using Runtime.Abstractions.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tests.Security;

public sealed class CanonicalPathFlagTests
{
    [Theory]
    [InlineData(null, null, CanonicalPathMode.Strict)]
    [InlineData("NONE", null, CanonicalPathMode.None)]
    [InlineData("base", null, CanonicalPathMode.Base)]
    [InlineData("MERGE_SLASHES", null, CanonicalPathMode.MergeSlashes)]
    [InlineData(null, "DECODE_AND_MERGE_SLASHES", CanonicalPathMode.DecodeAndMergeSlashes)]
    [InlineData(null, "STRICT", CanonicalPathMode.Strict)]
    public void Parse_PathNormalization_FlagOrEnvironmentSelectsTheMode(string? flag, string? environment, CanonicalPathMode expected)
    {
        var args = new List<string> { "--service", "reviews" };
        if (flag is not null)
        {
            args.AddRange(["--path-normalization", flag]);
        }

        var result = SidecarCommandLine.Flags.Parse(args, new Dictionary<string, string?> { ["MESH_PATH_NORMALIZATION"] = environment });

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Options.PathNormalization);
    }

    [Fact]
    public void Parse_UnknownPathNormalization_ErrorNamesTheFlagAndTheChoices()
    {
        var result = SidecarCommandLine.Flags.Parse(["--service", "reviews", "--path-normalization", "LOOSE"], new Dictionary<string, string?>());

        var error = Assert.Single(result.Errors);
        Assert.Contains("--path-normalization", error, StringComparison.Ordinal);
        Assert.Contains("DECODE_AND_MERGE_SLASHES", error, StringComparison.Ordinal);
    }
}
