using System.CommandLine;
using System.Reflection;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl version [--client]</c>: the client's version and, unless --client, the server's.</summary>
internal static class VersionCommand
{
    public static string ClientVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static Command Create(CliConsole console)
    {
        var clientOnly = new Option<bool>("--client") { Description = "Print only the client version; do not contact the server" };
        var command = new Command("version", "Print the client and server versions") { clientOnly };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            await console.Out.WriteLineAsync($"Client Version: {ClientVersion}").ConfigureAwait(false);
            if (parse.GetValue(clientOnly))
            {
                return 0;
            }

            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var server = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"Server Version: {server.Version} (store {server.Store}, revision {server.Revision}, API {server.ApiVersion})").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
