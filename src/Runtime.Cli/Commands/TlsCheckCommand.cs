using System.CommandLine;
using Runtime.Cli.Api;
using Runtime.Cli.TlsCheck;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl x tls-check [service] [-n NS] [-o text|json]</c>: per service port, the inbound mTLS mode its
/// workloads enforce (and the PeerAuthentication that decided it), what clients originate (auto mTLS or the
/// DestinationRule's <c>tls</c>), and whether the two agree. Reads the control plane's resources and registered
/// workloads; exits 0 whatever the status (it reports, like istioctl's <c>authn tls-check</c>).
/// </summary>
internal static class TlsCheckCommand
{
    private static readonly string[] Formats = ["text", "json"];

    public static Command Create(CliConsole console)
    {
        var service = new Argument<string>("service")
        {
            Description = "Only this service: reviews, reviews.bookinfo or reviews.bookinfo.svc.cluster.local, optionally :port",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ns = new Option<string>("--namespace", "-n") { Description = "Only services of this namespace (default: every namespace)" };
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong(Formats);
        var command = new Command("tls-check", "Check, per service port, the mTLS mode servers enforce against what clients originate (OK, WARNING, CONFLICT)")
        {
            service, ns, output,
        };
        CommandRunner.SetAction(command, console, async (parse, cancellationToken) =>
        {
            var only = parse.GetValue(ns) is { Length: > 0 } name ? name : null;
            var target = parse.GetValue(service) is { Length: > 0 } text ? ServiceTarget.Parse(text, only) : null;
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var listed = await client.ListAsync(kind: null, @namespace: "", allNamespaces: true, labelSelector: null, cancellationToken).ConfigureAwait(false);
            var workloads = await client.ListWorkloadsAsync(cancellationToken).ConfigureAwait(false);
            var rows = TlsCheckEvaluator.Evaluate(
                listed.Resources,
                workloads,
                (svc, svcNamespace, port) => target?.Matches(svc, svcNamespace, port) ?? (only is null || svcNamespace == only),
                DateTimeOffset.UtcNow);
            if (rows.Count == 0)
            {
                if (target is not null)
                {
                    var known = workloads.Where(w => w.AppPort is not null).Select(w => $"{w.Service}.{w.Namespace}").Distinct().Order(StringComparer.Ordinal).ToList();
                    throw new CliException($"service {target} not found: no registered workload serves it (known: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
                }

                await console.Error.WriteLineAsync(only is null ? "No services with registered workloads." : $"No services with registered workloads in {only} namespace.").ConfigureAwait(false);
                return 0;
            }

            if (parse.GetValue(output) == "json")
            {
                await console.Out.WriteAsync(TlsCheckOutput.ToJson(rows)).ConfigureAwait(false);
            }
            else
            {
                TlsCheckOutput.WriteText(console.Out, rows);
            }

            return 0;
        });
        return command;
    }
}
