using Runtime.Abstractions.CommandLine;

namespace Runtime.Abstractions.Tests.CommandLine;

public sealed class FlagSetTests
{
    private static readonly FlagSet<Options> Flags = new(
        "test - a process",
        "test [flags]",
        [
            new("--port", "T_PORT", "a port", "80", (o, v) => FlagValues.ReadPort(v, p => o.Port = p)),
            new("--name", "T_NAME", "a name", "x", (o, v) => { o.Name = v; return null; }),
            new("--label", "T_LABELS", "key=value", "none", (o, v) => { o.Labels.Add(v); return v.Contains('=', StringComparison.Ordinal) ? null : "is not key=value"; }, o => o.Labels.Clear()),
        ]);

    [Fact]
    public void Parse_FlagAndVariable_FlagWins()
    {
        var result = Flags.Parse(["--port", "8080"], Env(("T_PORT", "9090"), ("T_NAME", "from-env")));

        Assert.Empty(result.Errors);
        Assert.Equal(8080, result.Options.Port);
        Assert.Equal("from-env", result.Options.Name);
    }

    [Fact]
    public void Parse_RepeatableFlags_ReplaceTheVariablesList()
    {
        var fromEnv = Flags.Parse([], Env(("T_LABELS", "app=a, version=v1")));
        var fromFlags = Flags.Parse(["--label", "app=b", "--label=version=v2"], Env(("T_LABELS", "app=a,version=v1")));

        Assert.Equal(["app=a", "version=v1"], fromEnv.Options.Labels);
        Assert.Equal(["app=b", "version=v2"], fromFlags.Options.Labels);
    }

    [Fact]
    public void Parse_SeveralBadValues_ReportsEveryOneWithFlagAndVariable()
    {
        var result = Flags.Parse(["--port", "99999", "--label", "nokey", "--bogus", "--name"], Env(("T_PORT", "abc")));

        Assert.Equal(5, result.Errors.Count);
        Assert.Contains(result.Errors, e => e == "--port (T_PORT): T_PORT='abc' is not a port number; use 0-65535 (0 picks a free port)");
        Assert.Contains(result.Errors, e => e.StartsWith("--port (T_PORT): --port '99999'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e == "--label (T_LABELS): --label 'nokey' is not key=value");
        Assert.Contains(result.Errors, e => e.StartsWith("unknown argument '--bogus'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--name (T_NAME) needs a value", StringComparison.Ordinal));
    }

    [Fact]
    public void HelpText_ListsEveryFlagVariableAndDefault()
    {
        var help = Flags.Parse(["-h"], Env()).HelpRequested ? Flags.HelpText : "";

        Assert.Contains("--port <value>", help, StringComparison.Ordinal);
        Assert.Contains("T_LABELS", help, StringComparison.Ordinal);
        Assert.Contains("(repeatable; the variable takes a comma-separated list)", help, StringComparison.Ordinal);
        Assert.Contains("(default 80)", help, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Env(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => (string?)v.Value);

    private sealed class Options
    {
        public int Port { get; set; } = 80;

        public string Name { get; set; } = "x";

        public List<string> Labels { get; } = [];
    }
}
