using System.CommandLine;
using Runtime.Cli.Api;
using Runtime.Cli.Manifests;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl apply -f FILE|DIR|-</c>: stores every resource of the manifests, all or nothing.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files("Manifest file, directory, or - for standard input (repeatable)");
        var recursive = CommonOptions.Recursive();
        var ns = CommonOptions.Namespace();
        var dryRun = new Option<string>("--dry-run")
        {
            Description = "none (default), client (validate locally) or server (validate and compute the outcome on the server, store nothing)",
            DefaultValueFactory = _ => "none",
        };
        dryRun.AcceptOnlyFromAmong("none", "client", "server");

        var command = new Command("apply", "Create or update resources from manifests; nothing is stored unless every document is valid")
        {
            files, recursive, ns, dryRun,
        };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var manifests = ManifestSources.Read(parse.GetValue(files) ?? [], parse.GetValue(recursive), console.In);
            var mode = parse.GetValue(dryRun);
            var defaultNamespace = parse.GetValue(ns);
            if (defaultNamespace is { Length: > 0 })
            {
                LocalManifests.RequireNamespace(manifests, defaultNamespace);
            }

            if (mode == "client")
            {
                return ValidateCommand.Report(console, manifests, defaultNamespace, dryRunSuffix: " (dry run)");
            }

            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var reply = await client.ApplyAsync(manifests, defaultNamespace, mode == "server", cancellationToken).ConfigureAwait(false);
            foreach (var warning in reply.Warnings)
            {
                await console.Error.WriteLineAsync("Warning: " + warning).ConfigureAwait(false);
            }

            var suffix = mode == "server" ? " (server dry run)" : "";
            foreach (var result in reply.Results)
            {
                await console.Out.WriteLineAsync($"{ResourceNames.Qualified(result.Resource)} {Word(result.Outcome)}{suffix}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static string Word(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Created => "created",
        ApplyOutcome.Unchanged => "unchanged",
        _ => "configured",
    };
}
