using System.CommandLine;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using Runtime.Cli.Manifests;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl validate -f FILE</c>: checks manifests offline, with no server, and lists every finding.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files("Manifest file, directory, or - for standard input (repeatable)");
        var recursive = CommonOptions.Recursive();
        var ns = CommonOptions.Namespace();
        var command = new Command("validate", "Validate manifests offline (no control plane needed); exits 1 when any document is invalid")
        {
            files, recursive, ns,
        };
        CommandRunner.SetAction(command, console, (parse, _) =>
        {
            var manifests = ManifestSources.Read(parse.GetValue(files) ?? [], parse.GetValue(recursive), console.In);
            return Task.FromResult(Report(console, manifests, parse.GetValue(ns), dryRunSuffix: null));
        });
        return command;
    }

    /// <summary>
    /// Validates locally and prints the result: every error and warning on standard error; on success, either
    /// one "valid" line per resource or, for <c>apply --dry-run=client</c>, kubectl's "created (dry run)" lines.
    /// </summary>
    public static int Report(CliConsole console, IReadOnlyList<ManifestText> manifests, string? defaultNamespace, string? dryRunSuffix)
    {
        var errors = 0;
        var resources = new List<MeshResource>();
        foreach (var manifest in manifests)
        {
            var result = ManifestReader.Read(manifest.Content, manifest.Source, defaultNamespace);
            foreach (var issue in result.Issues)
            {
                // A warning's text already says "warning:" after its file:line, as compilers print it.
                console.Error.WriteLine(issue.Severity == IssueSeverity.Error ? "error: " + issue : issue.ToString());
                errors += issue.Severity == IssueSeverity.Error ? 1 : 0;
            }

            resources.AddRange(result.Resources);
        }

        if (errors > 0)
        {
            console.Error.WriteLine($"{errors} error{(errors == 1 ? "" : "s")} found; nothing would be applied");
            return 1;
        }

        foreach (var resource in resources)
        {
            console.Out.WriteLine(dryRunSuffix is null
                ? $"{ResourceNames.Qualified(resource)} valid"
                : $"{ResourceNames.Qualified(resource)} validated{dryRunSuffix}");
        }

        if (resources.Count == 0)
        {
            console.Error.WriteLine("no mesh resources found in the manifests");
        }

        return 0;
    }
}
