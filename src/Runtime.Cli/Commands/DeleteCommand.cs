using System.CommandLine;
using Runtime.Abstractions.Resources;
using Runtime.Cli.Api;
using Runtime.Cli.Manifests;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl delete -f FILE</c> or <c>meshctl delete KIND NAME... -n NS</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliConsole console)
    {
        var kind = new Argument<string>("kind") { Description = "Resource kind (vs, dr, gw, ...), when not using -f", Arity = ArgumentArity.ZeroOrOne };
        var names = new Argument<string[]>("name") { Description = "Resource names", Arity = ArgumentArity.ZeroOrMore };
        var files = CommonOptions.Files("Delete the resources named in these manifests");
        var recursive = CommonOptions.Recursive();
        var ns = CommonOptions.Namespace();
        var ignoreNotFound = new Option<bool>("--ignore-not-found") { Description = "Treat resources that do not exist as deleted" };

        var command = new Command("delete", "Delete resources by manifest or by kind and name") { kind, names, files, recursive, ns, ignoreNotFound };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var keys = Targets(parse, console, kind, names, files, recursive, ns);
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var failures = new List<string>();
            foreach (var (key, typeName) in keys)
            {
                try
                {
                    await client.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                    await console.Out.WriteLineAsync($"{typeName} \"{key.Name}\" deleted").ConfigureAwait(false);
                }
                catch (CliException ex) when (ex.Message.StartsWith("Error from server (NotFound)", StringComparison.Ordinal))
                {
                    if (!parse.GetValue(ignoreNotFound))
                    {
                        failures.AddRange(ex.Lines);
                    }
                }
            }

            // Like kubectl, report every failure after attempting every deletion.
            return failures.Count == 0 ? 0 : throw new CliException("some resources were not deleted", failures);
        });
        return command;
    }

    private static List<(ResourceKey Key, string TypeName)> Targets(
        ParseResult parse, CliConsole console, Argument<string> kind, Argument<string[]> names, Option<string[]> files, Option<bool> recursive, Option<string> ns)
    {
        var paths = parse.GetValue(files) ?? [];
        var kindText = parse.GetValue(kind);
        if (paths.Length > 0)
        {
            if (kindText is not null)
            {
                throw new CliException("give either -f FILE or KIND NAME, not both");
            }

            var resources = LocalManifests.ReadKeys(ManifestSources.Read(paths, parse.GetValue(recursive), console.In), parse.GetValue(ns));
            return [.. resources.Select(r => (r.Key, ResourceNames.TypeName(r.ApiVersion, r.Kind)))];
        }

        var wanted = parse.GetValue(names) ?? [];
        if (kindText is null || wanted.Length == 0)
        {
            throw new CliException("say what to delete: meshctl delete -f FILE, or meshctl delete KIND NAME [-n NAMESPACE]");
        }

        if (!MeshKinds.TryResolve(kindText, out var meshKind))
        {
            KindNames.Resolve(kindText);
        }

        var @namespace = CommonOptions.NamespaceOrDefault(parse, ns);
        var typeName = $"{meshKind!.Kind.ToLowerInvariant()}.{meshKind.Group}";
        return [.. wanted.Select(name => (new ResourceKey(meshKind.Kind, @namespace, name), typeName))];
    }
}
