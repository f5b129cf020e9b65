using System.CommandLine;
using System.Net;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl dashboard [--address URL] [--no-browser]</c>: prints the dashboard's URL and opens it in a browser.
/// The URL comes from the control plane (ServerInfo.GetVersion reports its HTTP listener) unless --address gives it.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>The UI's path on the control plane's HTTP listener.</summary>
    public const string Path = "/dashboard/";

    public static Command Create(CliConsole console)
    {
        var address = new Option<string?>("--address")
        {
            Description = "The control plane's HTTP address (e.g. http://127.0.0.1:15014); default: the one the server reports",
        };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Only print the URL; do not open a browser" };
        var command = new Command("dashboard", "Print the dashboard URL and open it in a browser") { address, noBrowser };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var server = GlobalOptions.ResolveServer(parse);
            Uri baseAddress;
            if (parse.GetValue(address) is { } given)
            {
                baseAddress = ParseAddress(given);
            }
            else
            {
                using var client = new MeshApiClient(server, parse.GetValue(GlobalOptions.RequestTimeout));
                var version = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                if (version.HttpAddress.Length == 0 || !Uri.TryCreate(version.HttpAddress, UriKind.Absolute, out var reported))
                {
                    throw new CliException($"the control plane at {server} did not report its HTTP address (an older version?); pass --address http://HOST:PORT");
                }

                baseAddress = Reachable(reported, server);
            }

            var url = new Uri(baseAddress, Path);
            await console.Out.WriteLineAsync($"Dashboard: {url}").ConfigureAwait(false);
            if (!parse.GetValue(noBrowser))
            {
                var opened = BrowserLauncher.TryOpen(url, Environment.GetEnvironmentVariable);
                if (opened is not null)
                {
                    await console.Error.WriteLineAsync($"note: {opened}; open the URL yourself").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Reads --address: an absolute http or https URL, or HOST:PORT (http assumed).</summary>
    public static Uri ParseAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? new Uri(uri.GetLeftPart(UriPartial.Authority))
            : throw new CliException($"--address '{text}' is not an http(s) address; give e.g. http://127.0.0.1:15014");
    }

    /// <summary>
    /// A listener bound to every interface (0.0.0.0 or ::) reports that address, which a browser cannot use: the
    /// host meshctl reached the control plane at is used instead, with the reported scheme and port.
    /// </summary>
    public static Uri Reachable(Uri reported, Uri server)
    {
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(server);
        return IPAddress.TryParse(reported.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            ? new UriBuilder(reported) { Host = server.Host }.Uri
            : reported;
    }
}
