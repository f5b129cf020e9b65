using System.CommandLine;
using Runtime.Abstractions.Resources;
using Runtime.Cli.Api;
using Runtime.Cli.Output;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl get KIND [NAME...] [-n NS | -A] [-l SELECTOR] [-o FORMAT] [-w]</c>.</summary>
internal static class GetCommand
{
    public static Command Create(CliConsole console)
    {
        var kind = new Argument<string>("kind") { Description = "Resource kind: virtualservice (vs), destinationrule (dr), gateway (gw), serviceentry (se), peerauthentication (pa), authorizationpolicy (ap), requestauthentication (ra), telemetry, or all" };
        var names = new Argument<string[]>("name") { Description = "Resource names (all when omitted)", Arity = ArgumentArity.ZeroOrMore };
        var ns = CommonOptions.Namespace();
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List across every namespace" };
        var selector = new Option<string>("--selector", "-l") { Description = "Label selector, e.g. app=reviews,version!=v1" };
        var output = new Option<string>("--output", "-o") { Description = "table (default), yaml, json or name", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong(ResourcePrinter.Formats);
        var watch = new Option<bool>("--watch", "-w") { Description = "After listing, print changes as they happen" };

        var command = new Command("get", "List or show resources") { kind, names, ns, allNamespaces, selector, output, watch };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var kindName = KindNames.Resolve(parse.GetValue(kind)!);
            var wanted = parse.GetValue(names) ?? [];
            var all = parse.GetValue(allNamespaces);
            var @namespace = CommonOptions.NamespaceOrDefault(parse, ns);
            var format = parse.GetValue(output)!;
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));

            IReadOnlyList<MeshResource> resources;
            if (wanted.Length > 0)
            {
                if (kindName is null)
                {
                    throw new CliException("a resource name needs a single kind, e.g. meshctl get vs reviews");
                }

                var found = new List<MeshResource>();
                foreach (var name in wanted)
                {
                    found.Add(await client.GetAsync(kindName, @namespace, name, cancellationToken).ConfigureAwait(false));
                }

                resources = found;
            }
            else
            {
                resources = await client.ListAsync(kindName, @namespace, all, parse.GetValue(selector), cancellationToken).ConfigureAwait(false);
            }

            if (resources.Count == 0)
            {
                await console.Error.WriteLineAsync(all ? "No resources found" : $"No resources found in {@namespace} namespace.").ConfigureAwait(false);
            }
            else
            {
                ResourcePrinter.Print(console.Out, resources, format, all, DateTimeOffset.UtcNow);
            }

            if (parse.GetValue(watch))
            {
                await WatchAsync(console, client, kindName, all ? null : @namespace, format, all, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task WatchAsync(CliConsole console, MeshApiClient client, string? kind, string? @namespace, string format, bool withNamespace, CancellationToken cancellationToken)
    {
        var live = false;
        await foreach (var change in client.WatchAsync(kind, @namespace, cancellationToken).ConfigureAwait(false))
        {
            if (change.Type == V1.WatchEventType.Bookmark)
            {
                // Everything before the bookmark is the state just listed.
                live = true;
                continue;
            }

            if (!live || change.Resource is null)
            {
                continue;
            }

            if (format is "table" or "wide")
            {
                var row = ResourceColumns.Row(change.Resource, withNamespace, qualifiedName: true, DateTimeOffset.UtcNow);
                await console.Out.WriteLineAsync($"{change.Type.ToString().ToUpperInvariant(),-9} {string.Join("   ", row)}").ConfigureAwait(false);
            }
            else
            {
                ResourcePrinter.Print(console.Out, [change.Resource], format, withNamespace, DateTimeOffset.UtcNow);
            }

            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
