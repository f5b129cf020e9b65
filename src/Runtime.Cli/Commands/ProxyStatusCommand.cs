using System.CommandLine;
using Runtime.Cli.Api;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl proxy-status [-n NS]</c>: every registered sidecar and whether it runs the latest config.</summary>
internal static class ProxyStatusCommand
{
    public static Command Create(CliConsole console)
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Only proxies of this namespace (default: every namespace)" };
        var command = new Command("proxy-status", "Show each sidecar's sync state: SYNCED, STALE, NACKED or DISCONNECTED") { ns };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var proxies = await client.ListProxiesAsync(cancellationToken).ConfigureAwait(false);
            var only = parse.GetValue(ns);
            var rows = proxies
                .Where(p => string.IsNullOrEmpty(only) || p.Namespace == only)
                .OrderBy(p => p.Namespace, StringComparer.Ordinal)
                .ThenBy(p => p.Service, StringComparer.Ordinal)
                .ThenBy(p => p.Instance, StringComparer.Ordinal)
                .ToList();
            if (rows.Count == 0)
            {
                await console.Error.WriteLineAsync(string.IsNullOrEmpty(only) ? "No proxies registered." : $"No proxies registered in {only} namespace.").ConfigureAwait(false);
                return 0;
            }

            ProxyStatusTable.Write(console.Out, rows, DateTimeOffset.UtcNow);
            return 0;
        });
        return command;
    }
}
