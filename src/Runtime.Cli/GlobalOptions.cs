using System.CommandLine;

namespace Runtime.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:15010";
    public const string ServerVariable = "MESH_SERVER";

    public static readonly Option<string> Server = new("--server", "-s")
    {
        Description = $"Control plane gRPC address (env {ServerVariable}; default {DefaultServer})",
        Recursive = true,
    };

    public static readonly Option<TimeSpan> RequestTimeout = new("--request-timeout")
    {
        Description = "How long to wait for the control plane, e.g. 30s (0 waits forever)",
        Recursive = true,
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = result => DurationText.Parse(result),
    };

    /// <summary>The server address from the flag, then the environment, then the default.</summary>
    public static Uri ResolveServer(ParseResult parse)
    {
        var text = parse.GetValue(Server);
        if (string.IsNullOrWhiteSpace(text))
        {
            text = Environment.GetEnvironmentVariable(ServerVariable);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            text = DefaultServer;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--server '{text}' is not an http:// or https:// address such as {DefaultServer}");
        }

        return uri;
    }
}
