using System.CommandLine;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Selection;
using Runtime.Cli.Api;
using Runtime.Cli.Output;

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
            var query = new Query(
                KindNames.Resolve(parse.GetValue(kind)!),
                parse.GetValue(names) ?? [],
                CommonOptions.NamespaceOrDefault(parse, ns),
                parse.GetValue(allNamespaces),
                ParseSelector(parse.GetValue(selector)));
            if (query.Names.Count > 0 && query.Kind is null)
            {
                throw new CliException("a resource name needs a single kind, e.g. meshctl get vs reviews");
            }

            var format = parse.GetValue(output)!;
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var (resources, revision, missing) = await ReadAsync(client, query, parse.GetValue(selector), cancellationToken).ConfigureAwait(false);

            if (resources.Count == 0 && missing.Count == 0)
            {
                await console.Error.WriteLineAsync(query.AllNamespaces ? "No resources found" : $"No resources found in {query.Namespace} namespace.").ConfigureAwait(false);
            }
            else if (resources.Count > 0)
            {
                var applied = format is "table" or "wide" ? await AppliedAsync(client, resources, cancellationToken).ConfigureAwait(false) : null;
                ResourcePrinter.Print(console.Out, resources, format, query.AllNamespaces, DateTimeOffset.UtcNow, applied);
            }

            // Like kubectl, show what exists and report each missing name.
            foreach (var line in missing)
            {
                await console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (parse.GetValue(watch))
            {
                await WatchAsync(console, client, query, revision, format, cancellationToken).ConfigureAwait(false);
            }

            return missing.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<(IReadOnlyList<MeshResource> Resources, long Revision, List<string> Missing)> ReadAsync(
        MeshApiClient client, Query query, string? selectorText, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (query.Names.Count == 0)
        {
            var listed = await client.ListAsync(query.Kind, query.Namespace, query.AllNamespaces, selectorText, cancellationToken).ConfigureAwait(false);
            return (listed.Resources, listed.Revision, missing);
        }

        var found = new List<MeshResource>();
        foreach (var name in query.Names)
        {
            try
            {
                found.Add(await client.GetAsync(query.Kind!, query.Namespace, name, cancellationToken).ConfigureAwait(false));
            }
            catch (CliException ex) when (ex.Message.StartsWith("Error from server (NotFound)", StringComparison.Ordinal))
            {
                missing.AddRange(ex.Lines);
            }
        }

        // A watch continues from the newest revision seen, so no change after these reads is lost.
        return (found, found.Count == 0 ? 0 : found.Max(r => r.Metadata.ResourceVersion), missing);
    }

    /// <summary>APPLIED counts for the routing resources listed; null (no column) when there are none.</summary>
    private static async Task<IReadOnlyDictionary<ResourceKey, AppliedCount>?> AppliedAsync(
        MeshApiClient client, IReadOnlyList<MeshResource> resources, CancellationToken cancellationToken)
    {
        ResourceKey[] keys = [.. resources.Where(r => ResourceColumns.IsRouting(r.Kind)).Select(r => r.Key)];
        if (keys.Length == 0)
        {
            return null;
        }

        var counts = await client.AppliedAsync(keys, cancellationToken).ConfigureAwait(false);
        return counts.ToDictionary(c => c.Key);
    }

    private static async Task WatchAsync(CliConsole console, MeshApiClient client, Query query, long revision, string format, CancellationToken cancellationToken)
    {
        var @namespace = query.AllNamespaces ? null : query.Namespace;
        await foreach (var change in client.WatchAsync(query.Kind, @namespace, revision, cancellationToken).ConfigureAwait(false))
        {
            if (change.Resource is not { } resource || !query.Matches(resource))
            {
                continue;
            }

            if (format is "table" or "wide")
            {
                var row = ResourceColumns.Row(resource, query.AllNamespaces, qualifiedName: true, DateTimeOffset.UtcNow);
                await console.Out.WriteLineAsync($"{change.Type.ToString().ToUpperInvariant(),-9} {string.Join("   ", row)}").ConfigureAwait(false);
            }
            else
            {
                ResourcePrinter.Print(console.Out, [resource], format, query.AllNamespaces, DateTimeOffset.UtcNow);
            }

            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static LabelSelector? ParseSelector(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : LabelSelector.TryParse(text, out var selector, out var error) ? selector
        : throw new CliException(error ?? $"label selector \"{text}\" is not valid");

    /// <summary>What the user asked for; watch events are filtered by the same names and selector.</summary>
    private sealed record Query(string? Kind, IReadOnlyList<string> Names, string Namespace, bool AllNamespaces, LabelSelector? Selector)
    {
        public bool Matches(MeshResource resource) =>
            (Names.Count == 0 || Names.Contains(resource.Metadata.Name, StringComparer.Ordinal))
            && (Selector is null || Selector.Matches(resource.Metadata.Labels));
    }
}
