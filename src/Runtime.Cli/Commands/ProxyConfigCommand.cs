using System.CommandLine;
using Runtime.Abstractions.Discovery;
using Runtime.Cli.Api;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl proxy-config routes|clusters|endpoints|all PROXY [-o table|json|yaml]</c>: what one sidecar was sent,
/// with the outlier-detection state the proxies report for its endpoints.
/// </summary>
internal static class ProxyConfigCommand
{
    private static readonly string[] Sections = ["routes", "clusters", "endpoints", "all"];
    private static readonly string[] Formats = ["table", "json", "yaml"];

    public static Command Create(CliConsole console)
    {
        var section = new Argument<string>("section") { Description = "routes (VirtualService HTTP routes per host), clusters (services and DestinationRule subsets), endpoints, or all" };
        section.AcceptOnlyFromAmong(Sections);
        var proxy = new Argument<string>("proxy") { Description = "Proxy id, instance name, or <service>.<namespace> when it has one instance (see meshctl proxy-status)" };
        var output = new Option<string>("--output", "-o") { Description = "table (default), or json / yaml for the whole snapshot", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong(Formats);

        var command = new Command("proxy-config", "Show the configuration the control plane last pushed to one sidecar") { section, proxy, output };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var snapshot = await client.GetProxySnapshotAsync(parse.GetValue(proxy)!, cancellationToken).ConfigureAwait(false);
            var which = parse.GetValue(section)!;
            var format = parse.GetValue(output);
            // Outlier state is live, not part of the pushed snapshot: asked for only where it is shown.
            var outlier = format != "table" || which is "endpoints" or "all"
                ? await client.ListEndpointHealthAsync(host: null, cancellationToken).ConfigureAwait(false)
                : MeshOutlierHealth.Empty;
            switch (format)
            {
                case "json":
                    await console.Out.WriteLineAsync(SnapshotWriter.ToJson(snapshot, outlier)).ConfigureAwait(false);
                    return 0;
                case "yaml":
                    await console.Out.WriteAsync(SnapshotWriter.ToYaml(snapshot, outlier)).ConfigureAwait(false);
                    return 0;
            }

            var printed = false;
            foreach (var (name, write) in new (string Name, Action<TextWriter, ProxySnapshot> Write)[]
                     {
                         ("routes", ProxyConfigTables.Routes), ("clusters", ProxyConfigTables.Clusters), ("endpoints", (o, s) => ProxyConfigTables.Endpoints(o, s, outlier)),
                     })
            {
                if (which != "all" && which != name)
                {
                    continue;
                }

                if (printed)
                {
                    await console.Out.WriteLineAsync().ConfigureAwait(false);
                }

                write(console.Out, snapshot);
                printed = true;
            }

            return 0;
        });
        return command;
    }
}
