using System.CommandLine;
using Runtime.Abstractions.Analysis;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using Runtime.Cli.Api;
using Runtime.Cli.Manifests;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl analyze</c>: cross-resource checks like <c>istioctl analyze</c>. With <c>-f</c> it reads files
/// only (no server); without, it analyzes everything the control plane holds against its live registry;
/// <c>-f --with-server</c> lays the files over the server's configuration. Exits 1 when a finding reaches
/// <c>--failure-threshold</c> (Error by default) or a manifest is invalid.
/// </summary>
internal static class AnalyzeCommand
{
    private static readonly string[] Formats = ["text", "json", "yaml"];
    private static readonly string[] Levels = ["Error", "Warning", "Info"];

    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files("Manifest file, directory, or - for standard input (repeatable); analyzed offline unless --with-server");
        var recursive = CommonOptions.Recursive();
        var ns = new Option<string>("--namespace", "-n")
        {
            Description = "With -f: namespace for documents that name none (default \"default\"). Online: report findings of this namespace only",
        };
        var withServer = new Option<bool>("--with-server") { Description = "With -f: analyze the files together with the control plane's configuration and live service registry" };
        var output = new Option<string>("--output", "-o") { Description = "text (default), json or yaml", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong(Formats);
        var threshold = new Option<string>("--failure-threshold") { Description = "Exit 1 when a finding is at least this level: Error (default), Warning or Info", DefaultValueFactory = _ => "Error" };
        threshold.AcceptOnlyFromAmong(Levels);

        var command = new Command("analyze", "Find cross-resource mistakes (unknown hosts and subsets, shadowed rules, conflicts, missing Gateways, retry budgets); exits 1 on an Error finding")
        {
            files, recursive, ns, withServer, output, threshold,
        };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files) ?? [];
            var namespaceFlag = parse.GetValue(ns);
            AnalysisInput input;
            string scope;
            string? onlyNamespace = null;
            if (paths.Length > 0)
            {
                var manifests = ManifestSources.Read(paths, parse.GetValue(recursive), console.In);
                var read = ManifestAnalysis.Read(manifests.Select(m => (m.Source, m.Content)), namespaceFlag is { Length: > 0 } ? namespaceFlag : null);
                if (!Validate(console, read.Issues))
                {
                    return 1;
                }

                input = read.Input;
                scope = $"{read.FileCount} file{(read.FileCount == 1 ? "" : "s")}";
                if (parse.GetValue(withServer))
                {
                    using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
                    var live = await ReadServerAsync(client, cancellationToken).ConfigureAwait(false);
                    var overridden = input.Resources.Select(r => r.Resource.Key).ToHashSet();
                    input = new AnalysisInput
                    {
                        Resources = [.. live.Resources.Where(r => !overridden.Contains(r.Resource.Key)), .. input.Resources],
                        Services = live.Services,
                        RegistryComplete = true,
                    };
                    scope += " with the control plane's configuration";
                }
            }
            else
            {
                if (parse.GetValue(withServer))
                {
                    throw new CliException("--with-server needs -f: without -f, analyze already uses the control plane");
                }

                using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
                input = await ReadServerAsync(client, cancellationToken).ConfigureAwait(false);
                onlyNamespace = namespaceFlag is { Length: > 0 } ? namespaceFlag : null;
                scope = onlyNamespace is null ? "the control plane (all namespaces)" : $"the control plane (namespace {onlyNamespace})";
            }

            var report = ConfigAnalyzer.Analyze(input);
            var findings = report.Findings.Where(f => onlyNamespace is null || f.Resource.Namespace == onlyNamespace).ToList();
            await PrintAsync(console, parse.GetValue(output)!, findings, report, scope).ConfigureAwait(false);
            var failAt = Enum.Parse<FindingLevel>(parse.GetValue(threshold)!);
            return findings.Any(f => f.Level <= failAt) ? 1 : 0;
        });
        return command;
    }

    /// <summary>Invalid manifests are reported exactly as <c>meshctl validate</c> does; analysis needs valid input.</summary>
    private static bool Validate(CliConsole console, IReadOnlyList<ValidationIssue> issues)
    {
        var errors = 0;
        foreach (var issue in issues)
        {
            var error = issue.Severity == IssueSeverity.Error;
            // A warning's text already says "warning:" after its file:line, as compilers print it.
            console.Error.WriteLine(error ? "error: " + issue : issue.ToString());
            errors += error ? 1 : 0;
        }

        if (errors > 0)
        {
            console.Error.WriteLine($"{errors} validation error{(errors == 1 ? "" : "s")} found; fix them (see meshctl validate) before analyzing");
        }

        return errors == 0;
    }

    private static async Task PrintAsync(CliConsole console, string format, List<Finding> findings, AnalysisReport report, string scope)
    {
        switch (format)
        {
            case "json":
                await console.Out.WriteAsync(FindingDocuments.ToJson(findings)).ConfigureAwait(false);
                break;
            case "yaml":
                await console.Out.WriteAsync(FindingDocuments.ToYaml(findings)).ConfigureAwait(false);
                break;
            default:
                foreach (var finding in findings)
                {
                    await console.Out.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
                }

                break;
        }

        var resources = $"{report.ResourceCount} resource{(report.ResourceCount == 1 ? "" : "s")} from {scope}";
        if (findings.Count == 0)
        {
            await console.Error.WriteLineAsync($"\u2714 No validation issues found when analyzing {resources}.").ConfigureAwait(false);
        }
        else
        {
            var counts = string.Join(", ", Enum.GetValues<FindingLevel>()
                .Select(level => (level, n: findings.Count(f => f.Level == level)))
                .Where(x => x.n > 0)
                .Select(x => $"{x.n} {x.level.ToString().ToLowerInvariant()}{(x.n == 1 || x.level == FindingLevel.Info ? "" : "s")}"));
            await console.Error.WriteLineAsync($"{counts} found when analyzing {resources}.").ConfigureAwait(false);
        }

        if (report.UncheckedHosts.Count > 0)
        {
            var shown = string.Join(", ", report.UncheckedHosts.Take(5)) + (report.UncheckedHosts.Count > 5 ? ", ..." : "");
            await console.Error.WriteLineAsync(
                $"note: {report.UncheckedHosts.Count} cluster-local host{(report.UncheckedHosts.Count == 1 ? " was" : "s were")} not checked against the service registry ({shown}): files alone cannot say which workloads register; include their Kubernetes Service manifests, or add --with-server").ConfigureAwait(false);
        }
    }

    /// <summary>Every resource in every namespace, and the registered services with their endpoints.</summary>
    private static async Task<AnalysisInput> ReadServerAsync(MeshApiClient client, CancellationToken cancellationToken)
    {
        var listed = await client.ListAsync(kind: null, @namespace: "", allNamespaces: true, labelSelector: null, cancellationToken).ConfigureAwait(false);
        var services = await RegisteredServicesAsync(client, cancellationToken).ConfigureAwait(false);
        return new AnalysisInput
        {
            Resources = [.. listed.Resources.Select(r => new LocatedResource { Resource = r })],
            Services = services,
            RegistryComplete = true,
        };
    }

    /// <summary>
    /// The registry is read from proxy snapshots: every snapshot lists every registered service with all its
    /// endpoints (ServiceEntries vary with exportTo, but the analyzer reads those from the resources). The first
    /// proxy whose snapshot can be read is enough; none registered means no registered services.
    /// </summary>
    private static async Task<IReadOnlyList<MeshService>> RegisteredServicesAsync(MeshApiClient client, CancellationToken cancellationToken)
    {
        var proxies = await client.ListProxiesAsync(cancellationToken).ConfigureAwait(false);
        CliException? last = null;
        foreach (var proxy in proxies.OrderBy(p => p.ProxyId, StringComparer.Ordinal))
        {
            try
            {
                var snapshot = await client.GetProxySnapshotAsync(proxy.ProxyId, cancellationToken).ConfigureAwait(false);
                return snapshot.Services;
            }
            catch (CliException ex)
            {
                // The proxy expired between the two calls; any other one will do.
                last = ex;
            }
        }

        return last is null ? [] : throw last;
    }
}
